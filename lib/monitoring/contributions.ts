import type { AlertRuleSpec, MetricSpec, MonitoringContext, MonitoringContribution } from '../platform/monitoring-contribution';
import { contributionAlerts } from './target-alerts';

/**
 * Helpers over a list of monitoring contributions. The list itself is the registry's: every
 * component's descriptor gives its own (`monitoring`), and lib/registry.ts gathers them in
 * registry order (CONTRIBUTIONS); the monitoring stack receives them, and knows none.
 */

/**
 * Every shipped alert, by name (names are unique across contributions): the contributions' own,
 * and, for each context given, the alerts generated for its scrape jobs (lib/monitoring/target-alerts.ts).
 */
export function shippedAlerts<S>(
  contributions: readonly MonitoringContribution<S>[],
  contexts: readonly MonitoringContext<S>[] = [],
): Map<string, AlertRuleSpec<S>> {
  const alerts = new Map<string, AlertRuleSpec<S>>();
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
export function metricCatalogue<S>(contributions: readonly MonitoringContribution<S>[]): Map<string, MetricSpec<S>> {
  const catalogue = new Map<string, MetricSpec<S>>();
  for (const c of contributions) for (const m of c.metrics) catalogue.set(m.name, m);
  return catalogue;
}

/** The series names a catalogue entry admits: histograms also by `_bucket`, `_sum` and `_count`. */
export function seriesNames<S>(metric: MetricSpec<S>): string[] {
  return metric.type === 'histogram' || metric.type === 'summary'
    ? [metric.name, `${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`].filter(
        (n) => metric.type === 'histogram' || !n.endsWith('_bucket'),
      )
    : [metric.name];
}
