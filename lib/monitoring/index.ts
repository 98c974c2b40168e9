import { component } from '../platform/component-descriptor';
import { endpointUrl } from '../platform/service-endpoint';
import { ALERTMANAGER_ENDPOINT } from './alertmanager';
import { monitoringSection } from './config';
import { GRAFANA_ADMIN_CREDENTIALS, GRAFANA_ENDPOINT } from './grafana';
import { kubernetesMonitoring } from './kubernetes-monitoring';
import { MonitoringChart, type MonitoringChartReads } from './monitoring-chart';
import { monitoringChecks, monitoringCredentials } from './monitoring-checks';
import { MonitoringDashboardsChart } from './monitoring-dashboards-chart';
import { planMonitoring } from './monitoring-plan';
import { PROMETHEUS_ENDPOINT } from './prometheus';
import { stackMonitoring } from './stack-monitoring';

export type { MonitoringSettings } from './config';
export { MonitoringChart } from './monitoring-chart';
export { renderMonitoringDocParts } from './monitoring-doc';
export type { Prometheus } from './prometheus';

/**
 * Prometheus, Alertmanager, Grafana and kube-state-metrics (`30-monitoring-dashboards`,
 * `31-monitoring`). It watches itself and the cluster (its own contributions), and collects every
 * other component's contribution from the registry; components let its Prometheus in by reference.
 */
export const monitoring = component<MonitoringChartReads>()({
  id: 'monitoring',
  title: 'Monitoring stack',
  config: { monitoring: monitoringSection },
  checks: monitoringChecks,
  credentials: (s) => monitoringCredentials(s, GRAFANA_ADMIN_CREDENTIALS),
  monitoring: [stackMonitoring, kubernetesMonitoring],
  layerData: () => ({
    global: {
      PROMETHEUS_URL: endpointUrl(PROMETHEUS_ENDPOINT),
      ALERTMANAGER_URL: endpointUrl(ALERTMANAGER_ENDPOINT),
      GRAFANA_URL: endpointUrl(GRAFANA_ENDPOINT),
    },
  }),
  build: ({ scope, environment, contributions }) => {
    const plan = planMonitoring(environment.name, environment.settings, contributions);
    const dashboards = new MonitoringDashboardsChart(scope, environment, plan.dashboards);
    return new MonitoringChart(scope, environment, { plan, dashboards: dashboards.dashboards });
  },
  // The unauthenticated readiness endpoints.
  healthChecks: ({ prometheus, alertmanager, grafana }) => [
    { label: 'Prometheus', endpoint: prometheus.endpoint, protocol: 'http', path: '/-/ready' },
    { label: 'Alertmanager', endpoint: alertmanager.endpoint, protocol: 'http', path: '/-/ready' },
    { label: 'Grafana', endpoint: grafana.endpoint, protocol: 'http', path: '/api/health' },
  ],
  accessPoints: ({ prometheus, alertmanager, grafana }) => [
    { label: 'Grafana', endpoint: grafana.endpoint, credentials: grafana.adminCredentials },
    { label: 'Prometheus', endpoint: prometheus.endpoint },
    { label: 'Alertmanager', endpoint: alertmanager.endpoint },
  ],
});
