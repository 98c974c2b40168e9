import type { AlertRuleSpec, MonitoringContribution } from '../platform/monitoring-contribution';
import type { EffectiveAlert } from './alert-rules';
import { planMonitoring, type MonitoringPlan, type MonitoringReads } from './monitoring-plan';
import { contributionAlerts } from './target-alerts';

/**
 * The generated tables of docs/monitoring.md: every alert and dashboard the contributions define,
 * with what each environment ships (its monitoring plan: overrides applied, alerts and panels whose
 * series are not collected left out). `npm run generate` writes them between marker comments; a
 * test fails while they are stale.
 */

/** An environment as the tables need it: its name and validated settings. */
export interface DocumentedEnvironment<S> {
  /** Environment name, e.g. `prod`. */
  readonly name: string;
  /** Its validated settings. */
  readonly settings: S;
}

/** The generated parts of docs/monitoring.md, by marker name. */
export interface MonitoringDocParts {
  /** The alert table. */
  readonly alerts: string;
  /** The dashboard table. */
  readonly dashboards: string;
}

/** A table cell: pipes and line breaks would end the cell or the row, and `<x>` would read as HTML. */
function cell(text: string): string {
  return text
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\s*\n\s*/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/**
 * One value per environment, written once when the environments agree (`critical`), else with the
 * environments of each value (`critical (dev, test); warning (prod)`); `—` for none.
 */
export function perEnvironment(values: readonly (readonly [environment: string, value: string])[]): string {
  const byValue = new Map<string, string[]>();
  for (const [environment, value] of values) byValue.set(value, [...(byValue.get(value) ?? []), environment]);
  if (byValue.size <= 1) return [...byValue.keys()][0] ?? '—';
  return [...byValue].map(([value, environments]) => `${value} (${environments.join(', ')})`).join('; ');
}

/** The alert specs of a contribution in any of the environments (its own and the generated ones), in order of first appearance. */
function alertSpecs<S extends MonitoringReads>(
  contribution: MonitoringContribution<S>,
  plans: readonly MonitoringPlan<S>[],
): AlertRuleSpec<S>[] {
  const specs = new Map<string, AlertRuleSpec<S>>();
  for (const spec of [...contribution.alerts, ...plans.flatMap((p) => contributionAlerts(contribution, p.context))]) {
    if (!specs.has(spec.name)) specs.set(spec.name, spec);
  }
  return [...specs.values()];
}

/** The alert table: one row per alert, with its settings in each environment that ships it. */
export function renderAlertTable<S extends MonitoringReads>(
  plans: readonly MonitoringPlan<S>[],
  contributions: readonly MonitoringContribution<S>[],
): string {
  const rows = contributions.flatMap((c) =>
    alertSpecs(c, plans).map((spec) => {
      const shipped = plans.flatMap((p): [string, EffectiveAlert<S>][] => {
        const alert = p.alerts.get(c.component)?.find((a) => a.spec.name === spec.name);
        return alert ? [[p.context.environment, alert]] : [];
      });
      // As shipped, per environment; the spec's own value where it ships nowhere.
      const shippedAs = (of: (a: EffectiveAlert<S>) => string, unshipped: string) =>
        shipped.length > 0 ? perEnvironment(shipped.map(([e, a]) => [e, of(a)])) : unshipped;
      const threshold = spec.threshold
        ? `${shippedAs((a) => String(a.threshold), String(spec.threshold.value))}: ${spec.threshold.meaning}`
        : '—';
      return [
        `\`${spec.name}\``,
        c.component,
        shippedAs((a) => a.severity, spec.severity),
        shippedAs((a) => a.for, spec.for),
        cell(threshold),
        shipped.map(([e]) => e).join(', ') || '—',
        cell(spec.summary),
      ];
    }),
  );
  return table(['alert', 'component', 'severity', 'for', 'threshold (override with `threshold`)', 'ships in', 'summary'], rows);
}

/** The dashboard table: one row per dashboard, with the environments that provision it. */
export function renderDashboardTable<S extends MonitoringReads>(
  plans: readonly MonitoringPlan<S>[],
  contributions: readonly MonitoringContribution<S>[],
): string {
  const rows = contributions.flatMap((c) =>
    c.dashboards.map((d) => {
      const environments = plans.filter((p) => p.dashboards.some((shown) => shown.uid === d.uid)).map((p) => p.context.environment);
      return [`${cell(d.title)} (\`${d.uid}\`)`, c.component, environments.join(', ') || '—', cell(d.description)];
    }),
  );
  return table(['dashboard (uid)', 'contributed by', 'provisioned in', 'shows'], rows);
}

/** The generated tables of docs/monitoring.md for these environments. */
export function renderMonitoringDocParts<S extends MonitoringReads>(
  environments: readonly DocumentedEnvironment<S>[],
  contributions: readonly MonitoringContribution<S>[],
): MonitoringDocParts {
  const plans = environments.map((e) => planMonitoring(e.name, e.settings, contributions));
  return { alerts: renderAlertTable(plans, contributions), dashboards: renderDashboardTable(plans, contributions) };
}
