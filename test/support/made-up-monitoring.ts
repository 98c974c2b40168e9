import { stat } from '../../lib/platform/dashboard-spec';
import { steady, type MetricSpec, type MonitoringContribution } from '../../lib/platform/monitoring-contribution';

/**
 * Small made-up monitoring contributions, for tests of how contributions are collected (the plan,
 * the generated doc tables) that must not depend on what the real components contribute.
 */

/** A gauge emitted by a made-up program on these scrape jobs. */
export const madeUpMetric = (name: string, jobs: string[], extra: Partial<MetricSpec> = {}): MetricSpec => ({
  name,
  type: 'gauge',
  help: name,
  labels: [],
  emitters: [{ program: 'made-up', jobs }],
  ...extra,
});

/** A component scraped by `job` when `deployed`, with one alert and one panel on `metricName`. */
export function madeUpComponent(name: string, job: string, deployed: boolean, metricName: string): MonitoringContribution {
  return {
    component: name,
    title: name,
    metrics: [
      madeUpMetric(metricName, [job]),
      { ...madeUpMetric('up', []), emitters: [{ program: 'prometheus', jobs: [], synthesised: true }] },
    ],
    scrapeTargets: () => (deployed ? [{ job, podLabels: { 'app.kubernetes.io/name': name }, portName: 'metrics' }] : []),
    alerts: [
      {
        name: `${name}Low`,
        expr: () => `${metricName} < 1`,
        for: '5m',
        severity: 'warning',
        summary: 's',
        description: 'd',
        runbook: 'r',
        tests: () => ({
          firing: { series: [{ series: metricName, values: steady(0) }] },
          quiet: { series: [{ series: metricName, values: steady(1) }] },
        }),
      },
    ],
    dashboards: [
      {
        uid: name.toLowerCase(),
        title: name,
        description: 'd',
        tags: [],
        rows: [{ title: 'Only', panels: [stat(`${name} value`, 'd', `max(${metricName})`)] }],
      },
    ],
  };
}
