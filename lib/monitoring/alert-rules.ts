import * as yaml from 'js-yaml';
import { secondsOf } from '../config/fields';
import type { AlertRuleSpec, MonitoringContribution, Severity } from '../platform/monitoring-contribution';
import type { AlertOverride } from './config';

/**
 * Pure functions from alert specs (plus per-environment overrides) to Prometheus rule files and
 * promtool unit tests. Nothing here knows Kubernetes.
 */

/** An alert as it ships in one environment, overrides applied. */
export interface EffectiveAlert<S = never> {
  /** The spec. */
  readonly spec: AlertRuleSpec<S>;
  /** The component label. */
  readonly component: string;
  /** Threshold in effect (NaN when the alert has none). */
  readonly threshold: number;
  /** `for` in effect. */
  readonly for: string;
  /** Severity in effect. */
  readonly severity: Severity;
  /** The rendered expression. */
  readonly expr: string;
}

/** The rule file name of a contribution, as mounted in the Prometheus pod. */
export function ruleFileName(component: string): string {
  return `${component}.rules.yml`;
}

/** Applies the overrides to the alerts of a contribution that ship in these settings. */
export function effectiveAlerts<S>(
  contribution: MonitoringContribution<S>,
  overrides: Readonly<Record<string, AlertOverride>>,
  settings?: S,
  alerts: readonly AlertRuleSpec<S>[] = contribution.alerts,
): EffectiveAlert<S>[] {
  return alerts
    .filter((spec) => settings === undefined || !spec.when || spec.when(settings))
    .filter((spec) => overrides[spec.name]?.enabled !== false)
    .map((spec) => {
      const override = overrides[spec.name] ?? {};
      const threshold = override.threshold ?? spec.threshold?.value ?? Number.NaN;
      return {
        spec,
        component: contribution.component,
        threshold,
        for: override.for ?? spec.for,
        severity: override.severity ?? spec.severity,
        expr: spec.expr(threshold),
      };
    });
}

/** A Prometheus alerting rule. */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * The Prometheus rule object of one alert. `extraLabels` are added to its labels: in operator mode,
 * the labels the bundled Prometheus adds to every alert as external labels (`environment`,
 * `namespace`), which routing and inhibition match on.
 */
export function alertRule(alert: EffectiveAlert, extraLabels: Readonly<Record<string, string>> = {}): AlertRule {
  return {
    alert: alert.spec.name,
    expr: alert.expr,
    for: alert.for,
    labels: { severity: alert.severity, component: alert.component, ...extraLabels },
    annotations: { summary: alert.spec.summary, description: alert.spec.description, runbook: alert.spec.runbook },
  };
}

const YAML_OPTIONS: yaml.DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"' };

/** The name of a component's rule group. */
export function ruleGroupName(component: string): string {
  return `${component}.rules`;
}

/** A rule file with one group named after the component. */
export function renderRuleFile(component: string, alerts: readonly EffectiveAlert[]): string {
  return yaml.dump({ groups: [{ name: ruleGroupName(component), rules: alerts.map((alert) => alertRule(alert)) }] }, YAML_OPTIONS);
}

/**
 * Expands the only templating annotations may use, `{{ $labels.<name> }}`, as Prometheus would
 * for an alert with these labels. Anything else (`$value`, functions) is refused, because a unit
 * test could not predict it.
 */
export function expandAnnotation(text: string, labels: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([^}]*?)\s*\}\}/g, (whole, inner: string) => {
    const m = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
    if (!m) throw new Error(`annotation template ${whole} is not {{ $labels.<name> }}`);
    return labels[m[1]] ?? '';
  });
}

/** Minutes in a Prometheus duration such as `1h30m` or `90s` (rounded up). */
export function durationMinutes(duration: string): number {
  return Math.ceil(secondsOf(duration) / 60);
}

/** The longest range (`[1h]`) an expression looks back over, in minutes. */
export function longestRangeMinutes(expr: string): number {
  return Math.max(0, ...[...expr.matchAll(/\[([0-9smhdwy]+)(:[0-9smhdwy]*)?\]/g)].map((m) => durationMinutes(m[1])));
}

/**
 * Time after the start of a test at which both scenarios are evaluated: once the longest range
 * is full (`rate(x[1h])` ramps up over its first hour, since it divides by the whole window), plus
 * `for`, plus 15 minutes.
 */
export function evaluationMinute(alert: EffectiveAlert): number {
  return longestRangeMinutes(alert.expr) + durationMinutes(alert.for) + 15;
}

/** The promtool unit-test cases (firing and quiet) of one alert, whose rule adds `extraLabels` (see alertRule). */
export function alertTestCases(alert: EffectiveAlert, extraLabels: Readonly<Record<string, string>> = {}): Record<string, unknown>[] {
  const tests = alert.spec.tests(alert.threshold);
  const evalTime = `${evaluationMinute(alert)}m`;
  const labels = { ...tests.firing.labels, severity: alert.severity, component: alert.component };
  const expected = {
    // Prometheus expands annotations before it adds the rule's labels: extra labels never reach $labels.
    exp_labels: { ...labels, ...extraLabels },
    exp_annotations: {
      summary: expandAnnotation(alert.spec.summary, labels),
      description: expandAnnotation(alert.spec.description, labels),
      runbook: expandAnnotation(alert.spec.runbook, labels),
    },
  };
  const input = (s: typeof tests.firing) => s.series.map((x) => ({ series: x.series, values: x.values }));
  const firing = {
    name: `${alert.spec.name} fires`,
    interval: '1m',
    input_series: input(tests.firing),
    alert_rule_test: [{ eval_time: evalTime, alertname: alert.spec.name, exp_alerts: [expected] }],
  };
  if (!tests.quiet) return [firing];
  return [
    firing,
    {
      name: `${alert.spec.name} stays quiet`,
      interval: '1m',
      input_series: input(tests.quiet),
      alert_rule_test: [{ eval_time: evalTime, alertname: alert.spec.name, exp_alerts: [] }],
    },
  ];
}

/** A promtool test file for one rule file (given by the path promtool should read), whose rules add `extraLabels`. */
export function renderRuleTests(
  ruleFilePath: string,
  alerts: readonly EffectiveAlert[],
  evaluationInterval: string,
  extraLabels: Readonly<Record<string, string>> = {},
): string {
  return yaml.dump(
    {
      rule_files: [ruleFilePath],
      evaluation_interval: evaluationInterval,
      tests: alerts.flatMap((alert) => alertTestCases(alert, extraLabels)),
    },
    YAML_OPTIONS,
  );
}
