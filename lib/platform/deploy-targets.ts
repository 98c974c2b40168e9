import type { ServiceEndpoint } from './service-endpoint';

/**
 * What `scripts/deploy.sh` does with a component's Services once it is rolled out: probe them, and
 * tell the operator how to reach them. Components give these in their descriptor (healthChecks,
 * accessPoints), from what they built; lib/deploy lists the ones whose Service the manifests contain.
 */

/** How the deploy script probes a service through a port-forward to it. */
export type HealthProtocol = 'http' | 'redis';

/** One health check of a platform service, run by `scripts/deploy.sh` after every rollout. */
export interface HealthCheck {
  /** What an operator calls the service, e.g. `LiteLLM gateway`. */
  readonly label: string;
  /** The Service to port-forward to, as the construct that created it exposes it. */
  readonly endpoint: ServiceEndpoint;
  /** `http`: GET `path` must answer 200. `redis`: PING must answer PONG (or NOAUTH: up, needs a password). */
  readonly protocol: HealthProtocol;
  /**
   * Path of the HTTP check: an unauthenticated readiness endpoint of the program.
   * @default - none (not an HTTP check)
   */
  readonly path?: string;
}

/** How an operator reaches one platform service from their machine. */
export interface AccessPoint {
  /** What the service is, e.g. `Grafana`. */
  readonly label: string;
  /** The Service to port-forward to (or, with `url`, the Service behind that address). */
  readonly endpoint: ServiceEndpoint;
  /**
   * What to open once forwarded, relative to `localhost:<port>`.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Its address outside the cluster, where it is exposed (an Ingress or HTTPRoute): printed instead
   * of a port-forward.
   * @default - reached by port-forward only
   */
  readonly url?: string;
  /**
   * Credential ids (keys of `security.credentials`) that sign in to it; listed only when configured.
   * @default - none
   */
  readonly credentials?: readonly string[];
}
