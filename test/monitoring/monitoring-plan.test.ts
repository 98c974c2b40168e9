import * as yaml from 'js-yaml';
import { loadEnvironment } from '../../lib/registry';
import { metricCoverage, scrapeJobNames, uncoveredReasons } from '../../lib/monitoring/coverage';
import { q, stat, timeseries } from '../../lib/platform/dashboard-spec';
import { gateDashboard, planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { vectorSelectors } from '../../lib/monitoring/promql-names';
import { CONFIG_DIR } from '../support/environments';
import type { MetricSpec } from '../../lib/platform/monitoring-contribution';
import { madeUpComponent as component, madeUpMetric as metric } from '../support/made-up-monitoring';

/**
 * The monitoring plan renders only what the environment's Prometheus collects: these tests drive
 * it with small made-up contributions, so each rule of the gating is seen to keep and to drop.
 */

const settings = loadEnvironment(CONFIG_DIR, 'dev').settings;

describe('the plan keeps what is collected and leaves out the rest', () => {
  const plan = planMonitoring('dev', settings, [
    component('Here', 'here', true, 'here_value'),
    component('Gone', 'gone', false, 'gone_value'),
  ]);

  test('the deployed component keeps its alert, rule file and dashboard, and its job gets an alert for its targets disappearing', () => {
    expect([...plan.alerts.keys()]).toEqual(['Here']);
    expect(plan.alerts.get('Here')!.map((a) => [a.spec.name, a.expr])).toEqual([
      ['HereLow', 'here_value < 1'],
      ['HereTargetMissing', 'absent(up{job="here"} == 1)'],
    ]);
    expect(Object.keys(plan.ruleFiles)).toEqual(['Here.rules.yml']);
    expect(plan.dashboards.map((d) => d.uid)).toEqual(['here']);
  });

  test('the component nothing scrapes loses its alert, its rule file and its (now empty) dashboard, and says why', () => {
    const config = yaml.load(plan.prometheusConfig) as { rule_files: string[] };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/Here.rules.yml']);
    expect(scrapeJobNames(plan.prometheusConfig)).toEqual(['here', 'annotated-pods']);
    expect(plan.gated).toEqual([
      { what: 'alert GoneLow', reasons: ['gone_value: made-up is not scraped here (job gone is not in prometheus.yml)'] },
      {
        what: 'dashboard gone / Only / Gone value',
        reasons: ['gone_value: made-up is not scraped here (job gone is not in prometheus.yml)'],
      },
    ]);
  });
});

test('a panel is dropped when any of its queries is not served, and a row left empty goes with it', () => {
  const spec = {
    uid: 'x',
    title: 'x',
    description: 'x',
    tags: [],
    rows: [
      { title: 'Mixed', panels: [stat('Kept', 'd', 'a'), timeseries('Half', 'd', [q('a'), q('b')])] },
      { title: 'Dead', panels: [stat('Dropped', 'd', 'b')] },
    ],
  };
  const { dashboard, gated } = gateDashboard(spec, (expr) => (expr.includes('b') ? ['b: missing'] : []));
  expect(dashboard.rows.map((r) => [r.title, r.panels.map((p) => p.title)])).toEqual([['Mixed', ['Kept']]]);
  expect(gated.map((g) => g.what)).toEqual(['dashboard x / Mixed / Half', 'dashboard x / Dead / Dropped']);
});

describe('why an expression is not covered', () => {
  const catalogue = new Map<string, MetricSpec>([
    ['up', { ...metric('up', []), emitters: [{ program: 'prometheus', jobs: [], synthesised: true }] }],
    ['a_value', metric('a_value', ['a'])],
    ['b_seconds', { ...metric('b_seconds', ['b']), type: 'histogram' }],
    ['orphan', { ...metric('orphan', []), emitters: [] }],
    [
      'peers',
      {
        ...metric('peers', []),
        emitters: [{ program: 'made-up', jobs: ['a'], only: { when: () => false, condition: 'it is clustered' } }],
      },
    ],
  ]);
  const coverage = metricCoverage('scrape_configs:\n  - job_name: a\n', catalogue, settings);

  test.each<[string, string[]]>([
    ['a_value + up{job="a"}', []],
    ['histogram_quantile(0.9, rate(b_seconds_bucket[5m]))', ['b_seconds: made-up is not scraped here (job b is not in prometheus.yml)']],
    ['absent(up{job="b"} == 1)', ['up{job="b"}: no scrape job "b" in prometheus.yml']],
    ['a_value{job="c"}', ['a_value{job="c"}: no scrape job "c" in prometheus.yml']],
    ['sum(a_value) or vector(0) + unknown_metric', ['unknown_metric: not in the metric catalogue']],
    ['orphan', ['orphan: nothing emits it (no program in its catalogue entry)']],
    ['min(peers)', ['peers: made-up exposes it only when it is clustered']],
  ])('%s', (expr, reasons) => {
    expect(uncoveredReasons(expr, coverage)).toEqual(reasons);
  });
});

test('vector selectors come with their label matchers, strings unquoted', () => {
  expect(vectorSelectors('absent(up{job="litellm-gateway"} == 1) or sum by (job) (rate(x{a!~`b.*`, c=\'d\'}[5m]))')).toEqual([
    { metric: 'up', matchers: [{ label: 'job', op: '=', value: 'litellm-gateway' }] },
    {
      metric: 'x',
      matchers: [
        { label: 'a', op: '!~', value: 'b.*' },
        { label: 'c', op: '=', value: 'd' },
      ],
    },
  ]);
});
