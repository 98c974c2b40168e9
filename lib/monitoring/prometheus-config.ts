import * as yaml from 'js-yaml';
import type { PodScrapeTarget } from '../platform/monitoring-contribution';

/**
 * Renders `prometheus.yml` from plain data: global settings, rule files, Alertmanager discovery
 * and one scrape job per contributed pod target, plus a catch-all job for annotated pods.
 * Discovery is limited to the environment's namespace, so a namespaced Role is enough.
 */

/** Input of `renderPrometheusConfig`. */
export interface PrometheusConfigInput {
  /** Namespace to discover pods in. */
  readonly namespace: string;
  /** Environment name (an external label). */
  readonly environment: string;
  /** Scrape interval. */
  readonly scrapeInterval: string;
  /** Rule evaluation interval. */
  readonly evaluationInterval: string;
  /** Absolute paths of the rule files, as mounted. */
  readonly ruleFiles: readonly string[];
  /** Alertmanager pods and their port name. */
  readonly alertmanager: { readonly podLabels: Readonly<Record<string, string>>; readonly portName: string };
  /** Pod targets with a dedicated job. */
  readonly targets: readonly PodScrapeTarget[];
  /** Jobs beyond the namespace's pods (e.g. kubelet cAdvisor). */
  readonly extraScrapeConfigs: readonly Record<string, unknown>[];
}

/** The labels Prometheus adds to every alert and series it sends out: the environment and its namespace. */
export function externalLabels(environment: string, namespace: string): Record<string, string> {
  return { environment, namespace };
}

/** Job name of the catch-all job for pods annotated `prometheus.io/scrape: "true"`. */
export const ANNOTATED_PODS_JOB = 'annotated-pods';

/** The meta label Kubernetes SD gives a pod label: non-alphanumerics become `_`. */
export function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function podSd(namespace: string) {
  return [{ role: 'pod', namespaces: { names: [namespace] } }];
}

/** Relabel rules that keep only pods carrying all these labels. */
export function keepPods(labels: Readonly<Record<string, string>>) {
  const keys = Object.keys(labels).sort();
  return [{ source_labels: keys.map(podLabelMeta), regex: keys.map((k) => escapeRegex(labels[k])).join(';'), action: 'keep' }];
}

/** Relabel rules that read the target from the pod's `prometheus.io/*` annotations. */
export const ANNOTATION_RULES = [
  { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' },
  { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scheme'], regex: '(https?)', target_label: '__scheme__' },
  { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__' },
  // IPv4 pod address with the annotated port.
  {
    source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
    regex: '(\\d+);((([0-9]+?)(\\.|$)){4})',
    replacement: '$2:$1',
    target_label: '__address__',
  },
];

/** Relabel rules every pod job ends with: running pods only, and the namespace, pod and app labels. */
export const POD_RULES = [
  { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' },
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: [podLabelMeta('app.kubernetes.io/name')], target_label: 'app' },
];

/** The scrape job of one pod target. */
export function podScrapeJob(namespace: string, target: PodScrapeTarget): Record<string, unknown> {
  if (!target.portName && !target.annotations)
    throw new Error(`scrape target ${target.job}: give a portName or read the port from annotations`);
  const portRule = target.portName
    ? [{ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: escapeRegex(target.portName), action: 'keep' }]
    : [];
  return {
    job_name: target.job,
    metrics_path: target.path ?? '/metrics',
    honor_labels: target.honorLabels ?? false,
    kubernetes_sd_configs: podSd(namespace),
    relabel_configs: [...keepPods(target.podLabels), ...portRule, ...(target.annotations ? ANNOTATION_RULES : []), ...POD_RULES],
  };
}

/** The catch-all job: annotated pods that no dedicated job scrapes. */
export function annotatedPodsJob(namespace: string, dedicated: readonly PodScrapeTarget[]): Record<string, unknown> {
  const dropDedicated = dedicated.map((t) => ({ ...keepPods(t.podLabels)[0], action: 'drop' }));
  return {
    job_name: ANNOTATED_PODS_JOB,
    kubernetes_sd_configs: podSd(namespace),
    relabel_configs: [...dropDedicated, ...ANNOTATION_RULES, ...POD_RULES],
  };
}

/** The `prometheus.yml` object. */
export function prometheusConfig(input: PrometheusConfigInput): Record<string, unknown> {
  const jobs = new Set<string>();
  for (const t of input.targets) {
    if (jobs.has(t.job) || t.job === ANNOTATED_PODS_JOB) throw new Error(`scrape job ${t.job} is contributed twice`);
    jobs.add(t.job);
  }
  return {
    global: {
      scrape_interval: input.scrapeInterval,
      evaluation_interval: input.evaluationInterval,
      external_labels: externalLabels(input.environment, input.namespace),
    },
    rule_files: [...input.ruleFiles],
    alerting: {
      alertmanagers: [
        {
          api_version: 'v2',
          kubernetes_sd_configs: podSd(input.namespace),
          relabel_configs: [
            ...keepPods(input.alertmanager.podLabels),
            {
              source_labels: ['__meta_kubernetes_pod_container_port_name'],
              regex: escapeRegex(input.alertmanager.portName),
              action: 'keep',
            },
          ],
        },
      ],
    },
    scrape_configs: [
      ...input.targets.map((t) => podScrapeJob(input.namespace, t)),
      annotatedPodsJob(input.namespace, input.targets),
      ...input.extraScrapeConfigs,
    ],
  };
}

/** `prometheus.yml` as text. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  return yaml.dump(prometheusConfig(input), { lineWidth: -1, noRefs: true, quotingType: '"' });
}
