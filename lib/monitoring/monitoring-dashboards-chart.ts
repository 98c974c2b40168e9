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
 * in a file of their own so that a dashboard change reads as a diff of that file only. The bundled
 * Grafana mounts them; in operator mode they carry the team's Grafana sidecar label and folder annotation.
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
    const m = environment.settings.monitoring;
    // In operator mode the team's Grafana sidecar picks them up by its label, into a folder of their own.
    const sidecar = m.mode === 'operator' ? m.operator.grafana : undefined;
    this.dashboards = new GrafanaDashboards(grafana, 'Dashboards', {
      dashboards,
      labels: sidecar && { [sidecar.dashboardLabel.name]: sidecar.dashboardLabel.value },
      annotations: sidecar && { [sidecar.folderAnnotation.name]: sidecar.folderAnnotation.value },
      datasourceUid: sidecar?.datasourceUid,
    }).refs;
  }
}
