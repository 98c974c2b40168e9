import type { EnvironmentDiff } from '../../lib/review/manifest-diff';
import { MARKDOWN_LIMIT, renderMarkdown, renderText } from '../../lib/review/render-diff';

const small: EnvironmentDiff = {
  environment: 'dev',
  added: [{ object: 'Service suoke-life-dev/redis-service', file: '21-cache.k8s.yaml' }],
  removed: [{ object: 'Service suoke-life-dev/old-service', file: '21-cache.k8s.yaml' }],
  renamed: [
    {
      object: 'ConfigMap suoke-life-dev/global-config-bbbbbbbbbb',
      renamedFrom: 'global-config-aaaaaaaaaa',
      similarity: 0.97,
      file: '10-config-layers.k8s.yaml',
      fields: [{ path: 'data.LOG_LEVEL', before: '"INFO"', after: '"DEBUG"' }],
    },
  ],
  changed: [
    {
      object: 'Deployment suoke-life-dev/litellm-gateway',
      file: '20-gateway.k8s.yaml',
      fields: [
        { path: 'spec.replicas', before: '1', after: '2' },
        { path: 'data["config.yaml"]', lines: ['- a: `1`', '+ a: 2'] },
        { path: 'x|y', before: '"a|b"', after: '"c"', note: 'follows the rename of ConfigMap global-config-aaaaaaaaaa' },
      ],
    },
  ],
};
const empty: EnvironmentDiff = { environment: 'prod', added: [], removed: [], renamed: [], changed: [] };

test('the text report lists additions, removals, renames and each changed field', () => {
  const text = renderText([small, empty], 'Base: dist/');
  expect(text).toContain('== dev: 1 added, 1 removed, 1 renamed, 1 changed');
  expect(text).toContain('  + Service suoke-life-dev/redis-service  (21-cache.k8s.yaml)');
  expect(text).toContain('  ~ ConfigMap suoke-life-dev/global-config-bbbbbbbbbb renamed from global-config-aaaaaaaaaa (97% similar)');
  expect(text).toContain('      spec.replicas: 1 → 2');
  expect(text).toContain('== prod: no changes');
});

test('the markdown report starts with a summary table and escapes table cells', () => {
  const md = renderMarkdown([small, empty], 'Base: `dist/`.');
  expect(md).toContain('| dev | 1 | 1 | 1 | 1 |');
  expect(md).toContain('| prod | 0 | 0 | 0 | 0 |');
  expect(md).toContain('| `x\\|y` _(follows the rename of ConfigMap global-config-aaaaaaaaaa)_ | `"a\\|b"` | `"c"` |');
  expect(md).toContain('```diff\n- a: `1`\n+ a: 2\n```');
});

test('a huge diff stays under 65,000 characters and counts what it leaves out', () => {
  const changed = Array.from({ length: 3000 }, (_, i) => ({
    object: `ConfigMap suoke-life/dashboard-${i}`,
    file: '30-monitoring.k8s.yaml',
    fields: [{ path: 'data["dashboard.json"]', lines: Array.from({ length: 30 }, (_, j) => `+ "panel ${j}": ${'x'.repeat(40)}`) }],
  }));
  const md = renderMarkdown([{ ...empty, environment: 'prod', changed }], 'Base: `dist/`.');
  expect(md.length).toBeLessThan(MARKDOWN_LIMIT);
  const shown = (md.match(/\*\*changed\*\*/g) ?? []).length;
  expect(shown).toBeGreaterThan(10);
  expect(md).toContain(`_… ${3000 - shown} more changed object(s) with ${3000 - shown} field change(s) not shown`);
});
