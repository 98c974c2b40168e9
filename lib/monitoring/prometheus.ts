import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterService } from '../platform/cluster-service';
import { bytesOf, sizeOf } from '../platform/container-resources';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { PlatformChart } from '../platform/platform-chart';
import type { NetworkPeer } from '../platform/pod-network-policy';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import type { MonitoringSettings } from './config';
import { configReloaderContainer } from './config-reloader';
import { PROMETHEUS_NAME } from './stack-monitoring';

/** Prometheus's Service. */
export const PROMETHEUS_ENDPOINT: ServiceEndpoint = { serviceName: 'prometheus-service', port: 9090, portName: 'http' };
/** Where Prometheus's config and rule ConfigMaps are mounted (whole directories: subPath never updates). */
export const PROMETHEUS_CONFIG_DIR = '/etc/prometheus/config';
export const PROMETHEUS_RULES_DIR = '/etc/prometheus/rules';

/** Names of the two ConfigMaps. They keep their names, so an update reloads instead of rolling the pod. */
export const PROMETHEUS_CONFIG_MAP = 'prometheus-config';
export const PROMETHEUS_RULES_CONFIG_MAP = 'prometheus-rules';
const UID = 65534;

/** Properties of Prometheus. */
export interface PrometheusProps {
  /** The `monitoring` settings. */
  readonly settings: MonitoringSettings;
  /** `prometheus.yml`. */
  readonly config: string;
  /** Rule files by file name. */
  readonly ruleFiles: Readonly<Record<string, string>>;
}

/** Retention by size: 85% of the volume, in Prometheus's base-2 MB. */
export function retentionSize(volumeSize: string): string {
  return `${Math.floor((bytesOf(volumeSize) * 0.85) / 2 ** 20)}MB`;
}

/**
 * Prometheus: one pod (TSDB on a claim when persistent, else an emptyDir), config and rules from
 * ConfigMaps reloaded in place by prometheus-config-reloader, discovery limited to the namespace
 * with a namespaced Role, and a ClusterRole only when kubelet cAdvisor scraping is on.
 */
export class Prometheus extends Construct {
  /** The workload. */
  public readonly workload: HardenedDeployment;
  /** The Service. */
  public readonly service: ClusterService;
  /** Where Prometheus is reached. */
  public readonly endpoint: ServiceEndpoint = PROMETHEUS_ENDPOINT;
  /** The Prometheus pods, as a NetworkPolicy peer: what scraped workloads let in on their metrics port. */
  public readonly peer: NetworkPeer;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    const p = props.settings.prometheus;
    const reloader = props.settings.configReloader;

    const configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: { name: PROMETHEUS_CONFIG_MAP },
      data: { 'prometheus.yml': props.config },
    });
    const rulesMap = new kplus.ConfigMap(this, 'Rules', { metadata: { name: PROMETHEUS_RULES_CONFIG_MAP }, data: { ...props.ruleFiles } });
    const configVolume = kplus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, { name: 'config' });
    const rulesVolume = kplus.Volume.fromConfigMap(this, 'RulesVolume', rulesMap, { name: 'rules' });

    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: PROMETHEUS_NAME }, automountToken: false });
    const subject = { kind: 'ServiceAccount', name: PROMETHEUS_NAME, namespace: chart.namespaceName };
    new kplus.k8s.KubeRole(this, 'DiscoveryRole', {
      metadata: { name: 'prometheus-discovery' },
      rules: [
        { apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new kplus.k8s.KubeRoleBinding(this, 'DiscoveryRoleBinding', {
      metadata: { name: 'prometheus-discovery' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'prometheus-discovery' },
      subjects: [subject],
    });
    if (p.cadvisor.enabled) {
      // Node discovery and kubelet metrics are cluster-scoped: a ClusterRole, named per namespace
      // so that environments sharing a cluster do not collide.
      const name = `${chart.namespaceName}-prometheus-kubelet`;
      const role = new kplus.k8s.KubeClusterRole(this, 'KubeletRole', {
        metadata: { name },
        rules: [
          { apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        ],
      });
      const binding = new kplus.k8s.KubeClusterRoleBinding(this, 'KubeletRoleBinding', {
        metadata: { name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
        subjects: [subject],
      });
      // The chart stamps its namespace on every object, cluster-scoped ones included.
      for (const o of [role, binding]) ApiObject.of(o).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    const storage = p.storage;
    const dataMounts = storage.persistent
      ? [
          {
            path: '/prometheus',
            readOnly: false,
            volume: kplus.Volume.fromPersistentVolumeClaim(
              this,
              'DataVolume',
              new kplus.PersistentVolumeClaim(this, 'Data', {
                metadata: { name: 'prometheus-data' },
                storage: sizeOf(storage.size),
                accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
                storageClassName: storage.storageClassName,
              }),
              { name: 'data' },
            ),
          },
        ]
      : [];
    const port = PROMETHEUS_ENDPOINT.port;
    this.workload = new HardenedDeployment(this, 'Workload', {
      name: PROMETHEUS_NAME,
      replicas: 1,
      // One writer per TSDB: the old pod must release the volume before the new one starts.
      strategy: kplus.DeploymentStrategy.recreate(),
      runAs: { user: UID, group: UID },
      serviceAccount,
      terminationGracePeriod: Duration.seconds(120),
      containers: [
        {
          name: 'prometheus',
          image: p.image,
          resources: p.resources,
          ports: [{ name: PROMETHEUS_ENDPOINT.portName, number: port }],
          args: [
            `--config.file=${PROMETHEUS_CONFIG_DIR}/prometheus.yml`,
            '--storage.tsdb.path=/prometheus',
            `--storage.tsdb.retention.time=${p.retention}`,
            `--storage.tsdb.retention.size=${retentionSize(storage.size)}`,
            `--web.listen-address=:${port}`,
            // POST /-/reload, used by the config reloader; the admin API stays off.
            '--web.enable-lifecycle',
          ],
          mounts: [
            { path: PROMETHEUS_CONFIG_DIR, volume: configVolume },
            { path: PROMETHEUS_RULES_DIR, volume: rulesVolume },
            ...dataMounts,
          ],
          scratch: storage.persistent ? [] : [{ path: '/prometheus', sizeLimit: storage.size }],
          readiness: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          liveness: kplus.Probe.fromHttpGet('/-/healthy', { port, periodSeconds: Duration.seconds(15), failureThreshold: 4 }),
          // WAL replay after a restart can take minutes: up to 10 before liveness counts.
          startup: kplus.Probe.fromHttpGet('/-/ready', { port, periodSeconds: Duration.seconds(10), failureThreshold: 60 }),
        },
        configReloaderContainer(reloader, [PROMETHEUS_CONFIG_DIR, PROMETHEUS_RULES_DIR], port, [
          { path: PROMETHEUS_CONFIG_DIR, volume: configVolume },
          { path: PROMETHEUS_RULES_DIR, volume: rulesVolume },
        ]),
      ],
    });
    this.service = new ClusterService(this, 'Service', {
      name: PROMETHEUS_ENDPOINT.serviceName,
      selector: this.workload.selector,
      ports: [{ name: PROMETHEUS_ENDPOINT.portName, port }],
    });
    this.peer = { podLabels: this.workload.selector };
  }
}
