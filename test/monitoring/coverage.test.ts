import * as yaml from 'js-yaml';
import { CONTRIBUTIONS, type EnvironmentSettings, loadEnvironment } from '../../lib/registry';
import { metricCatalogue } from '../../lib/monitoring/contributions';
import { metricCoverage, scrapeJobNames, uncoveredReasons, type MetricCoverage } from '../../lib/monitoring/coverage';
import { planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { PROMETHEUS_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { metricNames, vectorSelectors } from '../../lib/monitoring/promql-names';
import { configCopy, configMapData, ENVIRONMENTS, rendered } from '../support/environments';
import { renderedQueries } from '../support/rendered-queries';

/**
 * No dead signal: every alert rule and dashboard panel rendered into `dist/<env>/` reads only
 * series that a component deployed and scraped in that same environment emits. Coverage is
 * derived here from what was rendered: the environment's `prometheus.yml` (its scrape jobs), the
 * metric catalogue (which program emits each metric and which job collects it) and the
 * environment's settings (for a metric its program exposes only in some configurations).
 */

const renderedYml = (environment: string) => configMapData(environment, PROMETHEUS_CONFIG_MAP)['prometheus.yml'];
const coverageOf = (environment: string, prometheusYml = renderedYml(environment)): MetricCoverage<EnvironmentSettings> =>
  metricCoverage(prometheusYml, metricCatalogue(CONTRIBUTIONS), rendered(environment).environment.settings);

/** The rendered prometheus.yml of an environment without one of its jobs. */
function withoutJob(environment: string, job: string): string {
  const config = yaml.load(renderedYml(environment)) as { scrape_configs: { job_name: string }[] };
  return yaml.dump({ ...config, scrape_configs: config.scrape_configs.filter((j) => j.job_name !== job) });
}

/** The same config with every optional source on (kube-state-metrics, cAdvisor, clustered Alertmanager). */
const allSources = (() => {
  const overlay =
    'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  prometheus:\n    cadvisor: { enabled: true }\n    kubeStateMetrics: { enabled: true }\n  alertmanager:\n    replicas: 3\n';
  const { settings } = loadEnvironment(configCopy({ 'test.yaml': overlay }), 'test');
  return planMonitoring('test', settings, CONTRIBUTIONS);
})();

describe.each(ENVIRONMENTS)('%s: every rendered alert and panel is served by a scrape job of its own prometheus.yml', (environment) => {
  const queries = renderedQueries(environment);
  const coverage = coverageOf(environment);

  test('every series of every alert and panel query is collected', () => {
    expect(queries.length).toBeGreaterThan(60);
    const dead = queries.flatMap(({ where, expr }) => uncoveredReasons(expr, coverage).map((reason) => `${where}: ${reason}`));
    expect(dead).toEqual([]);
  });

  test('no query stands in for a missing source with `or vector(…)`', () => {
    expect(queries.filter((q) => /\bor\s+vector\s*\(/.test(q.expr)).map((q) => q.where)).toEqual([]);
  });

  test('container (cAdvisor) panels and alerts exist only where cAdvisor is scraped, kube-state-metrics ones only where it runs', () => {
    const reads = (prefix: string) => queries.some((q) => metricNames(q.expr).some((n) => n.startsWith(prefix)));
    expect([environment, 'cadvisor', reads('container_')]).toEqual([environment, 'cadvisor', coverage.jobs.has('kubelet-cadvisor')]);
    expect([environment, 'kube-state-metrics', reads('kube_')]).toEqual([
      environment,
      'kube-state-metrics',
      coverage.jobs.has('kube-state-metrics'),
    ]);
    const settings = rendered(environment).environment.settings;
    expect(coverage.jobs.has('kube-state-metrics')).toBe(settings.monitoring.prometheus.kubeStateMetrics.enabled);
  });

  test('the Alertmanager peers panel only where Alertmanager runs clustered', () => {
    const peers = queries.some((q) => q.expr.includes('alertmanager_cluster_members'));
    expect(peers).toBe(rendered(environment).environment.settings.monitoring.alertmanager.replicas > 1);
  });

  test('PostgreSQL is watched in every environment, the managed database of prod included', () => {
    expect(coverage.jobs.has('postgres')).toBe(true);
    expect(queries.some((q) => q.where.includes('alert PostgresDown'))).toBe(true);
    expect(queries.some((q) => q.where.includes('postgresql.json'))).toBe(true);
  });
});

describe('the check has teeth', () => {
  test('without the redis job, every Redis query of dev is reported, with the job it needs', () => {
    const coverage = coverageOf('dev', withoutJob('dev', 'redis'));
    const redis = renderedQueries('dev').filter((q) => metricNames(q.expr).some((n) => n.startsWith('redis_')));
    expect(redis.length).toBeGreaterThan(10);
    for (const q of redis)
      expect([q.where, uncoveredReasons(q.expr, coverage)]).toEqual([
        q.where,
        expect.arrayContaining([
          expect.stringMatching(/^redis_\w+: redis-exporter is not scraped here \(job redis is not in prometheus\.yml\)$/),
        ]),
      ]);
  });

  test.each<[string, string, RegExp]>([
    ['dev', 'sum(kube_pod_status_phase{phase="Failed"})', /^kube_pod_status_phase: kube-state-metrics is not scraped here/],
    ['prod', 'sum(rate(container_cpu_usage_seconds_total[5m]))', /^container_cpu_usage_seconds_total: cadvisor is not scraped here/],
    [
      'test',
      'min(alertmanager_cluster_members)',
      /^alertmanager_cluster_members: alertmanager exposes it only when Alertmanager runs clustered/,
    ],
    [
      'dev',
      'absent(up{job="kube-state-metrics"} == 1)',
      /^up\{job="kube-state-metrics"\}: no scrape job "kube-state-metrics" in prometheus\.yml$/,
    ],
    ['prod', 'redis_up{job="postgres"} == 0', /^redis_up\{job="postgres"\}: job "postgres" does not collect redis_up$/],
    ['prod', 'rate(suoke_workflow_runs_total[5m])', /^suoke_workflow_runs_total: (nothing emits it|not in the metric catalogue)/],
    ['prod', 'litellm_requests_total', /^litellm_requests_total: not in the metric catalogue$/],
  ])('%s: %s is reported', (environment, expr, reason) => {
    expect(uncoveredReasons(expr, coverageOf(environment))).toEqual([expect.stringMatching(reason)]);
  });

  test('with every optional source on, their panels and alerts are rendered and covered', () => {
    const coverage = metricCoverage(allSources.prometheusConfig, metricCatalogue(CONTRIBUTIONS), allSources.context.settings);
    const exprs = [
      ...[...allSources.alerts.values()].flat().map((a) => a.expr),
      ...allSources.dashboards.flatMap((d) => d.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => q.expr)))),
    ];
    for (const prefix of ['container_', 'kube_', 'alertmanager_cluster_members'])
      expect([prefix, exprs.some((e) => metricNames(e).some((n) => n.startsWith(prefix)))]).toEqual([prefix, true]);
    expect(exprs.flatMap((e) => uncoveredReasons(e, coverage))).toEqual([]);
  });
});

test('every scrape job the catalogue names is a job some configuration renders (a typo would silently gate a metric everywhere)', () => {
  const jobs = new Set([...ENVIRONMENTS.flatMap((e) => scrapeJobNames(renderedYml(e))), ...scrapeJobNames(allSources.prometheusConfig)]);
  const named = [...metricCatalogue(CONTRIBUTIONS).values()].flatMap((m) =>
    m.emitters.flatMap((e) => e.jobs.map((job) => ({ metric: m.name, job }))),
  );
  expect(named.length).toBeGreaterThan(50);
  expect(named.filter((n) => !jobs.has(n.job))).toEqual([]);
});

test('every job="…" matcher of a rendered query names a job of that environment', () => {
  for (const environment of ENVIRONMENTS) {
    const jobs = new Set(scrapeJobNames(renderedYml(environment)));
    const named = renderedQueries(environment).flatMap((q) =>
      vectorSelectors(q.expr).flatMap((s) => s.matchers.filter((m) => m.label === 'job').map((m) => `${q.where}: ${m.value}`)),
    );
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((n) => !jobs.has(n.split(': ').pop()!))).toEqual([]);
  }
});
