import { selectorLabels } from '../platform/labels';
import type { MonitoringSettings } from './config';
import { growing, steady, type MetricEmitter, type MetricSpec, type MonitoringContribution } from '../platform/monitoring-contribution';
import { orZeroWhileUp, q, stat, timeseries } from '../platform/dashboard-spec';
import { ALERTMANAGER_NAME, PROMETHEUS_NAME } from './stack-monitoring';
import { targetMissingAlert } from './target-alerts';

/**
 * Infrastructure: pod CPU, memory, network and restarts. Three sources, by what is switched on:
 * - always: the `process_*` metrics every Go and Python client exposes (restarts, CPU, memory of
 *   each scraped process);
 * - `monitoring.prometheus.kubeStateMetrics`: a namespaced kube-state-metrics (restarts, crash
 *   loops, replicas);
 * - `monitoring.prometheus.cadvisor`: the kubelets' cAdvisor (container CPU, memory, network),
 *   which needs a ClusterRole.
 */

/** Name of the kube-state-metrics workload and its scrape job. */
export const KUBE_STATE_METRICS_NAME = 'kube-state-metrics';
/** Scrape job of the kubelets' cAdvisor endpoint. */
export const CADVISOR_JOB = 'kubelet-cadvisor';

/** What the Kubernetes contribution reads: which sources are switched on. */
type KubernetesReads = { readonly monitoring: MonitoringSettings };
const ksmOn = (s: KubernetesReads) => s.monitoring.prometheus.kubeStateMetrics.enabled;
const cadvisorOn = (s: KubernetesReads) => s.monitoring.prometheus.cadvisor.enabled;

/**
 * Programs whose `process_*` metrics the contracts confirm (client_golang's process collector).
 * Other scraped programs may expose them too; these are the ones read at their pinned versions.
 */
const PROCESS_METRIC_EMITTERS: readonly MetricEmitter[] = [
  { program: 'prometheus', jobs: [PROMETHEUS_NAME] },
  { program: 'alertmanager', jobs: [ALERTMANAGER_NAME] },
];
/** kube-state-metrics' object metrics, from its own job (only where it runs). */
const FROM_KSM: readonly MetricEmitter[] = [{ program: 'kube-state-metrics', jobs: [KUBE_STATE_METRICS_NAME] }];
/** cAdvisor's container metrics, from the kubelets (only where `monitoring.prometheus.cadvisor` is on). */
const FROM_CADVISOR: readonly MetricEmitter[] = [{ program: 'cadvisor', jobs: [CADVISOR_JOB] }];

/** Metrics of processes (client libraries), kube-state-metrics and cAdvisor. */
export const KUBERNETES_METRICS: readonly MetricSpec[] = [
  {
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'Start time of the process (Unix seconds)',
    labels: [],
    emitters: PROCESS_METRIC_EMITTERS,
  },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'CPU time of the process', labels: [], emitters: PROCESS_METRIC_EMITTERS },
  {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory of the process',
    labels: [],
    emitters: PROCESS_METRIC_EMITTERS,
  },
  {
    name: 'kube_pod_container_status_restarts_total',
    type: 'counter',
    help: 'Container restarts (kube-state-metrics)',
    labels: ['namespace', 'pod', 'container'],
    emitters: FROM_KSM,
  },
  {
    name: 'kube_pod_container_status_waiting_reason',
    type: 'gauge',
    help: 'Container waiting, by reason (kube-state-metrics)',
    labels: ['namespace', 'pod', 'container', 'reason'],
    emitters: FROM_KSM,
  },
  {
    name: 'kube_deployment_spec_replicas',
    type: 'gauge',
    help: 'Desired replicas (kube-state-metrics)',
    labels: ['namespace', 'deployment'],
    emitters: FROM_KSM,
  },
  {
    name: 'kube_deployment_status_replicas_available',
    type: 'gauge',
    help: 'Available replicas (kube-state-metrics)',
    labels: ['namespace', 'deployment'],
    emitters: FROM_KSM,
  },
  {
    name: 'kube_pod_status_phase',
    type: 'gauge',
    help: 'Pod phase (kube-state-metrics)',
    labels: ['namespace', 'pod', 'phase'],
    emitters: FROM_KSM,
  },
  {
    name: 'container_cpu_usage_seconds_total',
    type: 'counter',
    help: 'Container CPU time (cAdvisor)',
    labels: ['namespace', 'pod', 'container'],
    emitters: FROM_CADVISOR,
  },
  {
    name: 'container_memory_working_set_bytes',
    type: 'gauge',
    help: 'Container working set (cAdvisor)',
    labels: ['namespace', 'pod', 'container'],
    emitters: FROM_CADVISOR,
  },
  {
    name: 'container_spec_memory_limit_bytes',
    type: 'gauge',
    help: 'Container memory limit (cAdvisor)',
    labels: ['namespace', 'pod', 'container'],
    emitters: FROM_CADVISOR,
  },
  {
    name: 'container_network_receive_bytes_total',
    type: 'counter',
    help: 'Bytes received by the pod (cAdvisor)',
    labels: ['namespace', 'pod', 'interface'],
    emitters: FROM_CADVISOR,
  },
  {
    name: 'container_network_transmit_bytes_total',
    type: 'counter',
    help: 'Bytes sent by the pod (cAdvisor)',
    labels: ['namespace', 'pod', 'interface'],
    emitters: FROM_CADVISOR,
  },
];

/** The kubelet cAdvisor job: kubelets found through node discovery, only this namespace's series kept. */
export function cadvisorScrapeConfig(namespace: string): Record<string, unknown> {
  return {
    job_name: CADVISOR_JOB,
    scheme: 'https',
    metrics_path: '/metrics/cadvisor',
    // Kubelet serving certificates are usually self-signed per node; the token still authenticates.
    tls_config: { ca_file: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt', insecure_skip_verify: true },
    authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
    metric_relabel_configs: [{ source_labels: ['namespace'], regex: namespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), action: 'keep' }],
  };
}

const KSM = 'job="kube-state-metrics",namespace="ns"';

/** The infrastructure contribution. */
export const kubernetesMonitoring: MonitoringContribution<KubernetesReads> = {
  component: 'infrastructure',
  title: 'Infrastructure (pods and containers)',
  metrics: KUBERNETES_METRICS,
  scrapeTargets: (ctx) =>
    ksmOn(ctx.settings)
      ? [
          {
            job: KUBE_STATE_METRICS_NAME,
            podLabels: selectorLabels(KUBE_STATE_METRICS_NAME, ctx.environment),
            portName: 'metrics',
            honorLabels: true,
          },
        ]
      : [],
  extraScrapeConfigs: (ctx) => (cadvisorOn(ctx.settings) ? [cadvisorScrapeConfig(ctx.namespace)] : []),
  alerts: [
    {
      name: 'PodRestartingFrequently',
      threshold: { value: 2, meaning: 'process restarts of one target in 15m', max: 14 },
      expr: (t) => `changes(process_start_time_seconds[15m]) > ${t}`,
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.pod }} ({{ $labels.job }}) keeps restarting',
      description: 'The process behind this target restarted more often than the threshold in 15 minutes (crash or OOM kill).',
      runbook: 'kubectl describe pod {{ $labels.pod }} (Last State: OOMKilled or Error), then kubectl logs --previous.',
      tests: () => ({
        // A restart every minute: 14 changes per 15m window, above any allowed threshold.
        firing: {
          series: [{ series: 'process_start_time_seconds{job="redis",pod="redis-0"}', values: growing(60) }],
          labels: { job: 'redis', pod: 'redis-0' },
        },
        quiet: { series: [{ series: 'process_start_time_seconds{job="redis",pod="redis-0"}', values: steady(1700000000) }] },
      }),
    },
    {
      name: 'KubePodCrashLooping',
      expr: () => 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
      for: '15m',
      severity: 'warning',
      summary: 'Container {{ $labels.container }} of {{ $labels.pod }} is crash-looping',
      description: 'Kubernetes keeps restarting the container with back-off.',
      runbook: 'kubectl logs {{ $labels.pod }} -c {{ $labels.container }} --previous',
      tests: () => ({
        firing: {
          series: [
            {
              series: `kube_pod_container_status_waiting_reason{${KSM},pod="gw-1",container="litellm",reason="CrashLoopBackOff"}`,
              values: steady(1),
            },
          ],
          labels: { job: 'kube-state-metrics', namespace: 'ns', pod: 'gw-1', container: 'litellm', reason: 'CrashLoopBackOff' },
        },
        quiet: {
          series: [
            {
              series: `kube_pod_container_status_waiting_reason{${KSM},pod="gw-1",container="litellm",reason="CrashLoopBackOff"}`,
              values: steady(0),
            },
          ],
        },
      }),
    },
    {
      name: 'KubeDeploymentReplicasMismatch',
      expr: () => 'kube_deployment_spec_replicas > kube_deployment_status_replicas_available',
      for: '15m',
      severity: 'warning',
      summary: 'Deployment {{ $labels.deployment }} lacks available replicas',
      description: 'Fewer pods are available than desired: capacity is reduced, or a rollout is stuck.',
      runbook: 'kubectl rollout status deployment/{{ $labels.deployment }}; kubectl get events for scheduling or quota errors.',
      tests: () => ({
        firing: {
          series: [
            { series: `kube_deployment_spec_replicas{${KSM},deployment="litellm-gateway"}`, values: steady(3) },
            { series: `kube_deployment_status_replicas_available{${KSM},deployment="litellm-gateway"}`, values: steady(1) },
          ],
          labels: { job: 'kube-state-metrics', namespace: 'ns', deployment: 'litellm-gateway' },
        },
        quiet: {
          series: [
            { series: `kube_deployment_spec_replicas{${KSM},deployment="litellm-gateway"}`, values: steady(3) },
            { series: `kube_deployment_status_replicas_available{${KSM},deployment="litellm-gateway"}`, values: steady(3) },
          ],
        },
      }),
    },
    // The cAdvisor job is raw config (node discovery), so its disappearance alert is written here.
    targetMissingAlert({
      job: CADVISOR_JOB,
      impact: 'Container CPU, memory and network panels go empty and ContainerMemoryNearLimit cannot fire.',
      where: 'kubectl get nodes; check the ClusterRole for nodes/metrics and the egress to monitoring.prometheus.cadvisor.kubelets',
    }),
    {
      name: 'ContainerMemoryNearLimit',
      threshold: { value: 0.9, meaning: 'working set as a share (0-1) of the memory limit', max: 1 },
      expr: (t) =>
        `max by (namespace, pod, container) (container_memory_working_set_bytes{container!=""}) / max by (namespace, pod, container) (container_spec_memory_limit_bytes{container!=""} > 0) > ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Container {{ $labels.container }} of {{ $labels.pod }} is near its memory limit',
      description: 'It will be OOM-killed if it grows further.',
      runbook: 'Check the memory trend on the infrastructure dashboard; raise the limit in config or find the leak.',
      tests: (t) => {
        const mem = (used: number) => [
          { series: 'container_spec_memory_limit_bytes{namespace="ns",pod="gw-1",container="litellm"}', values: steady(1000) },
          { series: 'container_memory_working_set_bytes{namespace="ns",pod="gw-1",container="litellm"}', values: steady(used) },
        ];
        return {
          firing: { series: mem(Math.min(1000, 1000 * t + 50)), labels: { namespace: 'ns', pod: 'gw-1', container: 'litellm' } },
          quiet: { series: mem(1000 * t * 0.5) },
        };
      },
    },
  ],
  dashboards: [
    {
      uid: 'infrastructure',
      title: 'Infrastructure',
      description:
        'Pod CPU, memory, network and restarts. Container panels need cAdvisor, restart and replica panels kube-state-metrics (monitoring.prometheus.*); process panels always work.',
      tags: ['infrastructure', 'kubernetes'],
      rows: [
        {
          title: 'Restarts and availability',
          panels: [
            stat('Targets up', 'Healthy scrape targets.', 'sum(up)'),
            stat(
              'Restarts (1h)',
              'Container restarts in the last hour (kube-state-metrics).',
              'sum(increase(kube_pod_container_status_restarts_total[1h]))',
              { redFrom: 1 },
            ),
            stat(
              'Crash-looping',
              'Containers in CrashLoopBackOff (kube-state-metrics).',
              orZeroWhileUp('sum(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"})', KUBE_STATE_METRICS_NAME),
              { redFrom: 1 },
            ),
            stat(
              'Pods not running',
              'Pods pending or failed (kube-state-metrics).',
              'sum(kube_pod_status_phase{phase=~"Pending|Failed|Unknown"})',
              { redFrom: 1 },
            ),
            timeseries(
              'Restarts by pod',
              'Container restarts per hour (kube-state-metrics).',
              [q('sum by (pod) (increase(kube_pod_container_status_restarts_total[1h]))', '{{ pod }}')],
              { width: 12 },
            ),
            timeseries(
              'Process restarts by target',
              'Process start-time changes per hour (any scraped target).',
              [q('changes(process_start_time_seconds[1h])', '{{ job }} {{ pod }}')],
              { width: 12 },
            ),
            timeseries(
              'Replicas',
              'Available against desired, by deployment.',
              [
                q('sum by (deployment) (kube_deployment_status_replicas_available)', 'available {{ deployment }}'),
                q('sum by (deployment) (kube_deployment_spec_replicas)', 'desired {{ deployment }}'),
              ],
              { width: 24 },
            ),
          ],
        },
        {
          title: 'CPU and memory',
          panels: [
            timeseries(
              'Container CPU',
              'Cores used per pod (cAdvisor).',
              [q('sum by (pod) (rate(container_cpu_usage_seconds_total{container!=""}[$__rate_interval]))', '{{ pod }}')],
              { width: 12 },
            ),
            timeseries(
              'Container memory',
              'Working set per pod (cAdvisor).',
              [q('sum by (pod) (container_memory_working_set_bytes{container!=""})', '{{ pod }}')],
              { unit: 'bytes', width: 12 },
            ),
            timeseries(
              'Process CPU',
              'Cores used per scraped process.',
              [q('sum by (job, pod) (rate(process_cpu_seconds_total[$__rate_interval]))', '{{ job }} {{ pod }}')],
              { width: 12 },
            ),
            timeseries(
              'Process memory',
              'Resident memory per scraped process.',
              [q('sum by (job, pod) (process_resident_memory_bytes)', '{{ job }} {{ pod }}')],
              { unit: 'bytes', width: 12 },
            ),
            timeseries(
              'Memory against limit',
              'Working set over the limit, per container (cAdvisor).',
              [
                q(
                  'max by (pod, container) (container_memory_working_set_bytes{container!=""}) / max by (pod, container) (container_spec_memory_limit_bytes{container!=""} > 0)',
                  '{{ pod }}/{{ container }}',
                ),
              ],
              { unit: 'percentunit', width: 24 },
            ),
          ],
        },
        {
          title: 'Network',
          panels: [
            timeseries(
              'Received',
              'Bytes per second received per pod (cAdvisor).',
              [q('sum by (pod) (rate(container_network_receive_bytes_total[$__rate_interval]))', '{{ pod }}')],
              { unit: 'Bps', width: 12 },
            ),
            timeseries(
              'Sent',
              'Bytes per second sent per pod (cAdvisor).',
              [q('sum by (pod) (rate(container_network_transmit_bytes_total[$__rate_interval]))', '{{ pod }}')],
              { unit: 'Bps', width: 12 },
            ),
          ],
        },
      ],
    },
  ],
};
