import { contentVersion } from '../../lib/platform/versioned-config-map';
import { contentSimilarity, detectRenames, hashStem } from '../../lib/review/renames';
import type { KubeObject } from '../../lib/synth/render-environment';

/** A ConfigMap named the way VersionedConfigMap names it: `<base>-<content hash>`. */
function versioned(base: string, data: Record<string, string>, namespace = 'suoke-life'): KubeObject {
  const version = contentVersion(data);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${base}-${version}`, namespace, annotations: { 'suoke.life/config-version': version } },
    data,
  };
}

const globalData = (level: string): Record<string, string> =>
  Object.fromEntries([...Array.from({ length: 12 }, (_, i) => [`KEY_${i}`, `value-${i}`]), ['LOG_LEVEL', level]]);

test('a hashed ConfigMap whose content changed a little is a rename, not a removal and an addition', () => {
  const before = versioned('global-config', globalData('INFO'));
  const after = versioned('global-config', globalData('DEBUG'));
  const result = detectRenames([before], [after]);
  expect(result.renames.map((r) => [r.before.metadata.name, r.after.metadata.name])).toEqual([[before.metadata.name, after.metadata.name]]);
  expect(result.renames[0].similarity).toBeGreaterThan(0.9);
  expect(result.removed).toEqual([]);
  expect(result.added).toEqual([]);
});

test('unrelated objects, other kinds and other namespaces are not renames', () => {
  const cm = versioned('global-config', globalData('INFO'));
  const unrelated = versioned('agent-config', { MODEL: 'gpt-4' });
  const otherNamespace = versioned('global-config', globalData('DEBUG'), 'suoke-life-dev');
  const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: cm.metadata.name, namespace: 'suoke-life' } };
  const result = detectRenames([cm], [unrelated, otherNamespace, service]);
  expect(result.renames).toEqual([]);
  expect(result.added).toHaveLength(3);
});

test('an unhashed name needs nearly the same content; each object pairs at most once, best match first', () => {
  const deployment = (name: string, image: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'suoke-life', labels: { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6', g: '7', h: '8' } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'main', image }] } } },
  });
  const old = deployment('redis', 'redis:7.4.1');
  const result = detectRenames([old], [deployment('redis-cache', 'redis:7.4.2'), deployment('redis-copy', 'redis:7.4.1')]);
  expect(result.renames.map((r) => r.after.metadata.name)).toEqual(['redis-copy']);
  expect(result.added.map((o) => o.metadata.name)).toEqual(['redis-cache']);
  expect(contentSimilarity(old, deployment('other', 'nginx:1.27'))).toBeLessThan(1);
  expect(hashStem('global-config-02bb7f538d')).toBe('global-config');
  expect(hashStem('redis-service')).toBeUndefined();
});
