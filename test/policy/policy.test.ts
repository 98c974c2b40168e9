import { checkPolicy } from '../../lib/policy/policy-rules';
import type { KubeObject } from '../../lib/synth/render-environment';
import { ENVIRONMENTS, objectsOf, renderedFixture } from '../support/environments';

describe.each(ENVIRONMENTS)('policy: %s', (environment) => {
  test('every object meets every rule', () => {
    const violations = checkPolicy(objectsOf(environment)).map((v) => `${v.rule} ${v.object}: ${v.message}`);
    expect(violations).toEqual([]);
  });
});

test('policy: an environment in monitoring operator mode meets every rule', () => {
  const objects = renderedFixture('operator', 'operator').files.flatMap((f) => f.objects);
  expect(checkPolicy(objects).map((v) => `${v.rule} ${v.object}: ${v.message}`)).toEqual([]);
});

/** A small set that meets every rule, to break one way at a time. */
function compliantSet(): KubeObject[] {
  const labels = Object.fromEntries(
    ['name', 'instance', 'version', 'component', 'part-of', 'managed-by'].map((l) => [`app.kubernetes.io/${l}`, 'x']),
  );
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'ns', labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-in', namespace: 'ns', labels },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-out', namespace: 'ns', labels },
      spec: { podSelector: {}, policyTypes: ['Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow', namespace: 'ns', labels },
      spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{}] },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'ns', labels }, data: { 'a.conf': 'x' } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'ns', labels },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns', labels },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true },
            volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
            containers: [
              {
                name: 'web',
                image: 'nginx:1.27.0',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/', port: 'http' } },
                livenessProbe: { httpGet: { path: '/', port: 'http' } },
                resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                  seccompProfile: { type: 'RuntimeDefault' },
                },
              },
            ],
          },
        },
      },
    },
  ];
}

function rulesBrokenBy(mutate: (objects: KubeObject[]) => void): string[] {
  const objects = compliantSet();
  mutate(objects);
  return [...new Set(checkPolicy(objects).map((v) => v.rule))].sort();
}

const deployment = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Deployment')!;
const container = (objects: KubeObject[]) => deployment(objects).spec.template.spec.containers[0];

describe('policy rules catch what they are for', () => {
  test('the compliant fixture passes', () => {
    expect(rulesBrokenBy(() => undefined)).toEqual([]);
  });
  test.each<[string, (o: KubeObject[]) => void, string[]]>([
    ['root user', (o) => (container(o).securityContext.runAsUser = 0), ['pss-run-as-non-root']],
    ['privilege escalation', (o) => delete container(o).securityContext.allowPrivilegeEscalation, ['pss-privilege-escalation']],
    ['added capability', (o) => (container(o).securityContext.capabilities.add = ['SYS_ADMIN']), ['pss-capabilities']],
    ['no seccomp', (o) => delete container(o).securityContext.seccompProfile, ['pss-seccomp']],
    ['hostPath', (o) => deployment(o).spec.template.spec.volumes.push({ name: 'h', hostPath: { path: '/' } }), ['pss-volume-types']],
    ['writable root', (o) => (container(o).securityContext.readOnlyRootFilesystem = false), ['read-only-root-fs']],
    ['no limits', (o) => delete container(o).resources.limits, ['resources']],
    [
      'no probes',
      (o) => {
        delete container(o).readinessProbe;
        delete container(o).livenessProbe;
      },
      ['probe-liveness', 'probe-readiness'],
    ],
    ['latest tag', (o) => (container(o).image = 'nginx:latest'), ['image-tag']],
    ['no tag', (o) => (container(o).image = 'nginx'), ['image-tag']],
    ['implicit pull policy', (o) => delete container(o).imagePullPolicy, ['image-pull-policy']],
    ['token mounted without RBAC', (o) => (deployment(o).spec.template.spec.automountServiceAccountToken = true), ['automount-sa-token']],
    ['selector mismatch', (o) => (deployment(o).spec.selector.matchLabels.app = 'other'), ['selector-mismatch']],
    ['missing ConfigMap', (o) => (deployment(o).spec.template.spec.volumes[0].configMap.name = 'nope'), ['config-map-missing']],
    [
      'Secret with data',
      (o) =>
        o.push({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 's', namespace: 'ns', labels: o[0].metadata.labels },
          data: { k: 'eA==' },
        }),
      ['secret-plaintext'],
    ],
    [
      'default password',
      (o) => (o.find((x) => x.kind === 'ConfigMap')!.data['a.conf'] = 'admin_password: admin123'),
      ['default-credentials'],
    ],
    ['no default deny', (o) => o.splice(1, 1), ['netpol-default-deny']],
    ['pod not selected by an allow policy', (o) => (o[3].spec.podSelector.matchLabels = { app: 'api' }), ['netpol-pod-selected']],
    ['dangling service', (o) => (o[5].spec.selector = { app: 'api' }), ['service-dangling']],
    ['unknown target port', (o) => (o[5].spec.ports[0].targetPort = 'grpc'), ['service-target-port']],
    ['duplicate', (o) => o.push(o[4]), ['duplicate-object']],
    ['missing labels', (o) => (o[4].metadata.labels = {}), ['recommended-labels']],
    ['namespace without PSS', (o) => (o[0].metadata.labels = { ...o[1].metadata.labels }), ['namespace-pss-enforce']],
    [
      'wildcard RBAC',
      (o) =>
        o.push({
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'r', namespace: 'ns', labels: o[1].metadata.labels },
          rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }],
        }),
      ['rbac-wildcard'],
    ],
    [
      'sysctls',
      (o) => (deployment(o).spec.template.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_forward', value: '1' }]),
      ['pss-baseline-misc'],
    ],
    ['replicas without PDB or spread', (o) => (deployment(o).spec.replicas = 2), ['pdb-missing', 'pod-spread']],
    ['unnamed port', (o) => delete container(o).ports[0].name, ['container-port-named', 'service-target-port']],
  ])('%s', (_name, mutate, expected) => {
    expect(rulesBrokenBy(mutate)).toEqual(expected);
  });
});
