import type { EnvironmentSettings } from '../config/schema';
import { selectorLabels } from '../platform/labels';
import { effectiveAlerts, renderRuleFile, ruleFileName, type EffectiveAlert } from './alert-rules';
import type { MonitoringContext, MonitoringContribution, PodScrapeTarget } from './contribution';
import { MONITORING_CONTRIBUTIONS } from './contributions';
import type { DashboardSpec } from './dashboard-spec';
import { ALERTMANAGER_ENDPOINT } from './endpoints';
import { PROMETHEUS_RULES_DIR } from './paths';
import { renderPrometheusConfig } from './prometheus-config';
import { ALERTMANAGER_NAME } from './stack-monitoring';

/** Everything the monitoring charts render for one environment, as plain data. */
export interface MonitoringPlan {
  /** What contributions see. */
  readonly context: MonitoringContext;
  /** Pod targets with a dedicated scrape job. */
  readonly targets: readonly PodScrapeTarget[];
  /** Alerts in effect, by component (overrides applied, disabled ones left out). */
  readonly alerts: ReadonlyMap<string, readonly EffectiveAlert[]>;
  /** Rule files by file name. */
  readonly ruleFiles: Readonly<Record<string, string>>;
  /** `prometheus.yml`. */
  readonly prometheusConfig: string;
  /** Every dashboard. */
  readonly dashboards: readonly DashboardSpec[];
}

/** Collects the contributions for an environment. */
export function planMonitoring(
  environment: string,
  settings: EnvironmentSettings,
  contributions: readonly MonitoringContribution[] = MONITORING_CONTRIBUTIONS,
): MonitoringPlan {
  const context: MonitoringContext = { environment, namespace: settings.namespace.name, settings };
  const m = settings.monitoring;
  const targets = contributions.flatMap((c) => c.scrapeTargets(context));
  const alerts = new Map<string, EffectiveAlert[]>();
  const ruleFiles: Record<string, string> = {};
  for (const c of contributions) {
    const list = effectiveAlerts(c, m.alerts.overrides, settings);
    if (list.length === 0) continue;
    alerts.set(c.component, list);
    ruleFiles[ruleFileName(c.component)] = renderRuleFile(c.component, list);
  }
  const prometheusConfig = renderPrometheusConfig({
    namespace: context.namespace,
    environment,
    scrapeInterval: m.prometheus.scrapeInterval,
    evaluationInterval: m.prometheus.evaluationInterval,
    ruleFiles: Object.keys(ruleFiles).map((f) => `${PROMETHEUS_RULES_DIR}/${f}`),
    alertmanager: { podLabels: selectorLabels(ALERTMANAGER_NAME, environment), portName: ALERTMANAGER_ENDPOINT.portName },
    targets,
    extraScrapeConfigs: contributions.flatMap((c) => c.extraScrapeConfigs?.(context) ?? []),
  });
  return { context, targets, alerts, ruleFiles, prometheusConfig, dashboards: contributions.flatMap((c) => c.dashboards) };
}
