import { ContractSet } from '../../lib/contracts/contract';
import { pinnedVersions } from '../../lib/contracts/pinned-versions';
import type { KubeObject } from '../../lib/platform/kube-object';
import { ENVIRONMENTS, objectsOf } from '../support/environments';

/**
 * docs/pinned-versions.md lists, per environment, the cluster software its rendered objects need
 * (CLUSTER_REQUIREMENTS' `neededBy`), not every program the platform could need somewhere.
 */
const contracts = ContractSet.load();
const clusterSoftware = (objects: readonly KubeObject[]) =>
  pinnedVersions(contracts, objects)
    .filter((p) => p.images.length === 0)
    .map((p) => p.contract.data.program);

const object = (apiVersion: string, kind: string, annotations?: Record<string, string>): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x', annotations },
});

describe('cluster software an environment needs', () => {
  test('nothing custom rendered: Kubernetes and the kubelet’s cAdvisor only', () => {
    expect(clusterSoftware([object('v1', 'ConfigMap')])).toEqual(['cadvisor', 'kubernetes']);
  });

  test('each prerequisite follows the objects that need it', () => {
    expect(clusterSoftware([object('external-secrets.io/v1', 'ExternalSecret')])).toContain('external-secrets');
    expect(clusterSoftware([object('autoscaling/v2', 'HorizontalPodAutoscaler')])).toContain('metrics-server');
    expect(clusterSoftware([object('gateway.networking.k8s.io/v1', 'HTTPRoute')])).toContain('gateway-api');
    expect(clusterSoftware([object('monitoring.coreos.com/v1', 'PodMonitor')])).toContain('prometheus-operator');
    expect(clusterSoftware([object('networking.k8s.io/v1', 'Ingress', { 'cert-manager.io/cluster-issuer': 'le' })])).toContain(
      'cert-manager',
    );
    expect(clusterSoftware([object('networking.k8s.io/v1', 'Ingress')])).not.toContain('cert-manager');
  });

  test('the shipped environments: prod needs ESO, metrics-server and cert-manager; test the Gateway API; dev none of them', () => {
    const of = (env: string) => clusterSoftware(objectsOf(env));
    expect(ENVIRONMENTS).toEqual(expect.arrayContaining(['dev', 'prod', 'test']));
    expect(of('dev')).toEqual(['cadvisor', 'kubernetes']);
    expect(of('prod')).toEqual(['cadvisor', 'cert-manager', 'external-secrets', 'kubernetes', 'metrics-server']);
    expect(of('test')).toEqual(['cadvisor', 'gateway-api', 'kubernetes']);
  });
});
