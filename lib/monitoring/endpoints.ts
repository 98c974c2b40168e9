import type { ServiceEndpoint } from '../platform/service-endpoint';

/** Prometheus's Service. */
export const PROMETHEUS_ENDPOINT: ServiceEndpoint = { serviceName: 'prometheus-service', port: 9090, portName: 'http' };
/** Alertmanager's Service. */
export const ALERTMANAGER_ENDPOINT: ServiceEndpoint = { serviceName: 'alertmanager-service', port: 9093, portName: 'http' };
/** Grafana's Service. */
export const GRAFANA_ENDPOINT: ServiceEndpoint = { serviceName: 'grafana-service', port: 3000, portName: 'http' };
