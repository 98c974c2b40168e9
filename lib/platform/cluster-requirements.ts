/**
 * The oldest versions of the cluster software this platform relies on but does not run itself. Each
 * has a contract in contracts/<program>/<version>.yaml: rendered objects are validated against their
 * schemas, and the deploy preflight refuses a cluster older than these.
 */
export const CLUSTER_REQUIREMENTS = {
  /** Kubernetes: the oldest minor whose API schema every rendered core object must pass. */
  kubernetes: { program: 'kubernetes', version: '1.30' },
  /** cAdvisor as the kubelets of that Kubernetes minor serve it (`/metrics/cadvisor`). */
  cadvisor: { program: 'cadvisor', version: 'v0.49.0' },
  /** External Secrets Operator: the first release that serves `external-secrets.io/v1` only. */
  externalSecrets: { program: 'external-secrets', version: 'v0.17.0' },
  /** prometheus-operator, in monitoring's operator mode: the CRDs of PodMonitor, PrometheusRule and AlertmanagerConfig. */
  prometheusOperator: { program: 'prometheus-operator', version: 'v0.93.0' },
  /** metrics-server: serves the `metrics.k8s.io` APIService that HorizontalPodAutoscalers read. */
  metricsServer: { program: 'metrics-server', version: 'v0.9.0' },
} as const;
