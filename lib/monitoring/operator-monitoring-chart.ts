import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { Component } from '../platform/component';
import { PlatformChart } from '../platform/platform-chart';
import type { NetworkPeer } from '../platform/pod-network-policy';
import { AlertRouting } from './alert-routing';
import { KubeStateMetrics } from './kube-state-metrics';
import { KUBE_STATE_METRICS_NAME } from './kubernetes-monitoring';
import type { MonitoringChartReads } from './monitoring-chart';
import { kubeStateMetricsPolicy } from './monitoring-network-policies';
import type { MonitoringPlan } from './monitoring-plan';
import { PodMonitors } from './pod-monitors';
import { externalLabels } from './prometheus-config';
import { PrometheusRules } from './prometheus-rules';

/** The team's Prometheus as a NetworkPolicy peer: the pods of its namespace (narrowed by their labels, when configured). */
export function operatorScraper(operator: MonitoringChartReads['monitoring']['operator']): NetworkPeer {
  return {
    namespaceLabels: { 'kubernetes.io/metadata.name': operator.prometheus.namespace },
    podLabels: operator.prometheus.podLabels && { ...operator.prometheus.podLabels },
  };
}

/**
 * Operator mode (`31-monitoring`): no Prometheus, Alertmanager or Grafana, but what a team's
 * prometheus-operator stack picks up: a PodMonitor per scrape job, a PrometheusRule per rule group
 * and the AlertmanagerConfig of the routing tree, each labelled for the team's selectors; and the
 * namespaced kube-state-metrics when it is on. The dashboards are the dashboards chart's, labelled
 * for the Grafana sidecar.
 */
export class OperatorMonitoringChart extends PlatformChart {
  /** The monitoring mode this chart renders. */
  public readonly mode = 'operator' as const;
  /** Who scrapes the platform's metrics ports: the team's Prometheus. */
  public readonly prometheus: { readonly peer: NetworkPeer };
  /** No bundled Alertmanager in operator mode. */
  public readonly alertmanager = undefined;
  /** No bundled Grafana in operator mode. */
  public readonly grafana = undefined;

  constructor(scope: Construct, environment: EnvironmentConfig<MonitoringChartReads>, plan: MonitoringPlan<MonitoringChartReads>) {
    super(scope, 'monitoring', { environment, fileName: '31-monitoring', component: 'monitoring' });
    const m = environment.settings.monitoring;
    const version = environment.settings.platform.version;
    const component = (name: string, tag: string) => new Component(this, name, { name, component: 'monitoring', version: tag });
    this.prometheus = { peer: operatorScraper(m.operator) };

    const integration = component('monitoring-integration', version);
    new PodMonitors(integration, 'Monitors', {
      namespace: this.namespaceName,
      targets: plan.targets,
      selectorLabels: m.operator.prometheus.selectorLabels,
    });
    new PrometheusRules(integration, 'Rules', {
      alerts: plan.alerts,
      interval: m.prometheus.evaluationInterval,
      ruleLabels: externalLabels(environment.name, this.namespaceName),
      selectorLabels: m.operator.prometheus.selectorLabels,
    });
    new AlertRouting(integration, 'Routing', { alertmanager: m.alertmanager, selectorLabels: m.operator.alertmanager.selectorLabels });

    if (m.prometheus.kubeStateMetrics.enabled) {
      const ksmComponent = component(KUBE_STATE_METRICS_NAME, m.prometheus.kubeStateMetrics.image.tag);
      const ksm = new KubeStateMetrics(ksmComponent, 'Exporter', { settings: m });
      kubeStateMetricsPolicy(ksmComponent, { labels: ksm.workload.selector }, this.prometheus.peer, m.apiServer);
    }
  }
}
