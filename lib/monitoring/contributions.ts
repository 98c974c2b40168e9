import { agentMonitoring } from '../agents/agent-monitoring';
import { redisMonitoring } from '../cache/redis-monitoring';
import { postgresMonitoring } from '../database/postgres-monitoring';
import { gatewayMonitoring } from '../gateway/gateway-monitoring';
import type { AlertRuleSpec, MetricSpec, MonitoringContext, MonitoringContribution } from './contribution';
import { kubernetesMonitoring } from './kubernetes-monitoring';
import { stackMonitoring } from './stack-monitoring';
import { contributionAlerts } from './target-alerts';

/**
 * Every component's monitoring contribution. The list only gathers them: each one lives next to
 * its component. Adding a component's monitoring means writing its `*-monitoring.ts` and adding
 * it here.
 */
export const MONITORING_CONTRIBUTIONS: readonly MonitoringContribution[] = [
  stackMonitoring,
  kubernetesMonitoring,
  gatewayMonitoring,
  redisMonitoring,
  postgresMonitoring,
  agentMonitoring,
];

/**
 * Every shipped alert, by name (names are unique across contributions): the contributions' own,
 * and, for each context given, the alerts generated for its scrape jobs (lib/monitoring/target-alerts.ts).
 */
export function shippedAlerts(contributions: readonly MonitoringContribution[] = MONITORING_CONTRIBUTIONS, contexts: readonly MonitoringContext[] = []): Map<string, AlertRuleSpec> {
  const alerts = new Map<string, AlertRuleSpec>();
  for (const c of contributions) {
    const own = new Set(c.alerts);
    const all = [...c.alerts, ...contexts.flatMap((ctx) => contributionAlerts(c, ctx).filter((a) => !own.has(a)))];
    for (const a of all) {
      if (alerts.get(a.name)?.expr(0) === a.expr(0) && !own.has(a)) continue; // the same job's alert from another context
      if (alerts.has(a.name)) throw new Error(`alert ${a.name} is shipped twice (second time by ${c.component})`);
      alerts.set(a.name, a);
    }
  }
  return alerts;
}

/** The metric catalogue: every metric some component exposes, by name. */
export function metricCatalogue(contributions: readonly MonitoringContribution[] = MONITORING_CONTRIBUTIONS): Map<string, MetricSpec> {
  const catalogue = new Map<string, MetricSpec>();
  for (const c of contributions) for (const m of c.metrics) catalogue.set(m.name, m);
  return catalogue;
}

/** The series names a catalogue entry admits: histograms also by `_bucket`, `_sum` and `_count`. */
export function seriesNames(metric: MetricSpec): string[] {
  return metric.type === 'histogram' || metric.type === 'summary'
    ? [metric.name, `${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`].filter((n) => metric.type === 'histogram' || !n.endsWith('_bucket'))
    : [metric.name];
}
