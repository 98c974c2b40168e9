import {
  steady,
  type AlertRuleSpec,
  type MonitoringContext,
  type MonitoringContribution,
  type PodScrapeTarget,
  type Severity,
} from '../platform/monitoring-contribution';

/**
 * Every scrape job has an alert for its targets disappearing. When a job has no target left (its
 * pods are gone, never became ready, or no longer match its selector), `up` of that job vanishes
 * with every other series it brought, and no alert on those series can fire any more: TargetDown
 * sees only targets that exist and fail. So each job gets `absent(up{job="<job>"} == 1)`, which
 * fires both when the targets are gone and when none of them is up.
 *
 * Pod jobs get theirs generated from their scrape target (`<Job>TargetMissing`, owned by the
 * contributing component, so it is routed and inhibited with that component's alerts), unless the
 * target names an alert of its own that already does it. Jobs written as raw config (the kubelets'
 * cAdvisor) and the catch-all `annotated-pods` job carry alerts written by their contributions.
 */

/** How long a job may have no healthy target before its alert fires (a rolling restart is shorter). */
export const TARGET_MISSING_FOR = '5m';

/** `kube-state-metrics` → `KubeStateMetrics`. */
function pascal(job: string): string {
  return job
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** The name of a job's generated alert: `redis` → `RedisTargetMissing`. */
export function targetMissingAlertName(job: string): string {
  return `${pascal(job)}TargetMissing`;
}

/** The expression that fires when a job has no healthy target. */
export function targetMissingExpr(job: string): string {
  return `absent(up{job="${job}"} == 1)`;
}

/** The alert for a job's targets disappearing, with its promtool cases. */
export function targetMissingAlert(options: {
  readonly job: string;
  readonly name?: string;
  readonly severity?: Severity;
  readonly impact?: string;
  /** What an operator looks at first (pods, nodes). */
  readonly where: string;
}): AlertRuleSpec<unknown> {
  const { job } = options;
  const other = job === 'prometheus' ? 'alertmanager' : 'prometheus';
  return {
    name: options.name ?? targetMissingAlertName(job),
    expr: () => targetMissingExpr(job),
    for: TARGET_MISSING_FOR,
    severity: options.severity ?? 'warning',
    summary: `No ${job} target is up`,
    description: [
      `Prometheus has no healthy target in scrape job ${job}: its pods are gone, not ready or unreachable, so no alert on its series can fire.`,
      options.impact,
    ]
      .filter(Boolean)
      .join(' '),
    runbook: `${options.where}; Prometheus UI → Status → Targets, job ${job}, shows the scrape error if targets exist.`,
    tests: () => ({
      // The targets disappeared: only another job's series are left.
      firing: { series: [{ series: `up{job="${other}",pod="${other}-0"}`, values: steady(1) }] },
      quiet: { series: [{ series: `up{job="${job}",pod="${job}-0"}`, values: steady(1) }] },
    }),
  };
}

/** The generated alert of a pod scrape target (none when the target names its own). */
export function podTargetMissingAlert(target: PodScrapeTarget): AlertRuleSpec<unknown> | undefined {
  if (target.missing?.coveredBy) return undefined;
  const selector = Object.entries(target.podLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return targetMissingAlert({
    job: target.job,
    severity: target.missing?.severity,
    impact: target.missing?.impact,
    where: `kubectl get pods -l ${selector}`,
  });
}

/** A contribution's alerts in an environment: its own, plus the generated one of each of its pod scrape jobs. */
export function contributionAlerts<S>(contribution: MonitoringContribution<S>, context: MonitoringContext<S>): AlertRuleSpec<S>[] {
  const generated = contribution.scrapeTargets(context).flatMap((t) => podTargetMissingAlert(t) ?? []);
  return [...contribution.alerts, ...generated];
}

/**
 * The jobs no alert watches for disappearing: for each job, an alert whose whole expression is
 * `absent(up{job="<job>"} == 1)` (its targets gone or all down) or `up{job="<job>"} == 0` (for a
 * job that may be empty: its targets that exist and fail) must exist.
 */
export function jobsWithoutTargetAlert(jobs: readonly string[], alertExprs: readonly string[]): string[] {
  const normalized = new Set(alertExprs.map((e) => e.replace(/\s+/g, '')));
  return jobs.filter((job) => !normalized.has(targetMissingExpr(job).replace(/\s+/g, '')) && !normalized.has(`up{job="${job}"}==0`));
}
