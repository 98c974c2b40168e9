import { REDIS_ENDPOINT } from '../cache/endpoint';
import { GATEWAY_ENDPOINT } from '../gateway/endpoint';
import { ALERTMANAGER_ENDPOINT, GRAFANA_ENDPOINT, PROMETHEUS_ENDPOINT } from '../monitoring/endpoints';
import type { ServiceEndpoint } from '../platform/service-endpoint';

/** How the deploy script probes a service through a port-forward to it. */
export type HealthProtocol = 'http' | 'redis';

/** One health check of a platform service, run by `scripts/deploy.sh` after every rollout. */
export interface HealthCheck {
  /** What an operator calls the service, e.g. `LiteLLM gateway`. */
  readonly label: string;
  /** The Service to port-forward to (its owner's constant, never a typed name). */
  readonly endpoint: ServiceEndpoint;
  /** `http`: GET `path` must answer 200. `redis`: PING must answer PONG (or NOAUTH: up, needs a password). */
  readonly protocol: HealthProtocol;
  /**
   * Path of the HTTP check.
   * @default - none (not an HTTP check)
   */
  readonly path?: string;
}

/**
 * The checks, in the order they are run. Paths are the unauthenticated readiness endpoints of each
 * program: LiteLLM's `/health/readiness` (never `/health`, which calls every model and costs tokens),
 * Prometheus's and Alertmanager's `/-/ready`, Grafana's `/api/health`. A check runs only when the
 * environment's manifests contain its Service.
 */
export const HEALTH_CHECKS: readonly HealthCheck[] = [
  { label: 'LiteLLM gateway', endpoint: GATEWAY_ENDPOINT, protocol: 'http', path: '/health/readiness' },
  { label: 'Redis', endpoint: REDIS_ENDPOINT, protocol: 'redis' },
  { label: 'Prometheus', endpoint: PROMETHEUS_ENDPOINT, protocol: 'http', path: '/-/ready' },
  { label: 'Alertmanager', endpoint: ALERTMANAGER_ENDPOINT, protocol: 'http', path: '/-/ready' },
  { label: 'Grafana', endpoint: GRAFANA_ENDPOINT, protocol: 'http', path: '/api/health' },
];
