import * as yaml from 'js-yaml';
import { effectiveAlerts } from '../../lib/monitoring/alert-rules';
import { metricCatalogue, seriesNames } from '../../lib/monitoring/contributions';
import { dashboardExpressions } from '../../lib/platform/dashboard-spec';
import { PROMETHEUS_RULES_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { metricNames } from '../../lib/monitoring/promql-names';
import { configMapData, ENVIRONMENTS, objectsOf } from '../support/environments';
import { CONTRIBUTIONS } from '../../lib/registry';

/** Every series name the catalogue admits. */
const known = new Set([...metricCatalogue(CONTRIBUTIONS).values()].flatMap(seriesNames));

/** Every PromQL expression of the platform, with where it comes from. */
function allExpressions(): { where: string; expr: string }[] {
  const fromSpecs = CONTRIBUTIONS.flatMap((c) => [
    ...effectiveAlerts(c, {}).map((a) => ({ where: `alert ${a.spec.name}`, expr: a.expr })),
    ...c.dashboards.flatMap(dashboardExpressions),
  ]);
  const fromRendered = ENVIRONMENTS.flatMap((environment) => [
    ...Object.entries(configMapData(environment, PROMETHEUS_RULES_CONFIG_MAP)).flatMap(([file, text]) =>
      (yaml.load(text) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) =>
        g.rules.map((r) => ({ where: `${environment} ${file} ${r.alert}`, expr: r.expr })),
      ),
    ),
    ...objectsOf(environment)
      .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboard-'))
      .flatMap((cm) => Object.entries(cm.data as Record<string, string>))
      .flatMap(([file, json]) =>
        (JSON.parse(json).panels as { title: string; targets?: { expr: string }[] }[]).flatMap((p) =>
          (p.targets ?? []).map((t) => ({ where: `${environment} ${file} ${p.title}`, expr: t.expr })),
        ),
      ),
  ]);
  return [...fromSpecs, ...fromRendered];
}

describe('the PromQL metric-name tokenizer', () => {
  test.each<[string, string[]]>([
    ['up', ['up']],
    ['sum by (job, le) (rate(http_requests_total{code=~"5..", job!="x"}[5m]))', ['http_requests_total']],
    ['histogram_quantile(0.95, sum without (pod) (rate(a_bucket[$__rate_interval])))', ['a_bucket']],
    ['a / on (instance) group_left (role) b > 0.5 and c offset 1h', ['a', 'b', 'c']],
    ['rate(a[5m]) / ignoring (reason) group_right rate(b[5m:1m])', ['a', 'b']],
    ['label_replace(up, "dst", "$1", "src", "(.*)") or vector(0)', ['up']],
    ['count(x == 0) or vector(1e3) unless bool y', ['x', 'y']],
    ['max_over_time(m{reason="by (sum)"}[1h]) >= 1 # comment naming z', ['m']],
    ['sum(a) by (le)', ['a']],
  ])('%s', (expr, names) => {
    expect(metricNames(expr)).toEqual(names);
  });
  test('refuses __name__ selectors, which would hide a metric from the check', () => {
    expect(() => metricNames('{__name__=~"litellm_.*"}')).toThrow(/__name__/);
  });
});

test('the catalogue declares LiteLLM counters by their exposition names', () => {
  const litellm = [...metricCatalogue(CONTRIBUTIONS).values()].filter((m) => m.name.startsWith('litellm_'));
  expect(litellm.filter((m) => m.type === 'counter' && !m.name.endsWith('_total'))).toEqual([]);
  expect(known.has('litellm_request_total_latency_metric_bucket')).toBe(true);
  expect(known.has('litellm_requests_metric')).toBe(false);
});

test('every metric in every alert and dashboard is in the catalogue', () => {
  const expressions = allExpressions();
  expect(expressions.length).toBeGreaterThan(100);
  const unknown = expressions.flatMap(({ where, expr }) =>
    metricNames(expr)
      .filter((n) => !known.has(n))
      .map((n) => `${where}: ${n}`),
  );
  expect(unknown).toEqual([]);
});

test('the check catches a metric name that does not exist', () => {
  // The original manifests' gateway alert used names LiteLLM never exported.
  expect(
    metricNames('sum(rate(litellm_requests_total{status!="200"}[5m])) / sum(rate(litellm_request_duration_seconds_count[5m]))').filter(
      (n) => !known.has(n),
    ),
  ).toEqual(['litellm_requests_total', 'litellm_request_duration_seconds_count']);
});
