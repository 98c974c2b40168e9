import type { ServiceEndpoint } from '../platform/service-endpoint';

/** A platform service reached from outside the cluster, as the exposure receives it by reference. */
export interface ExposedService {
  /** What an operator calls it, e.g. `Grafana`. */
  readonly label: string;
  /**
   * Names the objects that expose it: the Ingress or HTTPRoute `<name>`, the TLS Secret
   * `<name>-tls` (cert-manager) and the NetworkPolicy `<name>-from-ingress`.
   */
  readonly name: string;
  /** Its Service, as the construct that created it exposes it; the port name is the container's too. */
  readonly endpoint: ServiceEndpoint;
  /** Its pods' labels, which the NetworkPolicy selects. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The host it is reached at. */
  readonly host: string;
  /**
   * Credential ids that sign in to it, for the printed access info.
   * @default - none
   */
  readonly credentials?: readonly string[];
}
