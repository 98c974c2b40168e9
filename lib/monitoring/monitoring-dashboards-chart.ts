import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { Component } from '../platform/component';
import type { DashboardSpec } from '../platform/dashboard-spec';
import { PlatformChart } from '../platform/platform-chart';
import { GrafanaDashboards, type DashboardConfigMapRef } from './grafana-dashboards';
import type { MonitoringChartReads } from './monitoring-chart';
import { GRAFANA_NAME } from './stack-monitoring';

/**
 * The dashboards every component contributes, as ConfigMaps of canonical JSON (`30-monitoring-dashboards`),
 * in a file of their own so that a dashboard change reads as a diff of that file only.
 */
export class MonitoringDashboardsChart extends PlatformChart {
  /** The dashboards' ConfigMaps, for Grafana to mount. */
  public readonly dashboards: readonly DashboardConfigMapRef[];

  constructor(scope: Construct, environment: EnvironmentConfig<MonitoringChartReads>, dashboards: readonly DashboardSpec[]) {
    super(scope, 'monitoring-dashboards', { environment, fileName: '30-monitoring-dashboards', component: 'monitoring' });
    const grafana = new Component(this, 'Grafana', {
      name: GRAFANA_NAME,
      component: 'monitoring',
      version: environment.settings.monitoring.grafana.image.tag,
    });
    this.dashboards = new GrafanaDashboards(grafana, 'Dashboards', { dashboards }).refs;
  }
}
