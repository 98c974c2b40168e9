import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterService } from '../platform/cluster-service';
import { Credentials } from '../platform/credentials';
import type { DirectoryMount } from '../platform/hardened-container';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { PlatformChart } from '../platform/platform-chart';
import { PodDisruptionBudget } from '../platform/pod-disruption-budget';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import { renderAlertmanagerConfig } from './alertmanager-config';
import type { MonitoringSettings } from './config';
import { configReloaderContainer } from './config-reloader';
import { receiversOptional } from './monitoring-checks';
import { ALERTMANAGER_NAME } from './stack-monitoring';

/** Alertmanager's Service. */
export const ALERTMANAGER_ENDPOINT: ServiceEndpoint = { serviceName: 'alertmanager-service', port: 9093, portName: 'http' };

/** Where the config ConfigMap is mounted. */
export const ALERTMANAGER_CONFIG_DIR = '/etc/alertmanager/config';
/** Where receiver secrets are mounted, one directory per Secret, one file per credential id. */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager/secrets';
/** Name of the config ConfigMap; stable, so an update reloads instead of rolling the pods. */
export const ALERTMANAGER_CONFIG_MAP = 'alertmanager-config';
/** Headless Service through which cluster members find each other. */
export const ALERTMANAGER_PEERS_SERVICE = 'alertmanager-cluster';
/** Gossip port (TCP and UDP). */
export const ALERTMANAGER_MESH_PORT = 9094;
const UID = 65534;

/** Properties of Alertmanager. */
export interface AlertmanagerProps {
  /** The `monitoring` settings. */
  readonly settings: MonitoringSettings;
}

/**
 * Alertmanager: receivers from config with their secrets mounted as files, reloaded in place on
 * config change; with more than one replica, an HA gossip cluster whose members find each other
 * through a headless Service; with one, clustering off.
 */
export class Alertmanager extends Construct {
  /** The workload. */
  public readonly workload: HardenedDeployment;
  /** The Service Prometheus and users reach. */
  public readonly service: ClusterService;
  /** Where Alertmanager is reached. */
  public readonly endpoint: ServiceEndpoint = ALERTMANAGER_ENDPOINT;
  /** The rendered `alertmanager.yml`. */
  public readonly config: string;
  /** Whether the replicas form a gossip cluster. */
  public readonly clustered: boolean;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    const am = props.settings.alertmanager;
    const credentials = Credentials.of(this);
    this.clustered = am.replicas > 1;

    const ids = [
      ...new Set(
        am.receivers
          .flatMap((r) => [r.webhook?.urlCredential, r.slack?.urlCredential, r.email?.passwordCredential])
          .filter((x): x is string => !!x),
      ),
    ].sort();
    const bySecret = new Map<string, string[]>();
    for (const credential of ids) {
      const secret = credentials.ref(credential).secretName;
      bySecret.set(secret, [...(bySecret.get(secret) ?? []), credential]);
    }
    const secretMounts: DirectoryMount[] = [...bySecret.entries()].map(([secret, secretIds]) => ({
      path: `${ALERTMANAGER_SECRETS_DIR}/${secret}`,
      volume: credentials.volume(this, `secret-${secret}`.slice(0, 63), secretIds, receiversOptional(chart.environment.settings)),
    }));
    this.config = renderAlertmanagerConfig({
      receivers: am.receivers,
      routing: am.routing,
      credentialFile: (credential) => `${ALERTMANAGER_SECRETS_DIR}/${credentials.ref(credential).secretName}/${credential}`,
    });
    const configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: { name: ALERTMANAGER_CONFIG_MAP },
      data: { 'alertmanager.yml': this.config },
    });
    const configVolume = kplus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, { name: 'config' });

    const port = ALERTMANAGER_ENDPOINT.port;
    const clusterArgs = this.clustered
      ? [
          `--cluster.listen-address=0.0.0.0:${ALERTMANAGER_MESH_PORT}`,
          `--cluster.advertise-address=$(POD_IP):${ALERTMANAGER_MESH_PORT}`,
          // The headless Service resolves to every member's address.
          `--cluster.peer=${ALERTMANAGER_PEERS_SERVICE}.${chart.namespaceName}.svc:${ALERTMANAGER_MESH_PORT}`,
        ]
      : ['--cluster.listen-address='];
    this.workload = new HardenedDeployment(this, 'Workload', {
      name: ALERTMANAGER_NAME,
      replicas: am.replicas,
      runAs: { user: UID, group: UID },
      spreadAcrossNodes: this.clustered,
      containers: [
        {
          name: 'alertmanager',
          image: am.image,
          resources: am.resources,
          ports: [
            { name: ALERTMANAGER_ENDPOINT.portName, number: port },
            ...(this.clustered ? [{ name: 'mesh', number: ALERTMANAGER_MESH_PORT }] : []),
          ],
          args: [
            `--config.file=${ALERTMANAGER_CONFIG_DIR}/alertmanager.yml`,
            '--storage.path=/alertmanager',
            `--web.listen-address=:${port}`,
            ...clusterArgs,
          ],
          env: this.clustered ? { POD_IP: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_IP) } : undefined,
          mounts: [{ path: ALERTMANAGER_CONFIG_DIR, volume: configVolume }, ...secretMounts],
          // Silences and the notification log; replicated by gossip in a cluster.
          scratch: [{ path: '/alertmanager', sizeLimit: '256Mi' }],
          readiness: kplus.Probe.fromHttpGet('/-/ready', { port }),
          liveness: kplus.Probe.fromHttpGet('/-/healthy', { port, periodSeconds: Duration.seconds(15) }),
        },
        configReloaderContainer(props.settings.configReloader, [ALERTMANAGER_CONFIG_DIR], port, [
          { path: ALERTMANAGER_CONFIG_DIR, volume: configVolume },
        ]),
      ],
    });
    this.service = new ClusterService(this, 'Service', {
      name: ALERTMANAGER_ENDPOINT.serviceName,
      selector: this.workload.selector,
      ports: [{ name: ALERTMANAGER_ENDPOINT.portName, port }],
    });
    if (this.clustered) {
      new kplus.k8s.KubeService(this, 'PeersService', {
        metadata: { name: ALERTMANAGER_PEERS_SERVICE },
        spec: {
          clusterIp: 'None',
          // Members must find each other before they are ready: readiness waits for the cluster to settle.
          publishNotReadyAddresses: true,
          selector: { ...this.workload.selector },
          ports: [{ name: 'mesh', port: ALERTMANAGER_MESH_PORT, targetPort: kplus.k8s.IntOrString.fromString('mesh'), protocol: 'TCP' }],
        },
      });
      new PodDisruptionBudget(this, 'Budget', { name: ALERTMANAGER_NAME, selector: this.workload.selector });
    }
  }
}
