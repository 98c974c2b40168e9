import { z } from 'zod';
import { dnsLabel, oneOf, section } from '../config/fields';

/** A DNS-1123 subdomain: the name of an IngressClass, an issuer, a Secret or a Gateway. */
const objectName = z
  .string({ error: 'an object name' })
  .max(253, { error: 'an object name of at most 253 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: 'an object name (a DNS-1123 subdomain: lowercase letters, digits, "-" and ".")',
  });

/** A fully qualified host name, without a wildcard: what clients type. */
const hostName = z
  .string({ error: 'a host name such as "api.example.com"' })
  .max(253, { error: 'a host name of at most 253 characters' })
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/, {
    error: 'a fully qualified host name such as "api.example.com" (lowercase, no wildcard, no port)',
  });

/** A label key (optional DNS prefix and `/`, then a name) to a label value. */
const podLabels = z.record(
  z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: 'a label key such as "app.kubernetes.io/name"',
  }),
  z
    .string()
    .regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, { error: 'a label value (at most 63 letters, digits, "-", "_", ".")' }),
  { error: 'a map of pod label to value' },
);

/** The values of `exposure.mode`. */
export const EXPOSURE_MODES = ['none', 'ingress', 'httpRoute'] as const;

/**
 * How the gateway and Grafana are reached from outside the cluster. Off by default (`mode: none`):
 * operators port-forward. Each exposed service gets its own host, an Ingress or an HTTPRoute, and
 * a NetworkPolicy that lets the ingress controller's pods in on that service's port only.
 */
export const exposureSection = section({
  /**
   * `none`: nothing is exposed (port-forward only). `ingress`: a networking.k8s.io/v1 Ingress per
   * exposed service (`exposure.ingress`). `httpRoute`: a Gateway API HTTPRoute per exposed service,
   * attached to a Gateway someone else runs (`exposure.httpRoute`).
   */
  mode: oneOf(EXPOSURE_MODES),
  /**
   * The host of each exposed service; a service without a host stays unexposed. Each host routes
   * `/` and everything below it to one service, so the hosts must differ.
   * @default - none exposed
   */
  hosts: section({
    /** Host of the LiteLLM gateway's OpenAI-compatible API (and its admin UI at `/ui`). */
    gateway: hostName.optional(),
    /** Host of Grafana; only where Grafana is deployed. */
    grafana: hostName.optional(),
  }).optional(),
  /**
   * The pods that forward outside traffic in: the ingress controller's, or the Gateway
   * implementation's data plane. Their namespace is selected by its `kubernetes.io/metadata.name`
   * label. Required unless `mode` is `none`.
   * @default - none
   */
  controller: section({
    /** Namespace of the ingress controller (or of the Gateway's data-plane pods), e.g. `ingress-nginx`. */
    namespace: dnsLabel,
    /**
     * Labels of the controller's pods in that namespace, to narrow the allow to them.
     * @default - every pod of that namespace
     */
    podLabels: podLabels.optional(),
  }).optional(),
  /**
   * Mode `ingress`: the IngressClass, and TLS.
   * @default - none
   */
  ingress: section({
    /** `spec.ingressClassName`: the IngressClass whose controller serves these Ingresses, e.g. `nginx`. */
    className: objectName,
    /**
     * TLS for every exposed host: a cert-manager issuer that issues one certificate per host into
     * `<service>-tls`, or an existing Secret whose certificate covers every host. Give one.
     * @default - plain HTTP (refused where `platform.production` is true)
     */
    tls: section({
      /**
       * A cert-manager issuer: an `Issuer` in the environment's namespace, or a `ClusterIssuer`.
       * @default - no issuer
       */
      issuer: section({
        /** `Issuer` (namespaced) or `ClusterIssuer`. */
        kind: oneOf(['Issuer', 'ClusterIssuer']),
        /** Its name. */
        name: objectName,
      }).optional(),
      /**
       * An existing `kubernetes.io/tls` Secret in the environment's namespace.
       * @default - no Secret
       */
      secretName: objectName.optional(),
    }).optional(),
  }).optional(),
  /**
   * Mode `httpRoute`: the Gateway the routes attach to. TLS terminates at that Gateway's listener
   * (its certificate is configured there, not here).
   * @default - none
   */
  httpRoute: section({
    /** The Gateway (gateway.networking.k8s.io/v1) the routes attach to. */
    gateway: section({
      /** Its name. */
      name: objectName,
      /**
       * Its namespace; its listener must allow routes from the environment's namespace.
       * @default - the environment's namespace
       */
      namespace: dnsLabel.optional(),
      /**
       * The listener to attach to.
       * @default - every listener that allows the routes
       */
      sectionName: objectName.optional(),
    }),
    /** The scheme clients use at that Gateway's listener, for the printed URLs: `https` where it terminates TLS. */
    scheme: oneOf(['http', 'https']),
  }).optional(),
});
export type ExposureSettings = z.infer<typeof exposureSection>;
