import { selectorLabels } from '../platform/labels';
import { growing, steady, type MetricEmitter, type MetricSpec, type MonitoringContribution } from '../platform/monitoring-contribution';
import { orZeroWhileUp, q, stat, timeseries } from '../platform/dashboard-spec';
import type { MonitoringSettings } from './config';
import { ANNOTATED_PODS_JOB } from './prometheus-config';

/** What the stack's contribution reads: whether Alertmanager runs clustered. */
type StackReads = { readonly monitoring: MonitoringSettings };

/** Names (`app.kubernetes.io/name`, workload and scrape job) of the monitoring stack's parts. */
export const PROMETHEUS_NAME = 'prometheus';
export const ALERTMANAGER_NAME = 'alertmanager';
export const GRAFANA_NAME = 'grafana';

/** Scraped from Prometheus itself (job `prometheus`). */
const FROM_PROMETHEUS: readonly MetricEmitter[] = [{ program: 'prometheus', jobs: [PROMETHEUS_NAME] }];
/** Made by Prometheus, not scraped. */
const SYNTHESISED: readonly MetricEmitter[] = [{ program: 'prometheus', jobs: [], synthesised: true }];
/** Scraped from Alertmanager (job `alertmanager`). */
const FROM_ALERTMANAGER: readonly MetricEmitter[] = [{ program: 'alertmanager', jobs: [ALERTMANAGER_NAME] }];
/** Alertmanager's gossip metrics: registered only when clustering is on (contracts/alertmanager, alertmanager_cluster_members). */
const FROM_CLUSTERED_ALERTMANAGER: readonly MetricEmitter<StackReads>[] = [
  {
    program: 'alertmanager',
    jobs: [ALERTMANAGER_NAME],
    only: {
      when: (s) => s.monitoring.alertmanager.replicas > 1,
      condition: 'Alertmanager runs clustered (monitoring.alertmanager.replicas > 1)',
    },
  },
];

/** What Prometheus and Alertmanager expose about themselves (and `up`/`ALERTS`, which Prometheus synthesises). */
export const STACK_METRICS: readonly MetricSpec<StackReads>[] = [
  {
    name: 'up',
    type: 'gauge',
    help: '1 when the last scrape of a target succeeded (synthesised per target)',
    labels: ['job', 'instance'],
    emitters: SYNTHESISED,
  },
  {
    name: 'ALERTS',
    type: 'gauge',
    help: 'Pending and firing alerts (synthesised by the rule engine)',
    labels: ['alertname', 'alertstate', 'severity', 'component'],
    emitters: SYNTHESISED,
  },
  {
    name: 'prometheus_config_last_reload_successful',
    type: 'gauge',
    help: '1 when the last config reload succeeded',
    labels: [],
    emitters: FROM_PROMETHEUS,
  },
  {
    name: 'prometheus_rule_evaluation_failures_total',
    type: 'counter',
    help: 'Rule evaluations that failed',
    labels: ['rule_group'],
    emitters: FROM_PROMETHEUS,
  },
  {
    name: 'prometheus_notifications_alertmanagers_discovered',
    type: 'gauge',
    help: 'Alertmanagers discovered and active',
    labels: [],
    emitters: FROM_PROMETHEUS,
  },
  {
    name: 'prometheus_notifications_errors_total',
    type: 'counter',
    help: 'Errors sending alerts to an Alertmanager',
    labels: ['alertmanager'],
    emitters: FROM_PROMETHEUS,
  },
  {
    name: 'prometheus_notifications_sent_total',
    type: 'counter',
    help: 'Alerts sent to an Alertmanager',
    labels: ['alertmanager'],
    emitters: FROM_PROMETHEUS,
  },
  { name: 'prometheus_tsdb_head_series', type: 'gauge', help: 'Series in the head block', labels: [], emitters: FROM_PROMETHEUS },
  {
    name: 'prometheus_tsdb_head_samples_appended_total',
    type: 'counter',
    help: 'Samples appended to the head',
    labels: ['type'],
    emitters: FROM_PROMETHEUS,
  },
  {
    name: 'alertmanager_config_last_reload_successful',
    type: 'gauge',
    help: '1 when the last config reload succeeded',
    labels: [],
    emitters: FROM_ALERTMANAGER,
  },
  {
    name: 'alertmanager_notifications_total',
    type: 'counter',
    help: 'Notifications attempted, per integration',
    labels: ['integration'],
    emitters: FROM_ALERTMANAGER,
  },
  {
    name: 'alertmanager_notifications_failed_total',
    type: 'counter',
    help: 'Notifications that failed, per integration',
    labels: ['integration', 'reason'],
    emitters: FROM_ALERTMANAGER,
  },
  {
    name: 'alertmanager_cluster_members',
    type: 'gauge',
    help: 'Members of the gossip cluster this instance sees',
    labels: [],
    emitters: FROM_CLUSTERED_ALERTMANAGER,
  },
  { name: 'alertmanager_alerts', type: 'gauge', help: 'Alerts held, by state', labels: ['state'], emitters: FROM_ALERTMANAGER },
];

const PROM = 'job="prometheus",pod="prometheus-0"';
const AM = 'job="alertmanager",pod="alertmanager-0"';

/** The monitoring stack's own contribution: targets, watchdog, and the platform overview. */
export const stackMonitoring: MonitoringContribution<StackReads> = {
  component: 'monitoring',
  title: 'Monitoring stack',
  metrics: STACK_METRICS,
  // The stack's own pods run only in bundled mode; in operator mode the team's stack watches itself,
  // and the alerts on these jobs' series are left out (no dead signal: lib/monitoring/coverage.ts).
  scrapeTargets: (ctx) =>
    ctx.settings.monitoring.mode === 'operator'
      ? []
      : [
          { job: PROMETHEUS_NAME, podLabels: selectorLabels(PROMETHEUS_NAME, ctx.environment), portName: 'http' },
          { job: ALERTMANAGER_NAME, podLabels: selectorLabels(ALERTMANAGER_NAME, ctx.environment), portName: 'http' },
          { job: GRAFANA_NAME, podLabels: selectorLabels(GRAFANA_NAME, ctx.environment), portName: 'http' },
        ],
  alerts: [
    {
      name: 'Watchdog',
      expr: () => 'vector(1)',
      for: '0s',
      severity: 'none',
      summary: 'Alerting pipeline heartbeat',
      description: 'Always firing. If the watchdog receiver stops getting it, Prometheus or Alertmanager is broken.',
      runbook: 'Route it to a dead-man-switch service (monitoring.alertmanager.routing.watchdog); silence it nowhere.',
      tests: () => ({ firing: { series: [] } }),
    },
    {
      name: 'TargetDown',
      threshold: { value: 10, meaning: 'percent of a job’s targets down', max: 95 },
      expr: (t) => `100 * (count by (job, namespace) (up == 0) / count by (job, namespace) (up)) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: '{{ $labels.job }} targets are down',
      description: 'More than the threshold share of the {{ $labels.job }} targets in {{ $labels.namespace }} cannot be scraped.',
      runbook: 'Prometheus UI → Status → Targets shows the scrape error; check the pods and the NetworkPolicy allowing Prometheus in.',
      tests: (t) => {
        // n targets, `down` of them failing: down/n is just above (firing) or below (quiet) t%.
        const n = 10;
        const fleet = (down: number) =>
          Array.from({ length: n }, (_, i) => ({
            series: `up{job="redis",namespace="ns",pod="redis-${i}"}`,
            values: steady(i < down ? 0 : 1),
          }));
        return {
          firing: { series: fleet(Math.min(n, Math.floor((n * t) / 100) + 1)), labels: { job: 'redis', namespace: 'ns' } },
          quiet: { series: fleet(Math.max(0, Math.ceil((n * t) / 100) - 1)) },
        };
      },
    },
    {
      // The catch-all job may have no target at all (nothing annotated): a missing target is no
      // failure there, but one that exists and cannot be scraped is.
      name: 'AnnotatedPodTargetDown',
      expr: () => `up{job="${ANNOTATED_PODS_JOB}"} == 0`,
      for: '10m',
      severity: 'warning',
      summary: 'Annotated pod {{ $labels.pod }} cannot be scraped',
      description:
        'Pod {{ $labels.pod }} asks to be scraped (prometheus.io/scrape) but Prometheus cannot read its metrics; its series are missing.',
      runbook:
        'Prometheus UI → Status → Targets, job annotated-pods: the scrape error; check the pod’s prometheus.io/port and path and that its metrics port is named metrics.',
      tests: () => ({
        firing: {
          series: [{ series: `up{job="${ANNOTATED_PODS_JOB}",pod="worker-0"}`, values: steady(0) }],
          labels: { job: ANNOTATED_PODS_JOB, pod: 'worker-0' },
        },
        quiet: { series: [{ series: `up{job="${ANNOTATED_PODS_JOB}",pod="worker-0"}`, values: steady(1) }] },
      }),
    },
    {
      name: 'PrometheusConfigReloadFailed',
      expr: () => 'max_over_time(prometheus_config_last_reload_successful[5m]) == 0',
      for: '10m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} cannot load its configuration',
      description: 'The last reload failed: Prometheus runs the previous config and rules, and config changes do not apply.',
      runbook:
        'kubectl logs the pod (container prometheus) for the parse error; run promtool check config on the prometheus-config ConfigMap.',
      tests: () => ({
        firing: {
          series: [{ series: `prometheus_config_last_reload_successful{${PROM}}`, values: steady(0) }],
          labels: { job: 'prometheus', pod: 'prometheus-0' },
        },
        quiet: { series: [{ series: `prometheus_config_last_reload_successful{${PROM}}`, values: steady(1) }] },
      }),
    },
    {
      name: 'PrometheusRuleEvaluationFailures',
      expr: () => 'increase(prometheus_rule_evaluation_failures_total[5m]) > 0',
      for: '15m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} fails to evaluate rules',
      description: 'Rules of group {{ $labels.rule_group }} fail; their alerts may never fire.',
      runbook: 'Prometheus UI → Status → Rules shows the error of each rule.',
      tests: () => ({
        firing: {
          series: [{ series: `prometheus_rule_evaluation_failures_total{${PROM},rule_group="gateway.rules"}`, values: growing(1) }],
          labels: { job: 'prometheus', pod: 'prometheus-0', rule_group: 'gateway.rules' },
        },
        quiet: { series: [{ series: `prometheus_rule_evaluation_failures_total{${PROM},rule_group="gateway.rules"}`, values: steady(0) }] },
      }),
    },
    {
      name: 'PrometheusNotConnectedToAlertmanagers',
      expr: () => 'max_over_time(prometheus_notifications_alertmanagers_discovered[5m]) < 1',
      for: '10m',
      severity: 'warning',
      summary: 'Prometheus {{ $labels.pod }} finds no Alertmanager',
      description: 'Alerts fire but are sent nowhere.',
      runbook: 'Check the alertmanager pods are ready and the NetworkPolicy allows Prometheus to reach them on port 9093.',
      tests: () => ({
        firing: {
          series: [{ series: `prometheus_notifications_alertmanagers_discovered{${PROM}}`, values: steady(0) }],
          labels: { job: 'prometheus', pod: 'prometheus-0' },
        },
        quiet: { series: [{ series: `prometheus_notifications_alertmanagers_discovered{${PROM}}`, values: steady(3) }] },
      }),
    },
    {
      name: 'PrometheusNotificationsFailing',
      threshold: { value: 0.03, meaning: 'share (0-1) of alerts Prometheus fails to send to every Alertmanager', max: 1 },
      expr: (t) =>
        `min without (alertmanager) (rate(prometheus_notifications_errors_total[5m]) / rate(prometheus_notifications_sent_total[5m])) > ${t}`,
      for: '15m',
      severity: 'critical',
      summary: 'Prometheus {{ $labels.pod }} cannot deliver alerts',
      description: 'Sending alerts to every Alertmanager fails more often than the threshold.',
      runbook: 'kubectl logs the prometheus container ("Error sending alert"); check Alertmanager health.',
      tests: (t) => {
        const sending = (errorsPerMinute: number) => [
          {
            series: `prometheus_notifications_sent_total{${PROM},alertmanager="http://10.0.0.1:9093/api/v2/alerts"}`,
            values: growing(100),
          },
          {
            series: `prometheus_notifications_errors_total{${PROM},alertmanager="http://10.0.0.1:9093/api/v2/alerts"}`,
            values: growing(errorsPerMinute),
          },
        ];
        return {
          firing: { series: sending(100 * Math.min(1, t * 2)), labels: { job: 'prometheus', pod: 'prometheus-0' } },
          quiet: { series: sending(100 * t * 0.3) },
        };
      },
    },
    {
      name: 'AlertmanagerConfigReloadFailed',
      expr: () => 'max_over_time(alertmanager_config_last_reload_successful[5m]) == 0',
      for: '10m',
      severity: 'critical',
      summary: 'Alertmanager {{ $labels.pod }} cannot load its configuration',
      description: 'The last reload failed: Alertmanager keeps routing with the previous configuration.',
      runbook: 'kubectl logs the pod (container alertmanager); run amtool check-config on the alertmanager-config ConfigMap.',
      tests: () => ({
        firing: {
          series: [{ series: `alertmanager_config_last_reload_successful{${AM}}`, values: steady(0) }],
          labels: { job: 'alertmanager', pod: 'alertmanager-0' },
        },
        quiet: { series: [{ series: `alertmanager_config_last_reload_successful{${AM}}`, values: steady(1) }] },
      }),
    },
    {
      name: 'AlertmanagerNotificationsFailing',
      threshold: { value: 0.01, meaning: 'share (0-1) of notifications of one integration that fail', max: 1 },
      expr: (t) =>
        `sum by (integration) (rate(alertmanager_notifications_failed_total[15m])) / sum by (integration) (rate(alertmanager_notifications_total[15m])) > ${t}`,
      for: '5m',
      severity: 'warning',
      summary: 'Alertmanager fails to notify via {{ $labels.integration }}',
      description: 'Notifications through this integration (webhook, slack, email) fail; someone may miss an alert.',
      runbook: 'kubectl logs the alertmanager pods ("Notify for alerts failed"); check the receiver Secret and the egress NetworkPolicy.',
      tests: (t) => {
        const notify = (failedPerMinute: number) => [
          { series: `alertmanager_notifications_total{${AM},integration="webhook"}`, values: growing(10) },
          { series: `alertmanager_notifications_failed_total{${AM},integration="webhook"}`, values: growing(failedPerMinute) },
        ];
        return {
          firing: { series: notify(10 * Math.min(1, t * 3)), labels: { integration: 'webhook' } },
          quiet: { series: notify(10 * t * 0.3) },
        };
      },
    },
  ],
  dashboards: [
    {
      uid: 'platform-overview',
      title: 'Suoke Life platform overview',
      description: 'One screen for the whole platform: targets, alerts, LLM traffic and spend, cache and database.',
      tags: ['overview'],
      rows: [
        {
          title: 'Health',
          panels: [
            stat('Targets down', 'Scrape targets failing now.', orZeroWhileUp('count(up == 0)', PROMETHEUS_NAME), { redFrom: 1 }),
            stat(
              'Critical alerts',
              'Critical alerts firing now.',
              orZeroWhileUp('count(ALERTS{alertstate="firing",severity="critical"})', PROMETHEUS_NAME),
              { redFrom: 1 },
            ),
            stat(
              'Warnings',
              'Warning alerts firing now.',
              orZeroWhileUp('count(ALERTS{alertstate="firing",severity="warning"})', PROMETHEUS_NAME),
            ),
            stat('Alertmanager peers', 'Gossip cluster members seen by each Alertmanager (lowest).', 'min(alertmanager_cluster_members)'),
            timeseries('Targets up by job', 'Healthy scrape targets per job.', [q('sum by (job) (up)', '{{ job }}')], { width: 12 }),
            timeseries('Firing alerts', 'By component.', [q('count by (component) (ALERTS{alertstate="firing"})', '{{ component }}')], {
              width: 12,
              stacked: true,
            }),
          ],
        },
        {
          title: 'LLM and agents',
          panels: [
            stat('Gateway requests/s', 'All gateway requests.', 'sum(rate(litellm_proxy_total_requests_metric_total[5m]))', {
              unit: 'reqps',
            }),
            stat(
              'Gateway error ratio',
              'Failed over all requests, 5m.',
              'sum(rate(litellm_proxy_failed_requests_metric_total[5m])) / sum(rate(litellm_proxy_total_requests_metric_total[5m]))',
              { unit: 'percentunit', redFrom: 0.05 },
            ),
            stat('Spend today', 'USD over the last 24 hours.', 'sum(increase(litellm_spend_metric_total[1d]))', { unit: 'currencyUSD' }),
            // PraisonAI reports no runs; the agents' calls at the gateway stand for them (lib/agents/agent-monitoring.ts).
            stat(
              'Agent calls failed (1h)',
              'Share of the workflows’ model calls that failed (gateway, by workflow key).',
              'sum(rate(litellm_proxy_failed_requests_metric_total{api_key_alias!=""}[1h])) / sum(rate(litellm_proxy_total_requests_metric_total{api_key_alias!=""}[1h]))',
              { unit: 'percentunit', redFrom: 0.1 },
            ),
          ],
        },
        {
          title: 'Data stores and monitoring',
          panels: [
            stat('Redis up', '1 when Redis answers the exporter.', 'min(redis_up)'),
            stat('PostgreSQL up', '1 when PostgreSQL answers the exporter (empty with an external database).', 'min(pg_up)'),
            stat('Series in Prometheus', 'Active series in the head block.', 'sum(prometheus_tsdb_head_series)'),
            stat(
              'Notifications failed (1h)',
              'Alertmanager notifications that failed in the last hour.',
              orZeroWhileUp('sum(increase(alertmanager_notifications_failed_total[1h]))', ALERTMANAGER_NAME),
              { redFrom: 1 },
            ),
            timeseries(
              'Samples ingested',
              'Samples appended per second.',
              [q('sum(rate(prometheus_tsdb_head_samples_appended_total[$__rate_interval]))', 'samples/s')],
              { width: 12 },
            ),
            timeseries(
              'Notifications',
              'Sent and failed per integration.',
              [
                q('sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))', 'sent {{ integration }}'),
                q('sum by (integration) (rate(alertmanager_notifications_failed_total[$__rate_interval]))', 'failed {{ integration }}'),
              ],
              { width: 12 },
            ),
          ],
        },
      ],
    },
  ],
};
