import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { Component } from '../platform/component';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import { Alertmanager } from './alertmanager';
import type { MonitoringSettings } from './config';
import { Grafana } from './grafana';
import type { DashboardConfigMapRef } from './grafana-dashboards';
import { KubeStateMetrics } from './kube-state-metrics';
import { KUBE_STATE_METRICS_NAME } from './kubernetes-monitoring';
import { MonitoringNetworkPolicies } from './monitoring-network-policies';
import type { MonitoringPlan } from './monitoring-plan';
import { Prometheus } from './prometheus';
import { ALERTMANAGER_NAME, GRAFANA_NAME, PROMETHEUS_NAME } from './stack-monitoring';

/** What the monitoring charts read: the monitoring section. */
export type MonitoringChartReads = PlatformSettings & { readonly monitoring: MonitoringSettings };

/** Properties of a MonitoringChart. */
export interface MonitoringChartProps {
  /** What is scraped, alerted on and shown: every component's contribution, planned for the environment. */
  readonly plan: MonitoringPlan<MonitoringChartReads>;
  /** The dashboards' ConfigMaps, for Grafana to mount. */
  readonly dashboards: readonly DashboardConfigMapRef[];
}

/**
 * Prometheus, Alertmanager, Grafana and (optionally) kube-state-metrics (`31-monitoring`). What is
 * scraped, alerted on and shown comes from the components' contributions (their descriptors'
 * `monitoring`, gathered by lib/registry.ts): the stack knows none of them.
 */
export class MonitoringChart extends PlatformChart {
  /** The monitoring mode this chart renders. */
  public readonly mode = 'bundled' as const;
  public readonly prometheus: Prometheus;
  public readonly alertmanager: Alertmanager;
  public readonly grafana: Grafana;

  constructor(scope: Construct, environment: EnvironmentConfig<MonitoringChartReads>, props: MonitoringChartProps) {
    super(scope, 'monitoring', { environment, fileName: '31-monitoring', component: 'monitoring' });
    const m = environment.settings.monitoring;
    const plan = props.plan;
    const component = (name: string, version: string) => new Component(this, name, { name, component: 'monitoring', version });

    this.prometheus = new Prometheus(component(PROMETHEUS_NAME, m.prometheus.image.tag), 'Prometheus', {
      settings: m,
      config: plan.prometheusConfig,
      ruleFiles: plan.ruleFiles,
    });
    this.alertmanager = new Alertmanager(component(ALERTMANAGER_NAME, m.alertmanager.image.tag), 'Alertmanager', { settings: m });
    this.grafana = new Grafana(component(GRAFANA_NAME, m.grafana.image.tag), 'Grafana', { settings: m, dashboards: props.dashboards });
    const ksm = m.prometheus.kubeStateMetrics.enabled
      ? new KubeStateMetrics(component(KUBE_STATE_METRICS_NAME, m.prometheus.kubeStateMetrics.image.tag), 'KubeStateMetrics', {
          settings: m,
        })
      : undefined;
    new MonitoringNetworkPolicies(component('monitoring-network', environment.settings.platform.version), 'NetworkPolicies', {
      settings: m,
      prometheus: { labels: this.prometheus.workload.selector },
      alertmanager: { labels: this.alertmanager.workload.selector },
      grafana: { labels: this.grafana.workload.selector },
      kubeStateMetrics: ksm ? { labels: ksm.workload.selector } : undefined,
      scrapeTargets: plan.targets,
      alertmanagerClustered: this.alertmanager.clustered,
    });
  }
}
