import * as yaml from 'js-yaml';
import { CONTRIBUTIONS, loadEnvironment } from '../../lib/registry';
import { scrapeJobNames } from '../../lib/monitoring/coverage';
import { planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { PROMETHEUS_CONFIG_MAP, PROMETHEUS_RULES_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { jobsWithoutTargetAlert, targetMissingAlertName } from '../../lib/monitoring/target-alerts';
import { configCopy, configMapData, ENVIRONMENTS } from '../support/environments';

/** Every alert expression of an environment's rendered rule files, by alert name. */
function renderedAlerts(ruleFiles: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of Object.values(ruleFiles)) {
    for (const group of (yaml.load(text) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups)
      for (const r of group.rules) out.set(r.alert, r.expr);
  }
  return out;
}

describe.each(ENVIRONMENTS)('every scrape job of %s has an alert for its targets disappearing', (environment) => {
  const jobs = scrapeJobNames(configMapData(environment, PROMETHEUS_CONFIG_MAP)['prometheus.yml']);
  const alerts = renderedAlerts(configMapData(environment, PROMETHEUS_RULES_CONFIG_MAP));

  test('no job of the rendered prometheus.yml is left without one', () => {
    expect(jobs.length).toBeGreaterThanOrEqual(7);
    expect(jobsWithoutTargetAlert(jobs, [...alerts.values()])).toEqual([]);
  });

  test('pod jobs get <Job>TargetMissing, the gateway its GatewayDown, the catch-all job one for targets that fail', () => {
    for (const job of jobs.filter((j) => !['litellm-gateway', 'annotated-pods'].includes(j))) {
      expect([job, alerts.get(targetMissingAlertName(job))]).toEqual([job, `absent(up{job="${job}"} == 1)`]);
    }
    expect(alerts.get('GatewayDown')).toBe('absent(up{job="litellm-gateway"} == 1)');
    expect(alerts.get('AnnotatedPodTargetDown')).toBe('up{job="annotated-pods"} == 0');
  });
});

test('the check reports a job without such an alert, and an alert that only watches another job', () => {
  expect(
    jobsWithoutTargetAlert(
      ['redis', 'postgres', 'extra'],
      ['absent(up{job="redis"} == 1)', 'up{job="postgres"} == 0', 'absent(up{job="other"} == 1)', 'redis_up == 0'],
    ),
  ).toEqual(['extra']);
  expect(jobsWithoutTargetAlert(['redis'], ['up{job="redis"} == 1', 'absent(redis_up)'])).toEqual(['redis']);
});

test('with every optional source on, every job (kube-state-metrics, the kubelets’ cAdvisor) still has its alert, generated or written', () => {
  const overlay =
    'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  prometheus:\n    cadvisor: { enabled: true }\n    kubeStateMetrics: { enabled: true }\n';
  const { settings } = loadEnvironment(configCopy({ 'test.yaml': overlay }), 'test');
  const plan = planMonitoring('test', settings, CONTRIBUTIONS);
  const jobs = scrapeJobNames(plan.prometheusConfig);
  expect(jobs).toEqual(expect.arrayContaining(['kube-state-metrics', 'kubelet-cadvisor']));
  expect(
    jobsWithoutTargetAlert(
      jobs,
      [...plan.alerts.values()].flat().map((a) => a.expr),
    ),
  ).toEqual([]);
  // The generated alerts are owned by the job's component, so routing and inhibition treat them as its alerts.
  const owner = (name: string) => [...plan.alerts.entries()].find(([, list]) => list.some((a) => a.spec.name === name))?.[0];
  expect([
    owner('RedisTargetMissing'),
    owner('PostgresTargetMissing'),
    owner('KubeStateMetricsTargetMissing'),
    owner('KubeletCadvisorTargetMissing'),
  ]).toEqual(['cache', 'database', 'infrastructure', 'infrastructure']);
});
