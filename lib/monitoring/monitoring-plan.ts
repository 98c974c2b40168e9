import type { DashboardSpec } from '../platform/dashboard-spec';
import { selectorLabels } from '../platform/labels';
import type { MonitoringContext, MonitoringContribution, PodScrapeTarget } from '../platform/monitoring-contribution';
import { effectiveAlerts, renderRuleFile, ruleFileName, type EffectiveAlert } from './alert-rules';
import { ALERTMANAGER_ENDPOINT } from './alertmanager';
import type { MonitoringSettings } from './config';
import { metricCatalogue } from './contributions';
import { metricCoverage, uncoveredReasons, type MetricCoverage } from './coverage';
import { PROMETHEUS_RULES_DIR } from './prometheus';
import { renderPrometheusConfig, type PrometheusConfigInput } from './prometheus-config';
import { ALERTMANAGER_NAME } from './stack-monitoring';
import { contributionAlerts } from './target-alerts';

/** An alert or panel left out of an environment, and why (the series it would read that nothing collects). */
export interface GatedItem {
  /** `alert <name>` or `dashboard <uid> / <row> / <panel>`. */
  readonly what: string;
  /** What is missing, one line per series. */
  readonly reasons: readonly string[];
}

/** Everything the monitoring charts render for one environment, as plain data. */
/** What the monitoring plan reads of an environment's settings (contributions may read more). */
export type MonitoringReads = { readonly namespace: { readonly name: string }; readonly monitoring: MonitoringSettings };

export interface MonitoringPlan<S extends MonitoringReads = MonitoringReads> {
  /** What contributions see. */
  readonly context: MonitoringContext<S>;
  /** Pod targets with a dedicated scrape job. */
  readonly targets: readonly PodScrapeTarget[];
  /** What the environment's `prometheus.yml` collects. */
  readonly coverage: MetricCoverage<S>;
  /** Alerts in effect, by component (overrides applied, disabled and uncovered ones left out). */
  readonly alerts: ReadonlyMap<string, readonly EffectiveAlert<S>[]>;
  /** Rule files by file name. */
  readonly ruleFiles: Readonly<Record<string, string>>;
  /** `prometheus.yml`. */
  readonly prometheusConfig: string;
  /** The dashboards, with only the panels whose series are collected here (empty rows and dashboards dropped). */
  readonly dashboards: readonly DashboardSpec[];
  /** Alerts and panels left out because a series they read is not collected in this environment. */
  readonly gated: readonly GatedItem[];
}

/** A dashboard reduced to the panels whose every query is served; rows left empty are dropped. */
export function gateDashboard(
  spec: DashboardSpec,
  reasonsOf: (expr: string) => readonly string[],
): { dashboard: DashboardSpec; gated: GatedItem[] } {
  const gated: GatedItem[] = [];
  const rows = spec.rows
    .map((row) => ({
      ...row,
      panels: row.panels.filter((panel) => {
        const reasons = [...new Set(panel.queries.flatMap((q) => reasonsOf(q.expr)))];
        if (reasons.length > 0) gated.push({ what: `dashboard ${spec.uid} / ${row.title} / ${panel.title}`, reasons });
        return reasons.length === 0;
      }),
    }))
    .filter((row) => row.panels.length > 0);
  return { dashboard: { ...spec, rows }, gated };
}

/**
 * Collects the contributions for an environment (every registered component's, in registry
 * order: lib/registry.ts). The scrape jobs come first: `prometheus.yml` is
 * rendered, its job names give the metrics this environment collects (lib/monitoring/coverage.ts),
 * and only the alerts and panels whose every series is collected are kept. So an alert or panel
 * whose source is switched off (kube-state-metrics, cAdvisor) or not deployed here is left out,
 * never rendered to stay empty or silent.
 */
export function planMonitoring<S extends MonitoringReads>(
  environment: string,
  settings: S,
  contributions: readonly MonitoringContribution<S>[],
): MonitoringPlan<S> {
  const context: MonitoringContext<S> = { environment, namespace: settings.namespace.name, settings };
  const m = settings.monitoring;
  const targets = contributions.flatMap((c) => c.scrapeTargets(context));
  const configInput = (ruleFiles: readonly string[]): PrometheusConfigInput => ({
    namespace: context.namespace,
    environment,
    scrapeInterval: m.prometheus.scrapeInterval,
    evaluationInterval: m.prometheus.evaluationInterval,
    ruleFiles: ruleFiles.map((f) => `${PROMETHEUS_RULES_DIR}/${f}`),
    alertmanager: { podLabels: selectorLabels(ALERTMANAGER_NAME, environment), portName: ALERTMANAGER_ENDPOINT.portName },
    targets,
    extraScrapeConfigs: contributions.flatMap((c) => c.extraScrapeConfigs?.(context) ?? []),
  });
  // The scrape jobs do not depend on the rule files: read them from a rendering without rules.
  const coverage = metricCoverage(renderPrometheusConfig(configInput([])), metricCatalogue(contributions), settings);
  const reasonsOf = (expr: string) => uncoveredReasons(expr, coverage);

  const gated: GatedItem[] = [];
  const alerts = new Map<string, EffectiveAlert<S>[]>();
  const ruleFiles: Record<string, string> = {};
  for (const c of contributions) {
    const list = effectiveAlerts(c, m.alerts.overrides, settings, contributionAlerts(c, context)).filter((alert) => {
      const reasons = reasonsOf(alert.expr);
      if (reasons.length > 0) gated.push({ what: `alert ${alert.spec.name}`, reasons });
      return reasons.length === 0;
    });
    if (list.length === 0) continue;
    alerts.set(c.component, list);
    ruleFiles[ruleFileName(c.component)] = renderRuleFile(c.component, list);
  }
  const dashboards = contributions
    .flatMap((c) => c.dashboards)
    .flatMap((spec) => {
      const result = gateDashboard(spec, reasonsOf);
      gated.push(...result.gated);
      // A dashboard with no panel left is not provisioned at all.
      return result.dashboard.rows.length > 0 ? [result.dashboard] : [];
    });
  const prometheusConfig = renderPrometheusConfig(configInput(Object.keys(ruleFiles)));
  return { context, targets, coverage, alerts, ruleFiles, prometheusConfig, dashboards, gated };
}
