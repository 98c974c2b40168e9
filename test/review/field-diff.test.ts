import { changedLines, diffFields, quantityValue } from '../../lib/review/field-diff';
import { MASK } from '../../lib/review/masking';

const deployment = (overrides: { image?: string; logLevel?: string; cpu?: string; env?: object[]; order?: 'ab' | 'ba' } = {}) => {
  const a = {
    name: 'gateway',
    image: overrides.image ?? 'ghcr.io/berriai/litellm:v1.0.0',
    env: overrides.env ?? [{ name: 'LOG_LEVEL', value: overrides.logLevel ?? 'INFO' }],
    resources: { limits: { cpu: overrides.cpu ?? '1' } },
  };
  const b = { name: 'exporter', image: 'oliver006/redis_exporter:v1.62.0' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', labels: { 'app.kubernetes.io/version': '1.0.0' } },
    spec: { template: { spec: { containers: overrides.order === 'ba' ? [b, a] : [a, b] } } },
  };
};

test('lists each changed field path with its old and new value, matching named list items by name', () => {
  expect(diffFields(deployment(), deployment({ image: 'ghcr.io/berriai/litellm:v1.1.0', logLevel: 'DEBUG' }))).toEqual([
    { path: 'spec.template.spec.containers[gateway].env[LOG_LEVEL].value', before: '"INFO"', after: '"DEBUG"' },
    {
      path: 'spec.template.spec.containers[gateway].image',
      before: '"ghcr.io/berriai/litellm:v1.0.0"',
      after: '"ghcr.io/berriai/litellm:v1.1.0"',
    },
  ]);
});

test('ignores noise: key order, named item order, null versus absent, equivalent quantities, server fields', () => {
  const before = {
    ...deployment(),
    status: { replicas: 1 },
    metadata: { name: 'x', labels: { 'app.kubernetes.io/version': '1.0.0' }, creationTimestamp: null },
  };
  const after = deployment({ order: 'ba', cpu: '1000m' });
  expect(diffFields(before, after)).toEqual([]);
  expect(quantityValue('512Mi')).toBe(quantityValue('0.5Gi'));
  expect(quantityValue('250m')).toBe(0.25);
});

test('quotes keys that are not identifiers, and reports added and removed fields', () => {
  const before = { metadata: { labels: { 'app.kubernetes.io/version': '1.0.0' } } };
  const after = { metadata: { labels: { 'app.kubernetes.io/version': '1.1.0', tier: 'backend' } }, spec: { replicas: 2 } };
  expect(diffFields(before, after)).toEqual([
    { path: 'metadata.labels["app.kubernetes.io/version"]', before: '"1.0.0"', after: '"1.1.0"' },
    { path: 'metadata.labels.tier', after: '"backend"' },
    { path: 'spec.replicas', after: '2' },
  ]);
});

test('masks env values under secret-like variable names, and Secret data entirely', () => {
  const env = (value: string) => deployment({ env: [{ name: 'LITELLM_MASTER_KEY', value }] });
  expect(diffFields(env('sk-old-value-1234567'), env('sk-new-value-1234567'))).toEqual([
    {
      path: 'spec.template.spec.containers[gateway].env[LITELLM_MASTER_KEY].value',
      before: `"${MASK}"`,
      after: `"${MASK}" (masked; changed)`,
    },
  ]);
  const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { anything: value } });
  const changes = diffFields(secret('one'), secret('two'), { secret: true });
  expect(JSON.stringify(changes)).not.toMatch(/one|two/);
});

test('multi-line text (embedded config files) shows only the changed lines, masked', () => {
  const cm = (level: string, key: string) => ({ data: { 'config.yaml': `a: 1\nlog_level: ${level}\nmaster_key: ${key}\nb: 2\n` } });
  expect(diffFields(cm('INFO', 'sk-aaaaaaaaaaaaaaaa'), cm('DEBUG', 'sk-bbbbbbbbbbbbbbbb'))).toEqual([
    { path: 'data["config.yaml"]', lines: ['- log_level: INFO', `- master_key: ${MASK}`, '+ log_level: DEBUG', `+ master_key: ${MASK}`] },
  ]);
  expect(changedLines('a\nb\nc', 'a\nx\nc')).toEqual(['- b', '+ x']);
});
