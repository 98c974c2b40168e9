import { component } from '../platform/component-descriptor';
import { endpointUrl } from '../platform/service-endpoint';
import { ALERTMANAGER_ENDPOINT } from './alertmanager';
import { monitoringSection } from './config';
import { GRAFANA_ADMIN_CREDENTIALS, GRAFANA_ENDPOINT } from './grafana';
import { kubernetesMonitoring } from './kubernetes-monitoring';
import { MonitoringChart, type MonitoringChartReads } from './monitoring-chart';
import { monitoringChecks, monitoringCredentials } from './monitoring-checks';
import { MonitoringDashboardsChart } from './monitoring-dashboards-chart';
import { OperatorMonitoringChart } from './operator-monitoring-chart';
import { planMonitoring } from './monitoring-plan';
import { PROMETHEUS_ENDPOINT } from './prometheus';
import { stackMonitoring } from './stack-monitoring';

export type { MonitoringSettings } from './config';
export { MonitoringChart } from './monitoring-chart';
export { renderMonitoringDocParts } from './monitoring-doc';
export { OperatorMonitoringChart } from './operator-monitoring-chart';
export type { Prometheus } from './prometheus';

/**
 * Prometheus, Alertmanager, Grafana and kube-state-metrics (`30-monitoring-dashboards`,
 * `31-monitoring`), or, in operator mode, monitors, rules, dashboards and routes for the team's
 * prometheus-operator stack. It watches itself and the cluster (its own contributions), and collects every
 * other component's contribution from the registry; components let its Prometheus in by reference.
 */
export const monitoring = component<MonitoringChartReads>()({
  id: 'monitoring',
  title: 'Monitoring stack',
  config: { monitoring: monitoringSection },
  checks: monitoringChecks,
  credentials: (s) => monitoringCredentials(s, GRAFANA_ADMIN_CREDENTIALS),
  monitoring: [stackMonitoring, kubernetesMonitoring],
  // The bundled stack's URLs; in operator mode the team's stack is reached its own way.
  layerData: (settings) =>
    settings.monitoring.mode === 'operator'
      ? {}
      : {
          global: {
            PROMETHEUS_URL: endpointUrl(PROMETHEUS_ENDPOINT),
            ALERTMANAGER_URL: endpointUrl(ALERTMANAGER_ENDPOINT),
            GRAFANA_URL: endpointUrl(GRAFANA_ENDPOINT),
          },
        },
  build: ({ scope, environment, contributions }): MonitoringChart | OperatorMonitoringChart => {
    const plan = planMonitoring(environment.name, environment.settings, contributions);
    const dashboards = new MonitoringDashboardsChart(scope, environment, plan.dashboards);
    if (environment.settings.monitoring.mode === 'operator') return new OperatorMonitoringChart(scope, environment, plan);
    return new MonitoringChart(scope, environment, { plan, dashboards: dashboards.dashboards });
  },
  // The unauthenticated readiness endpoints of the bundled stack.
  healthChecks: (built) =>
    built.mode === 'bundled'
      ? [
          { label: 'Prometheus', endpoint: built.prometheus.endpoint, protocol: 'http', path: '/-/ready' },
          { label: 'Alertmanager', endpoint: built.alertmanager.endpoint, protocol: 'http', path: '/-/ready' },
          { label: 'Grafana', endpoint: built.grafana.endpoint, protocol: 'http', path: '/api/health' },
        ]
      : [],
  accessPoints: (built) =>
    built.mode === 'bundled'
      ? [
          { label: 'Grafana', endpoint: built.grafana.endpoint, credentials: built.grafana.adminCredentials },
          { label: 'Prometheus', endpoint: built.prometheus.endpoint },
          { label: 'Alertmanager', endpoint: built.alertmanager.endpoint },
        ]
      : [],
});
