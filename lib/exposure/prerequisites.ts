/**
 * Cluster software the exposure relies on but does not run, only where an environment uses it (so
 * it is not among the platform's CLUSTER_REQUIREMENTS). Each has a contract in contracts/.
 */
export const EXPOSURE_PREREQUISITES = {
  /** Gateway API CRDs (HTTPRoute served at gateway.networking.k8s.io/v1), with `exposure.mode: httpRoute`. */
  gatewayApi: { program: 'gateway-api', version: 'v1.6.1' },
  /** cert-manager's ingress-shim, with `exposure.ingress.tls.issuer`. */
  certManager: { program: 'cert-manager', version: 'v1.21.1' },
} as const;
