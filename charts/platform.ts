import { App } from 'cdk8s';
import type { EnvironmentConfig } from '../lib/config/schema';
import { PlatformChart } from '../lib/platform/platform-chart';
import { AgentsChart } from './agents-chart';
import { BaselineChart } from './baseline-chart';
import { CacheChart } from './cache-chart';
import { ConfigLayersChart } from './config-layers-chart';
import { DatabaseChart } from './database-chart';
import { GatewayChart } from './gateway-chart';
import { MonitoringChart } from './monitoring-chart';
import { MonitoringDashboardsChart } from './monitoring-dashboards-chart';

/**
 * Composes every chart of one environment. The order here is the order of the files in
 * `dist/<env>/`, and so the order in which `kubectl apply -f` creates them.
 */
export function composePlatform(environment: EnvironmentConfig): PlatformChart[] {
  const app = new App({ outdir: 'unused' });
  return [
    new BaselineChart(app, environment),
    new ConfigLayersChart(app, environment),
    new CacheChart(app, environment),
    ...DatabaseChart.forEnvironment(app, environment),
    new GatewayChart(app, environment),
    ...monitoringCharts(app, environment),
    new AgentsChart(app, environment),
  ];
}

/** The dashboards chart, then the monitoring stack that mounts them. */
function monitoringCharts(app: App, environment: EnvironmentConfig): PlatformChart[] {
  const dashboards = new MonitoringDashboardsChart(app, environment);
  return [dashboards, new MonitoringChart(app, environment, dashboards.dashboards)];
}
