import { ContractSet, contractsDir } from '../../lib/contracts/contract';
import { clusterRequirements, preflightFacts } from '../../lib/deploy/preflight';
import { versionAtLeast } from '../../lib/deploy/preflight-checks';
import type { KubeObject } from '../../lib/platform/kube-object';

const facts = preflightFacts(ContractSet.load(contractsDir()));
const object = (apiVersion: string, kind: string, name: string, spec: object = {}): KubeObject =>
  ({ apiVersion, kind, metadata: { name, namespace: 'ns' }, spec }) as KubeObject;
const types = (objects: KubeObject[], store?: { kind: string; name: string; namespace: string }) =>
  clusterRequirements(objects, facts, store).map((r) => r.type);

test('the facts come from the contracts: the oldest Kubernetes, the metrics APIService, the default-class annotation', () => {
  expect(facts.kubernetes.minimum).toBe('1.30');
  expect(facts.metricsApiService).toEqual({ name: 'v1beta1.metrics.k8s.io', title: 'metrics-server v0.9.0' });
  expect(facts.availableCondition).toBe('Available');
  expect(facts.defaultStorageClassAnnotation).toBe('storageclass.kubernetes.io/is-default-class');
  expect(facts.crdProviders.get('external-secrets.io ExternalSecret')?.title).toBe('External Secrets Operator v0.17.0');
});

test('only the Kubernetes version is needed by objects that ask nothing else of the cluster', () => {
  expect(types([object('v1', 'ConfigMap', 'c'), object('apps/v1', 'Deployment', 'd')])).toEqual(['kubernetes']);
});

test('every custom resource needs its CRD, whatever operator it belongs to, once per kind and version', () => {
  const requirements = clusterRequirements(
    [
      object('gateway.networking.k8s.io/v1', 'HTTPRoute', 'a'),
      object('gateway.networking.k8s.io/v1', 'HTTPRoute', 'b'),
      object('example.com/v1alpha1', 'Widget', 'w'),
      object('networking.k8s.io/v1', 'NetworkPolicy', 'p'),
    ],
    facts,
    undefined,
  );
  expect(requirements.filter((r) => r.type === 'crd')).toEqual([
    { type: 'crd', group: 'example.com', version: 'v1alpha1', kind: 'Widget', provider: undefined },
    {
      type: 'crd',
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      kind: 'HTTPRoute',
      provider: { name: 'Gateway API', title: 'Gateway API v1.6.1' },
    },
  ]);
});

test('the secret store only where ExternalSecrets are rendered', () => {
  const store = { kind: 'ClusterSecretStore', name: 's', namespace: 'ns' };
  expect(types([object('external-secrets.io/v1', 'ExternalSecret', 'e')], store)).toContain('secret-store');
  expect(types([object('v1', 'ConfigMap', 'c')], store)).not.toContain('secret-store');
});

test('metrics-server only with an autoscaler; a StorageClass per class the claims name; the CNI warning with NetworkPolicies', () => {
  expect(types([object('v1', 'ConfigMap', 'c')])).toEqual(['kubernetes']);
  const requirements = clusterRequirements(
    [
      object('autoscaling/v2', 'HorizontalPodAutoscaler', 'h'),
      object('apps/v1', 'StatefulSet', 'db', { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] }),
      object('v1', 'PersistentVolumeClaim', 'backups', { storageClassName: 'fast' }),
      object('v1', 'PersistentVolumeClaim', 'more'),
      object('networking.k8s.io/v1', 'NetworkPolicy', 'p'),
    ],
    facts,
    undefined,
  );
  expect(requirements.find((r) => r.type === 'api-service')).toMatchObject({ name: 'v1beta1.metrics.k8s.io', condition: 'Available' });
  expect(requirements.filter((r) => r.type === 'storage-class')).toEqual([
    expect.objectContaining({ name: undefined, claims: ['StatefulSet db volume data', 'PersistentVolumeClaim more'] }),
    expect.objectContaining({ name: 'fast', claims: ['PersistentVolumeClaim backups'] }),
  ]);
  expect(requirements.find((r) => r.type === 'cni-warning')).toEqual({ type: 'cni-warning', policies: 1 });
});

test('versions compare by major and minor, with the "+" of managed clusters', () => {
  expect(versionAtLeast('1', '30', '1.30')).toBe(true);
  expect(versionAtLeast('1', '31+', '1.30')).toBe(true);
  expect(versionAtLeast('1', '29', '1.30')).toBe(false);
  expect(versionAtLeast('1', '3', '1.30')).toBe(false);
});

test('an Ingress naming a cert-manager issuer needs the Certificate CRD its shim creates; a plain Ingress does not', () => {
  const ingress = (annotations?: Record<string, string>) =>
    ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'i', namespace: 'ns', annotations },
      spec: {},
    }) as KubeObject;
  expect(facts.certificateShim).toEqual({
    annotations: expect.arrayContaining(['cert-manager.io/issuer', 'cert-manager.io/cluster-issuer']),
    group: 'cert-manager.io',
    version: 'v1',
    kind: 'Certificate',
  });
  const crds = (objects: KubeObject[]) => clusterRequirements(objects, facts, undefined).filter((r) => r.type === 'crd');
  expect(crds([ingress({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' })])).toEqual([
    {
      type: 'crd',
      group: 'cert-manager.io',
      version: 'v1',
      kind: 'Certificate',
      provider: { name: 'cert-manager', title: 'cert-manager v1.21.1' },
    },
  ]);
  expect(crds([ingress()])).toEqual([]);
});
