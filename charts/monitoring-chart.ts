import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { Alertmanager } from '../lib/monitoring/alertmanager';
import { Grafana } from '../lib/monitoring/grafana';
import type { DashboardConfigMapRef } from '../lib/monitoring/grafana-dashboards';
import { KubeStateMetrics } from '../lib/monitoring/kube-state-metrics';
import { KUBE_STATE_METRICS_NAME } from '../lib/monitoring/kubernetes-monitoring';
import { MonitoringNetworkPolicies } from '../lib/monitoring/monitoring-network-policies';
import { planMonitoring } from '../lib/monitoring/monitoring-plan';
import { Prometheus } from '../lib/monitoring/prometheus';
import { ALERTMANAGER_NAME, GRAFANA_NAME, PROMETHEUS_NAME } from '../lib/monitoring/stack-monitoring';
import { Component } from '../lib/platform/component';
import { PlatformChart } from '../lib/platform/platform-chart';

/**
 * Prometheus, Alertmanager, Grafana and (optionally) kube-state-metrics (`31-monitoring`). What is
 * scraped, alerted on and shown comes from the components' contributions (lib/monitoring/contributions.ts).
 */
export class MonitoringChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig, dashboards: readonly DashboardConfigMapRef[]) {
    super(scope, 'monitoring', { environment, fileName: '31-monitoring', component: 'monitoring' });
    const m = environment.settings.monitoring;
    const plan = planMonitoring(environment.name, environment.settings);
    const component = (name: string, version: string) => new Component(this, name, { name, component: 'monitoring', version });

    const prometheus = new Prometheus(component(PROMETHEUS_NAME, m.prometheus.image.tag), 'prometheus', {
      settings: m,
      config: plan.prometheusConfig,
      ruleFiles: plan.ruleFiles,
    });
    const alertmanager = new Alertmanager(component(ALERTMANAGER_NAME, m.alertmanager.image.tag), 'alertmanager', { settings: m });
    const grafana = new Grafana(component(GRAFANA_NAME, m.grafana.image.tag), 'grafana', { settings: m, dashboards });
    const ksm = m.prometheus.kubeStateMetrics.enabled
      ? new KubeStateMetrics(component(KUBE_STATE_METRICS_NAME, m.prometheus.kubeStateMetrics.image.tag), 'kube-state-metrics', { settings: m })
      : undefined;
    new MonitoringNetworkPolicies(component('monitoring-network', environment.settings.platform.version), 'policies', {
      settings: m,
      prometheus: { labels: prometheus.workload.selector },
      alertmanager: { labels: alertmanager.workload.selector },
      grafana: { labels: grafana.workload.selector },
      kubeStateMetrics: ksm ? { labels: ksm.workload.selector } : undefined,
      scrapeTargets: plan.targets,
      alertmanagerClustered: alertmanager.clustered,
    });
  }
}
