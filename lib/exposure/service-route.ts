import { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway.networking.k8s.io';
import type { ExposedService } from './exposed-service';

/** The Gateway a route attaches to (gateway.networking.k8s.io/v1, run by someone else). */
export interface ParentGateway {
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the route's own namespace
   */
  readonly namespace?: string;
  /**
   * The listener to attach to.
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;
}

/** Properties of a ServiceRoute. */
export interface ServiceRouteProps {
  /** The service to expose. */
  readonly service: ExposedService;
  /** The Gateway to attach to; TLS, if any, terminates at its listener. */
  readonly gateway: ParentGateway;
}

/**
 * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1, contracts/gateway-api/v1.6.1.yaml) that
 * routes one host, `/` and below, to one Service.
 */
export class ServiceRoute extends Construct {
  constructor(scope: Construct, id: string, props: ServiceRouteProps) {
    super(scope, id);
    const { service, gateway } = props;
    new HttpRoute(this, 'Resource', {
      metadata: { name: service.name },
      spec: {
        parentRefs: [{ name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName }],
        hostnames: [service.host],
        rules: [
          {
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            backendRefs: [{ name: service.endpoint.serviceName, port: service.endpoint.port }],
          },
        ],
      },
    });
  }
}
