import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { MonitoringSettings } from './config';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { PlatformChart } from '../platform/platform-chart';
import { KUBE_STATE_METRICS_NAME } from './kubernetes-monitoring';

/** Metrics port (named `metrics`, the port Prometheus scrapes). */
export const KSM_METRICS_PORT = 8080;
/** Self-metrics port; the only one that serves `/readyz` (contracts/kube-state-metrics). */
export const KSM_TELEMETRY_PORT = 8081;
const UID = 65534;

/**
 * The objects kube-state-metrics reports on, with their API groups: only those whose metrics an
 * alert or panel reads (kube_pod_*, kube_deployment_*; lib/monitoring/kubernetes-monitoring.ts).
 * Each one more is another list/watch on the API server and series nothing queries.
 */
export const KSM_RESOURCES = [
  { group: '', resource: 'pods', flag: 'pods' },
  { group: 'apps', resource: 'deployments', flag: 'deployments' },
];

/** Properties of KubeStateMetrics. */
export interface KubeStateMetricsProps {
  /** The `monitoring` settings. */
  readonly settings: MonitoringSettings;
}

/**
 * A kube-state-metrics limited to the environment's namespace (a Role, not a ClusterRole): pod
 * restarts, phases and waiting reasons, deployment replicas.
 */
export class KubeStateMetrics extends Construct {
  /** The workload. */
  public readonly workload: HardenedDeployment;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    const ksm = props.settings.prometheus.kubeStateMetrics;
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: KUBE_STATE_METRICS_NAME },
      automountToken: false,
    });
    const groups = [...new Set(KSM_RESOURCES.map((r) => r.group))];
    new kplus.k8s.KubeRole(this, 'Role', {
      metadata: { name: KUBE_STATE_METRICS_NAME },
      rules: groups.map((group) => ({
        apiGroups: [group],
        resources: KSM_RESOURCES.filter((r) => r.group === group).map((r) => r.resource),
        verbs: ['list', 'watch'],
      })),
    });
    new kplus.k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: KUBE_STATE_METRICS_NAME },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: KUBE_STATE_METRICS_NAME },
      subjects: [{ kind: 'ServiceAccount', name: KUBE_STATE_METRICS_NAME, namespace: chart.namespaceName }],
    });
    this.workload = new HardenedDeployment(this, 'Workload', {
      name: KUBE_STATE_METRICS_NAME,
      replicas: 1,
      runAs: { user: UID, group: UID },
      serviceAccount,
      containers: [
        {
          name: 'kube-state-metrics',
          image: ksm.image,
          resources: ksm.resources,
          ports: [
            { name: 'metrics', number: KSM_METRICS_PORT },
            { name: 'telemetry', number: KSM_TELEMETRY_PORT },
          ],
          args: [
            `--port=${KSM_METRICS_PORT}`,
            `--telemetry-port=${KSM_TELEMETRY_PORT}`,
            `--namespaces=${chart.namespaceName}`,
            `--resources=${KSM_RESOURCES.map((r) => r.flag).join(',')}`,
          ],
          // Ready once its self-metrics registry gathers; /readyz exists only on the telemetry port.
          readiness: kplus.Probe.fromHttpGet('/readyz', { port: KSM_TELEMETRY_PORT }),
          // /healthz answers while the server runs (/livez would restart it when the API server is away).
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: KSM_METRICS_PORT }),
        },
      ],
    });
  }
}
