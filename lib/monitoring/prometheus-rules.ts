import { Construct } from 'constructs';
import {
  PrometheusRule,
  PrometheusRuleSpecGroupsRulesExpr,
  type PrometheusRuleSpecGroups,
} from '../../imports/prometheusrule-monitoring.coreos.com';
import { alertRule, ruleGroupName, type EffectiveAlert } from './alert-rules';

/**
 * The rule files of `prometheus.yml` as PrometheusRules (monitoring.coreos.com/v1), for a team's
 * prometheus-operator Prometheus: one object per rule file, holding its one group with the same
 * rules (overrides applied) and the bundled evaluation interval.
 */

/**
 * The PrometheusRule group of one component's alerts. Each rule carries `labels` besides its own: the
 * external labels the bundled Prometheus would add (a shared Prometheus has its own), so that the
 * AlertmanagerConfig's namespace matcher and inhibition see every alert of the namespace.
 */
export function prometheusRuleGroup(
  component: string,
  alerts: readonly EffectiveAlert[],
  interval: string,
  labels: Readonly<Record<string, string>>,
): PrometheusRuleSpecGroups {
  return {
    name: ruleGroupName(component),
    interval,
    rules: alerts.map((alert) => {
      const rule = alertRule(alert, labels);
      return {
        ...rule,
        labels: { ...rule.labels },
        annotations: { ...rule.annotations },
        expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
      };
    }),
  };
}

/** The name of a component's PrometheusRule. */
export function prometheusRuleName(component: string): string {
  return `${component}-rules`;
}

/** Properties of PrometheusRules. */
export interface PrometheusRulesProps {
  /** Alerts in effect, by component (the monitoring plan's). */
  readonly alerts: ReadonlyMap<string, readonly EffectiveAlert[]>;
  /** Evaluation interval of every group (`monitoring.prometheus.evaluationInterval`). */
  readonly interval: string;
  /** Labels added to every rule (the bundled external labels: externalLabels). */
  readonly ruleLabels: Readonly<Record<string, string>>;
  /** Labels the team's Prometheus selects rules by (`ruleSelector`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** One PrometheusRule per component with alerts. */
export class PrometheusRules extends Construct {
  constructor(scope: Construct, id: string, props: PrometheusRulesProps) {
    super(scope, id);
    for (const [component, alerts] of props.alerts) {
      new PrometheusRule(this, component, {
        metadata: { name: prometheusRuleName(component), labels: { ...props.selectorLabels } },
        spec: { groups: [prometheusRuleGroup(component, alerts, props.interval, props.ruleLabels)] },
      });
    }
  }
}
