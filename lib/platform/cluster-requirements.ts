import type { KubeObject } from './kube-object';

/** Cluster software the platform relies on but does not run, at the oldest version it supports. */
export interface ClusterRequirement {
  /** The program, as named by its contract (`contracts/<program>/<version>.yaml`). */
  readonly program: string;
  /** The oldest version supported: its contract's version. */
  readonly version: string;
  /**
   * Whether an environment needs it, judged from its rendered objects.
   * @default - every environment needs it
   */
  readonly neededBy?: (objects: readonly KubeObject[]) => boolean;
}

/** Objects of an API group (the group a program's CRDs serve, as its contract's `apiVersions` records). */
const rendersGroup = (group: string) => (objects: readonly KubeObject[]) => objects.some((o) => o.apiVersion.startsWith(`${group}/`));

/**
 * The oldest versions of the cluster software this platform relies on but does not run itself. Each
 * has a contract in contracts/<program>/<version>.yaml: rendered objects are validated against their
 * schemas, the deploy preflight refuses a cluster older than these, and `docs/pinned-versions.md`
 * lists, per environment, those its objects need.
 */
export const CLUSTER_REQUIREMENTS = {
  /** Kubernetes: the oldest minor whose API schema every rendered core object must pass. */
  kubernetes: { program: 'kubernetes', version: '1.30' },
  /** cAdvisor as the kubelets of that Kubernetes minor serve it (`/metrics/cadvisor`). */
  cadvisor: { program: 'cadvisor', version: 'v0.49.0' },
  /** External Secrets Operator: the first release that serves `external-secrets.io/v1` only. */
  externalSecrets: { program: 'external-secrets', version: 'v0.17.0', neededBy: rendersGroup('external-secrets.io') },
  /** prometheus-operator, in monitoring's operator mode: the CRDs of PodMonitor, PrometheusRule and AlertmanagerConfig. */
  prometheusOperator: { program: 'prometheus-operator', version: 'v0.93.0', neededBy: rendersGroup('monitoring.coreos.com') },
  /** metrics-server: serves the `metrics.k8s.io` APIService that HorizontalPodAutoscalers read. */
  metricsServer: {
    program: 'metrics-server',
    version: 'v0.9.0',
    neededBy: (objects) => objects.some((o) => o.kind === 'HorizontalPodAutoscaler'),
  },
  /** Gateway API CRDs (HTTPRoute served at gateway.networking.k8s.io/v1), with `exposure.mode: httpRoute`. */
  gatewayApi: { program: 'gateway-api', version: 'v1.6.1', neededBy: rendersGroup('gateway.networking.k8s.io') },
  /** cert-manager's ingress-shim, where an Ingress names an issuer in a `cert-manager.io/` annotation. */
  certManager: {
    program: 'cert-manager',
    version: 'v1.21.1',
    neededBy: (objects) => objects.some((o) => Object.keys(o.metadata.annotations ?? {}).some((a) => a.startsWith('cert-manager.io/'))),
  },
} as const satisfies Record<string, ClusterRequirement>;
