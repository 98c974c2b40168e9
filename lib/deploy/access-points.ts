import { workflowEndpoint } from '../agents/endpoint';
import { REDIS_ENDPOINT } from '../cache/endpoint';
import type { EnvironmentSettings } from '../config/schema';
import { GATEWAY_ENDPOINT } from '../gateway/endpoint';
import { ALERTMANAGER_ENDPOINT, GRAFANA_ENDPOINT, PROMETHEUS_ENDPOINT } from '../monitoring/endpoints';
import type { ServiceEndpoint } from '../platform/service-endpoint';

/** How an operator reaches one platform service from their machine. */
export interface AccessPoint {
  /** What the service is, e.g. `Grafana`. */
  readonly label: string;
  /** The Service to port-forward to. */
  readonly endpoint: ServiceEndpoint;
  /**
   * What to open once forwarded, relative to `localhost:<port>`.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Credential ids (keys of `security.credentials`) that sign in to it; listed only when configured.
   * @default - none
   */
  readonly credentials?: readonly string[];
}

/** Every service an operator may want to reach, listed when the environment's manifests contain it. */
export const ACCESS_POINTS: readonly AccessPoint[] = [
  { label: 'LiteLLM gateway (OpenAI-compatible API; admin UI at /ui)', endpoint: GATEWAY_ENDPOINT, credentials: ['gateway-master-key'] },
  { label: 'Grafana', endpoint: GRAFANA_ENDPOINT, credentials: ['grafana-admin-user', 'grafana-admin-password'] },
  { label: 'Prometheus', endpoint: PROMETHEUS_ENDPOINT },
  { label: 'Alertmanager', endpoint: ALERTMANAGER_ENDPOINT },
  { label: 'Redis', endpoint: REDIS_ENDPOINT, credentials: ['redis-gateway-password'] },
];

/** The access points of an environment: the fixed ones, then each agent workflow's API (POST /agents). */
export function accessPoints(settings: EnvironmentSettings): AccessPoint[] {
  const workflows = Object.keys(settings.agents.workflows)
    .sort()
    .map((id) => ({ label: `Agent workflow ${id} (POST /agents)`, endpoint: workflowEndpoint(id, settings.agents.runtime.port), path: '/health', credentials: [settings.agents.runtime.apiKeyCredential] }));
  return [ACCESS_POINTS[0], ...workflows, ...ACCESS_POINTS.slice(1)];
}
