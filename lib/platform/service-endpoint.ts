/**
 * Where a platform service is reached inside the namespace. Each component declares its own
 * endpoint once; the component's Service, the global config layer (service discovery),
 * NetworkPolicies and scrape jobs all read it from there.
 */
export interface ServiceEndpoint {
  /** Service name (the DNS name clients use), e.g. `litellm-gateway-service`. */
  readonly serviceName: string;
  /** Service port. */
  readonly port: number;
  /** Name of the port, on the Service and on the container. */
  readonly portName: string;
  /**
   * URL scheme, or undefined for protocols that are not URLs.
   * @default 'http'
   */
  readonly scheme?: string;
}

/** The in-cluster URL of an endpoint, e.g. `http://litellm-gateway-service:4000`. */
export function endpointUrl(endpoint: ServiceEndpoint): string {
  return `${endpoint.scheme ?? 'http'}://${endpoint.serviceName}:${endpoint.port}`;
}
