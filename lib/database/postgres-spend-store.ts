import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { DatabaseSettings } from '../config/sections/database';
import { scrapeAnnotations, WORKLOAD_NAMES, workloadPeer } from '../gateway/peers';
import { Credentials } from '../layers/credentials';
import { ClusterService } from '../platform/cluster-service';
import { Component } from '../platform/component';
import { HardenedStatefulSet } from '../platform/hardened-stateful-set';
import { PlatformChart } from '../platform/platform-chart';
import { PodNetworkPolicy } from '../platform/pod-network-policy';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { POSTGRES_ENDPOINT } from './endpoint';
import { INITDB_SCRIPTS_DIR, MONITORING_LOGIN_SCRIPT, MONITORING_PASSWORD_ENV, renderMonitoringLoginScript } from './monitoring-login';
import { PostgresBackup, POSTGRES_UID } from './postgres-backup';
import { POSTGRES_EXPORTER_PORT, postgresExporterContainer } from './postgres-exporter';

const DATA_DIR = '/var/lib/postgresql/data';

/** Properties of a PostgresSpendStore. */
export interface PostgresSpendStoreProps {
  /** The `database` section of the environment's config (mode `in-cluster`). */
  readonly settings: DatabaseSettings;
}

/**
 * The gateway's spend store when it runs in the cluster: a one-pod StatefulSet of the official
 * PostgreSQL image running as its own non-root user, a volume claim sized from config, a
 * postgres_exporter sidecar connecting with its own read-only login (created on first start by an
 * init script), a nightly `pg_dump` to its own volume, and a NetworkPolicy admitting only the
 * gateway, the backup job and Prometheus.
 */
export class PostgresSpendStore extends Component {
  /** The PostgreSQL Service. */
  public readonly service: ClusterService;

  constructor(scope: Construct, id: string, props: PostgresSpendStoreProps) {
    const db = props.settings;
    const c = db.inCluster;
    super(scope, id, { name: WORKLOAD_NAMES.postgres, component: 'database', version: c.image.tag });
    if (db.mode !== 'in-cluster') throw new Error(`PostgresSpendStore: database.mode is ${db.mode}, not in-cluster`);
    const environment = PlatformChart.of(this).environmentName;
    const credentials = Credentials.of(this);
    const ready = ['pg_isready', '--host=127.0.0.1', `--port=${POSTGRES_ENDPOINT.port}`, `--username=${c.user}`, `--dbname=${c.database}`];
    // The exporter's own read-only login, created by the image's entrypoint on a fresh cluster.
    const login = { user: db.monitoring.user, database: c.database };
    const initdb = new VersionedConfigMap(this, 'initdb', { baseName: 'postgres-initdb', data: { [MONITORING_LOGIN_SCRIPT]: renderMonitoringLoginScript(login) } });
    // Executable, so the entrypoint runs it as a process instead of sourcing it into its own shell.
    const initdbVolume = kplus.Volume.fromConfigMap(this, 'initdb-volume', initdb.configMap, { name: 'initdb', defaultMode: 0o555 });

    const workload = new HardenedStatefulSet(this, 'stateful-set', {
      name: WORKLOAD_NAMES.postgres,
      serviceName: POSTGRES_ENDPOINT.serviceName,
      runAs: { user: POSTGRES_UID, group: POSTGRES_UID },
      podAnnotations: scrapeAnnotations(POSTGRES_EXPORTER_PORT.number, '/metrics'),
      terminationGracePeriod: Duration.seconds(60),
      claims: [{ name: 'data', size: c.storageSize, storageClassName: c.storageClassName, mountPath: DATA_DIR }],
      containers: [
        {
          name: 'postgres',
          image: c.image,
          resources: c.resources,
          ports: [{ name: POSTGRES_ENDPOINT.portName, number: POSTGRES_ENDPOINT.port }],
          env: {
            POSTGRES_USER: kplus.EnvValue.fromValue(c.user),
            POSTGRES_DB: kplus.EnvValue.fromValue(c.database),
            POSTGRES_PASSWORD: credentials.env(this, c.passwordCredential),
            // A subdirectory of the volume: initdb refuses a mount point that holds lost+found.
            PGDATA: kplus.EnvValue.fromValue(`${DATA_DIR}/pgdata`),
            // Read by the init script only (and by it again when an operator runs it by hand).
            [MONITORING_PASSWORD_ENV]: credentials.env(this, db.monitoring.passwordCredential),
          },
          mounts: [{ path: INITDB_SCRIPTS_DIR, volume: initdbVolume }],
          scratch: [
            { path: '/var/run/postgresql', sizeLimit: '16Mi' },
            { path: '/tmp', sizeLimit: '256Mi' },
            { path: '/dev/shm', sizeLimit: c.sharedMemorySize, inMemory: true },
          ],
          startup: kplus.Probe.fromCommand(ready, { periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 30 }),
          readiness: kplus.Probe.fromCommand(ready, { periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5), failureThreshold: 3 }),
          liveness: kplus.Probe.fromCommand(ready, { periodSeconds: Duration.seconds(20), timeoutSeconds: Duration.seconds(5), failureThreshold: 6 }),
        },
        postgresExporterContainer(this, db, `127.0.0.1:${POSTGRES_ENDPOINT.port}/${c.database}?sslmode=disable`),
      ],
    });

    this.service = new ClusterService(this, 'service', {
      name: POSTGRES_ENDPOINT.serviceName,
      selector: workload.selector,
      ports: [
        { name: POSTGRES_ENDPOINT.portName, port: POSTGRES_ENDPOINT.port },
        { name: POSTGRES_EXPORTER_PORT.name, port: POSTGRES_EXPORTER_PORT.number },
      ],
    });

    new PodNetworkPolicy(this, 'network-policy', {
      name: WORKLOAD_NAMES.postgres,
      podLabels: workload.selector,
      ingress: [
        { peers: [workloadPeer('gateway', environment), workloadPeer('postgresBackup', environment)], ports: [{ port: POSTGRES_ENDPOINT.port }] },
        { peers: [workloadPeer('prometheus', environment)], ports: [{ port: POSTGRES_EXPORTER_PORT.number }] },
      ],
    });

    new PostgresBackup(this, 'backup', { settings: db, postgresPods: workload.selector });
  }
}
