import { diffEnvironment, isUnchanged } from '../../lib/review/manifest-diff';
import type { ManifestFile } from '../../lib/review/manifests';
import { parseManifests } from '../../lib/review/manifests';
import type { KubeObject } from '../../lib/synth/render-environment';

const cm = (name: string, level: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns' },
  data: { A: '1', B: '2', C: '3', LOG_LEVEL: level },
});
const deployment = (config: string, replicas = 1): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'gateway', namespace: 'ns' },
  spec: {
    replicas,
    template: {
      metadata: { annotations: { 'suoke.life/config-version-global': config.slice(-10) } },
      spec: { containers: [{ name: 'main', envFrom: [{ configMapRef: { name: config } }] }] },
    },
  },
});
const file = (fileName: string, ...objects: KubeObject[]): ManifestFile => ({ fileName, objects });

test('objects are matched by identity wherever they sit; additions, removals, moves and renames are told apart', () => {
  const base = [
    file('10-config.k8s.yaml', cm('global-config-aaaaaaaaaa', 'INFO')),
    file('20-gateway.k8s.yaml', deployment('global-config-aaaaaaaaaa'), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'old', namespace: 'ns' },
    }),
  ];
  const head = [
    file('10-config.k8s.yaml', cm('global-config-bbbbbbbbbb', 'DEBUG')),
    file('21-gateway.k8s.yaml', deployment('global-config-bbbbbbbbbb', 2), {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'new', namespace: 'ns' },
      spec: { ports: [{ port: 80 }] },
    }),
  ];
  const diff = diffEnvironment('dev', base, head);
  expect(diff.added).toEqual([{ object: 'Service ns/new', file: '21-gateway.k8s.yaml' }]);
  expect(diff.removed).toEqual([{ object: 'Service ns/old', file: '20-gateway.k8s.yaml' }]);
  expect(diff.renamed).toEqual([
    expect.objectContaining({
      object: 'ConfigMap ns/global-config-bbbbbbbbbb',
      renamedFrom: 'global-config-aaaaaaaaaa',
      fields: [{ path: 'data.LOG_LEVEL', before: '"INFO"', after: '"DEBUG"' }],
    }),
  ]);
  expect(diff.changed).toEqual([
    {
      object: 'Deployment ns/gateway',
      file: '21-gateway.k8s.yaml',
      fields: [
        { path: '(file)', before: '20-gateway.k8s.yaml', after: '21-gateway.k8s.yaml' },
        { path: 'spec.replicas', before: '1', after: '2' },
        {
          path: 'spec.template.metadata.annotations["suoke.life/config-version-global"]',
          before: '"aaaaaaaaaa"',
          after: '"bbbbbbbbbb"',
          note: 'follows the rename of ConfigMap global-config-aaaaaaaaaa',
        },
        {
          path: 'spec.template.spec.containers[main].envFrom[0].configMapRef.name',
          before: '"global-config-aaaaaaaaaa"',
          after: '"global-config-bbbbbbbbbb"',
          note: 'follows the rename of ConfigMap global-config-aaaaaaaaaa',
        },
      ],
    },
  ]);
});

test('re-formatted YAML with reordered keys and documents is no change', () => {
  const a = parseManifests(
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\ndata: {x: "1", y: "2"}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: ns}\n',
    'a',
  );
  const b = parseManifests(
    'kind: Service\napiVersion: v1\nmetadata:\n  namespace: ns\n  name: s\n---\ndata:\n  y: "2"\n  x: "1"\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: a\n  namespace: ns\n',
    'b',
  );
  expect(isUnchanged(diffEnvironment('dev', [file('a.k8s.yaml', ...a)], [file('a.k8s.yaml', ...b)]))).toBe(true);
});
