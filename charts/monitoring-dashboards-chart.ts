import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { GrafanaDashboards, type DashboardConfigMapRef } from '../lib/monitoring/grafana-dashboards';
import { planMonitoring } from '../lib/monitoring/monitoring-plan';
import { GRAFANA_NAME } from '../lib/monitoring/stack-monitoring';
import { Component } from '../lib/platform/component';
import { PlatformChart } from '../lib/platform/platform-chart';

/**
 * The dashboards every component contributes, as ConfigMaps of canonical JSON (`30-monitoring-dashboards`),
 * in a file of their own so that a dashboard change reads as a diff of that file only.
 */
export class MonitoringDashboardsChart extends PlatformChart {
  /** The dashboards' ConfigMaps, for Grafana to mount. */
  public readonly dashboards: readonly DashboardConfigMapRef[];

  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'monitoring-dashboards', { environment, fileName: '30-monitoring-dashboards', component: 'monitoring' });
    const plan = planMonitoring(environment.name, environment.settings);
    const grafana = new Component(this, 'grafana', { name: GRAFANA_NAME, component: 'monitoring', version: environment.settings.monitoring.grafana.image.tag });
    this.dashboards = new GrafanaDashboards(grafana, 'dashboards', { dashboards: plan.dashboards }).refs;
  }
}
