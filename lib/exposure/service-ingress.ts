import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ExposedService } from './exposed-service';

/**
 * The annotations of cert-manager's ingress-shim that name the issuer of an Ingress's certificate,
 * by issuer kind (contracts/cert-manager/v1.21.1.yaml, annotations). They must not be combined.
 */
export const CERT_MANAGER_ISSUER_ANNOTATIONS = {
  Issuer: 'cert-manager.io/issuer',
  ClusterIssuer: 'cert-manager.io/cluster-issuer',
} as const;

/** Where an Ingress's certificate comes from. */
export interface IngressTls {
  /**
   * A cert-manager issuer: the ingress-shim issues a certificate for the host into `<name>-tls`.
   * @default - no issuer (give secretName)
   */
  readonly issuer?: { readonly kind: keyof typeof CERT_MANAGER_ISSUER_ANNOTATIONS; readonly name: string };
  /**
   * An existing TLS Secret whose certificate covers the host.
   * @default - `<name>-tls`, filled by the issuer
   */
  readonly secretName?: string;
}

/** Properties of a ServiceIngress. */
export interface ServiceIngressProps {
  /** The service to expose. */
  readonly service: ExposedService;
  /** `spec.ingressClassName`. */
  readonly className: string;
  /**
   * TLS for the host.
   * @default - plain HTTP
   */
  readonly tls?: IngressTls;
}

/** The name of the TLS Secret an Ingress uses: the given one, or `<name>-tls` for cert-manager to fill. */
export function ingressTlsSecretName(service: ExposedService, tls: IngressTls): string {
  return tls.secretName ?? `${service.name}-tls`;
}

/** A networking.k8s.io/v1 Ingress that routes one host, `/` and below, to one Service. */
export class ServiceIngress extends Construct {
  constructor(scope: Construct, id: string, props: ServiceIngressProps) {
    super(scope, id);
    const { service, tls } = props;
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: service.name,
        annotations: tls?.issuer ? { [CERT_MANAGER_ISSUER_ANNOTATIONS[tls.issuer.kind]]: tls.issuer.name } : undefined,
      },
      spec: {
        ingressClassName: props.className,
        tls: tls ? [{ hosts: [service.host], secretName: ingressTlsSecretName(service, tls) }] : undefined,
        rules: [
          {
            host: service.host,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: service.endpoint.serviceName, port: { number: service.endpoint.port } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
