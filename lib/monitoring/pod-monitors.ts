import { Construct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction as Action,
  type PodMonitorSpec,
  type PodMonitorSpecPodMetricsEndpoints,
  type PodMonitorSpecPodMetricsEndpointsRelabelings,
} from '../../imports/podmonitor-monitoring.coreos.com';
import type { PodScrapeTarget } from '../platform/monitoring-contribution';
import { ANNOTATED_PODS_JOB, ANNOTATION_RULES, keepPods, POD_RULES } from './prometheus-config';

/**
 * The scrape jobs of `prometheus.yml` as PodMonitors (monitoring.coreos.com/v1), for a team's
 * prometheus-operator Prometheus: the same pods, port, path and relabelling, and the same `job`
 * label. The operator relabels `job` to `<namespace>/<PodMonitor name>` and adds `container` and
 * `endpoint` before a monitor's own relabelings (contracts/prometheus-operator, targetLabels), so each
 * monitor sets `job` back to the bundled job name and drops the two labels the bundled jobs do not have:
 * alerts, dashboards and the metric coverage read the same series in both modes.
 */

/** A relabel rule as written in `prometheus.yml`. */
interface PrometheusRelabelRule {
  readonly source_labels?: readonly string[];
  readonly regex?: string;
  readonly replacement?: string;
  readonly target_label?: string;
  readonly action?: string;
}

const ACTIONS: Readonly<Record<string, Action>> = { keep: Action.KEEP, drop: Action.DROP, replace: Action.REPLACE };

/** A `prometheus.yml` relabel rule as a monitor relabeling (RelabelConfig). */
export function relabeling(rule: PrometheusRelabelRule): PodMonitorSpecPodMetricsEndpointsRelabelings {
  const action = rule.action === undefined ? undefined : ACTIONS[rule.action];
  if (rule.action !== undefined && !action) throw new Error(`relabel action ${rule.action} has no RelabelConfig equivalent here`);
  return {
    sourceLabels: rule.source_labels && [...rule.source_labels],
    regex: rule.regex,
    replacement: rule.replacement,
    targetLabel: rule.target_label,
    action,
  };
}

/** What makes the operator's target labels those of the bundled job `job`. */
export function bundledJobLabels(job: string): PodMonitorSpecPodMetricsEndpointsRelabelings[] {
  return [
    { targetLabel: 'job', replacement: job },
    { action: Action.LABELDROP, regex: 'container|endpoint' },
  ];
}

/** The `job` label a PodMonitor's targets get (the replacement of its last relabeling of `job`). */
export function podMonitorJob(spec: PodMonitorSpec): string | undefined {
  const jobs = (spec.podMetricsEndpoints ?? []).flatMap((e) => (e.relabelings ?? []).filter((r) => r.targetLabel === 'job'));
  return jobs.at(-1)?.replacement;
}

/** The PodMonitor spec of one pod target, in `namespace`. */
export function podMonitorSpec(namespace: string, target: PodScrapeTarget): PodMonitorSpec {
  if (!target.portName && !target.annotations)
    throw new Error(`scrape target ${target.job}: give a portName or read the port from annotations`);
  const endpoint: PodMonitorSpecPodMetricsEndpoints = {
    port: target.portName,
    // As in prometheus.yml: the job's path, which the annotation rules (if any) may replace.
    path: target.path ?? '/metrics',
    honorLabels: target.honorLabels ?? false,
    relabelings: [...(target.annotations ? ANNOTATION_RULES : []), ...POD_RULES].map(relabeling).concat(bundledJobLabels(target.job)),
  };
  return {
    selector: { matchLabels: { ...target.podLabels } },
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [endpoint],
  };
}

/**
 * The catch-all monitor: pods of the namespace annotated `prometheus.io/scrape: "true"` that no
 * dedicated monitor scrapes, on the port and path their annotations give (job `annotated-pods`).
 */
export function annotatedPodsMonitorSpec(namespace: string, dedicated: readonly PodScrapeTarget[]): PodMonitorSpec {
  const dropDedicated = dedicated.map((t) => ({ ...keepPods(t.podLabels)[0], action: 'drop' }));
  return {
    selector: {},
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [
      { relabelings: [...dropDedicated, ...ANNOTATION_RULES, ...POD_RULES].map(relabeling).concat(bundledJobLabels(ANNOTATED_PODS_JOB)) },
    ],
  };
}

/** Properties of PodMonitors. */
export interface PodMonitorsProps {
  /** The namespace whose pods are scraped. */
  readonly namespace: string;
  /** The pod targets with a job of their own. */
  readonly targets: readonly PodScrapeTarget[];
  /** Labels the team's Prometheus selects PodMonitors by (`podMonitorSelector`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** One PodMonitor per scrape target, and the catch-all for annotated pods; each named after its job. */
export class PodMonitors extends Construct {
  /** The monitors, by job name. */
  public readonly monitors: ReadonlyMap<string, PodMonitor>;

  constructor(scope: Construct, id: string, props: PodMonitorsProps) {
    super(scope, id);
    const metadata = (job: string) => ({ name: job, labels: { ...props.selectorLabels } });
    const monitors = new Map<string, PodMonitor>();
    for (const target of props.targets) {
      monitors.set(
        target.job,
        new PodMonitor(this, target.job, { metadata: metadata(target.job), spec: podMonitorSpec(props.namespace, target) }),
      );
    }
    monitors.set(
      ANNOTATED_PODS_JOB,
      new PodMonitor(this, ANNOTATED_PODS_JOB, {
        metadata: metadata(ANNOTATED_PODS_JOB),
        spec: annotatedPodsMonitorSpec(props.namespace, props.targets),
      }),
    );
    this.monitors = monitors;
  }
}
