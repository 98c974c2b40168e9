import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterService } from '../platform/cluster-service';
import { Credentials } from '../platform/credentials';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { endpointUrl, type ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import type { MonitoringSettings } from './config';
import type { DashboardConfigMapRef } from './grafana-dashboards';
import { DASHBOARDS_PATH, renderDashboardProvider, renderDatasources } from './grafana-provisioning';
import { PROMETHEUS_ENDPOINT } from './prometheus';
import { GRAFANA_NAME } from './stack-monitoring';

/** Grafana's Service. */
export const GRAFANA_ENDPOINT: ServiceEndpoint = { serviceName: 'grafana-service', port: 3000, portName: 'http' };
/** Credential ids of Grafana's admin account (there is no default password). */
export const GRAFANA_ADMIN_CREDENTIALS = ['grafana-admin-user', 'grafana-admin-password'] as const;

/** Where the admin credentials are mounted (files named after their credential ids). */
export const GRAFANA_ADMIN_DIR = '/etc/grafana-admin';
/** The image's user (GF_UID). */
const UID = 472;

/** Properties of Grafana. */
export interface GrafanaProps {
  /** The `monitoring` settings. */
  readonly settings: MonitoringSettings;
  /** The dashboards' ConfigMaps. */
  readonly dashboards: readonly DashboardConfigMapRef[];
}

/**
 * Grafana: stateless (SQLite on an emptyDir; datasources and dashboards are provisioned, read-only),
 * admin account from a Secret and no default password, anonymous access and sign-up off, no
 * phoning home. Provisioning files are a hashed ConfigMap (a change rolls the pod, since Grafana
 * reads datasources only at start); dashboards are picked up live by the file provider.
 */
export class Grafana extends Construct {
  /** The workload. */
  public readonly workload: HardenedDeployment;
  /** The Service. */
  public readonly service: ClusterService;
  /** Where Grafana is reached. */
  public readonly endpoint: ServiceEndpoint = GRAFANA_ENDPOINT;
  /** Credential ids of its admin account. */
  public readonly adminCredentials: readonly string[] = GRAFANA_ADMIN_CREDENTIALS;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id);
    const g = props.settings.grafana;
    const credentials = Credentials.of(this);
    const provisioning = new VersionedConfigMap(this, 'Provisioning', {
      baseName: 'grafana-provisioning',
      data: {
        'datasources.yaml': renderDatasources(endpointUrl(PROMETHEUS_ENDPOINT), props.settings.prometheus.scrapeInterval),
        'dashboards.yaml': renderDashboardProvider(),
      },
    });
    const provisioningVolume = (dir: string, key: string) =>
      kplus.Volume.fromConfigMap(this, `Provisioning-${dir}`, provisioning.configMap, {
        name: `provisioning-${dir}`,
        items: { [key]: { path: key } },
      });
    const dashboardMounts = props.dashboards.map((d) => ({
      path: `${DASHBOARDS_PATH}/${d.uid}`,
      volume: kplus.Volume.fromConfigMap(
        this,
        `Dashboard-${d.uid}`,
        kplus.ConfigMap.fromConfigMapName(this, `DashboardMap-${d.uid}`, d.configMapName),
        { name: `dashboard-${d.uid}`.slice(0, 63) },
      ),
    }));
    const admin = credentials.volume(this, 'grafana-admin', GRAFANA_ADMIN_CREDENTIALS);
    const [userId, passwordId] = GRAFANA_ADMIN_CREDENTIALS;
    const port = GRAFANA_ENDPOINT.port;
    const env: Record<string, kplus.EnvValue> = {
      // The image's run.sh reads GF_*__FILE; the password exists only in the Secret.
      GF_SECURITY_ADMIN_USER__FILE: kplus.EnvValue.fromValue(`${GRAFANA_ADMIN_DIR}/${userId}`),
      GF_SECURITY_ADMIN_PASSWORD__FILE: kplus.EnvValue.fromValue(`${GRAFANA_ADMIN_DIR}/${passwordId}`),
      GF_AUTH_ANONYMOUS_ENABLED: kplus.EnvValue.fromValue('false'),
      GF_USERS_ALLOW_SIGN_UP: kplus.EnvValue.fromValue('false'),
      GF_USERS_ALLOW_ORG_CREATE: kplus.EnvValue.fromValue('false'),
      GF_SECURITY_DISABLE_GRAVATAR: kplus.EnvValue.fromValue('true'),
      GF_ANALYTICS_REPORTING_ENABLED: kplus.EnvValue.fromValue('false'),
      GF_ANALYTICS_CHECK_FOR_UPDATES: kplus.EnvValue.fromValue('false'),
      GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: kplus.EnvValue.fromValue('false'),
      GF_NEWS_NEWS_FEED_ENABLED: kplus.EnvValue.fromValue('false'),
      GF_PATHS_DATA: kplus.EnvValue.fromValue('/var/lib/grafana'),
      GF_PATHS_PROVISIONING: kplus.EnvValue.fromValue('/etc/grafana/provisioning'),
      GF_SERVER_HTTP_PORT: kplus.EnvValue.fromValue(String(port)),
      ...(g.rootUrl ? { GF_SERVER_ROOT_URL: kplus.EnvValue.fromValue(g.rootUrl) } : {}),
    };
    this.workload = new HardenedDeployment(this, 'Workload', {
      name: GRAFANA_NAME,
      replicas: 1,
      runAs: { user: UID, group: UID },
      podAnnotations: { 'suoke.life/provisioning-version': provisioning.version },
      containers: [
        {
          name: 'grafana',
          image: g.image,
          resources: g.resources,
          ports: [{ name: GRAFANA_ENDPOINT.portName, number: port }],
          env,
          mounts: [
            { path: '/etc/grafana/provisioning/datasources', volume: provisioningVolume('datasources', 'datasources.yaml') },
            { path: '/etc/grafana/provisioning/dashboards', volume: provisioningVolume('dashboards', 'dashboards.yaml') },
            { path: GRAFANA_ADMIN_DIR, volume: admin },
            ...dashboardMounts,
          ],
          scratch: [
            // SQLite database, sessions and the plugins directory run.sh creates.
            { path: '/var/lib/grafana', sizeLimit: '1Gi' },
            { path: '/tmp', sizeLimit: '64Mi', inMemory: true },
          ],
          readiness: kplus.Probe.fromHttpGet('/api/health', { port }),
          liveness: kplus.Probe.fromHttpGet('/api/health', { port, periodSeconds: Duration.seconds(15), failureThreshold: 4 }),
          // First start runs the database migrations.
          startup: kplus.Probe.fromHttpGet('/api/health', { port, periodSeconds: Duration.seconds(5), failureThreshold: 60 }),
        },
      ],
    });
    this.service = new ClusterService(this, 'Service', {
      name: GRAFANA_ENDPOINT.serviceName,
      selector: this.workload.selector,
      ports: [{ name: GRAFANA_ENDPOINT.portName, port }],
    });
  }
}
