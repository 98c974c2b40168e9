import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterService } from '../platform/cluster-service';
import { Component } from '../platform/component';
import { Credentials } from '../platform/credentials';
import { HardenedStatefulSet } from '../platform/hardened-stateful-set';
import { scrapeAnnotations } from '../platform/monitoring-contribution';
import { type NetworkPeer, type NetworkRule, PeerList, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import type { DatabaseSettings } from './config';
import { INITDB_SCRIPTS_DIR, MONITORING_LOGIN_SCRIPT, MONITORING_PASSWORD_ENV, renderMonitoringLoginScript } from './monitoring-login';
import { PostgresBackup, POSTGRES_UID } from './postgres-backup';
import { POSTGRES_EXPORTER_PORT, postgresExporterContainer } from './postgres-exporter';
import { DATABASE_PASSWORD_ENV, DATABASE_URL_ENV, type DatabaseAddress, type SpendStore } from './spend-store';

/** `app.kubernetes.io/name` of the PostgreSQL pods, and the name of its StatefulSet and NetworkPolicy. */
export const POSTGRES_NAME = 'postgres';

/** The in-cluster PostgreSQL's Service. */
export const POSTGRES_ENDPOINT: ServiceEndpoint = {
  serviceName: 'postgres-service',
  port: 5432,
  portName: 'postgres',
  scheme: 'postgresql',
};

const DATA_DIR = '/var/lib/postgresql/data';

/** Properties of a PostgresSpendStore. */
export interface PostgresSpendStoreProps {
  /** The `database` section of the environment's config (mode `in-cluster`). */
  readonly settings: DatabaseSettings;
  /** The pods that scrape the exporter sidecar (Prometheus), let in on its port. */
  readonly scraper: NetworkPeer;
}

/**
 * The gateway's spend store when it runs in the cluster: a one-pod StatefulSet of the official
 * PostgreSQL image running as its own non-root user, a volume claim sized from config, a
 * postgres_exporter sidecar connecting with its own read-only login (created on first start by an
 * init script), a nightly `pg_dump` to its own volume, and a NetworkPolicy admitting only the
 * gateway, the backup job and Prometheus.
 */
export class PostgresSpendStore extends Component implements SpendStore {
  /** The PostgreSQL Service. */
  public readonly service: ClusterService;
  public readonly address: DatabaseAddress;
  public readonly egress: NetworkRule;
  /** The pods let in on the PostgreSQL port: each client adds itself (`allowClient`). */
  private readonly clients = new PeerList();
  /** The backup job's pods, let in after the clients. */
  private readonly backups = new PeerList();
  private readonly settings: DatabaseSettings;

  constructor(scope: Construct, id: string, props: PostgresSpendStoreProps) {
    const db = props.settings;
    const c = db.inCluster;
    super(scope, id, { name: POSTGRES_NAME, component: 'database', version: c.image.tag });
    if (db.mode !== 'in-cluster') throw new Error(`PostgresSpendStore: database.mode is ${db.mode}, not in-cluster`);
    this.settings = db;
    this.address = { host: POSTGRES_ENDPOINT.serviceName, port: POSTGRES_ENDPOINT.port, name: c.database };
    const credentials = Credentials.of(this);
    const ready = ['pg_isready', '--host=127.0.0.1', `--port=${POSTGRES_ENDPOINT.port}`, `--username=${c.user}`, `--dbname=${c.database}`];
    // The exporter's own read-only login, created by the image's entrypoint on a fresh cluster.
    const login = { user: db.monitoring.user, database: c.database };
    const initdb = new VersionedConfigMap(this, 'Initdb', {
      baseName: 'postgres-initdb',
      data: { [MONITORING_LOGIN_SCRIPT]: renderMonitoringLoginScript(login) },
    });
    // Executable, so the entrypoint runs it as a process instead of sourcing it into its own shell.
    const initdbVolume = kplus.Volume.fromConfigMap(this, 'initdb-volume', initdb.configMap, { name: 'initdb', defaultMode: 0o555 });

    const workload = new HardenedStatefulSet(this, 'StatefulSet', {
      name: POSTGRES_NAME,
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
          startup: kplus.Probe.fromCommand(ready, {
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 30,
          }),
          readiness: kplus.Probe.fromCommand(ready, {
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 3,
          }),
          liveness: kplus.Probe.fromCommand(ready, {
            periodSeconds: Duration.seconds(20),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 6,
          }),
        },
        postgresExporterContainer(this, db, `127.0.0.1:${POSTGRES_ENDPOINT.port}/${c.database}?sslmode=disable`),
      ],
    });

    this.service = new ClusterService(this, 'Service', {
      name: POSTGRES_ENDPOINT.serviceName,
      selector: workload.selector,
      ports: [
        { name: POSTGRES_ENDPOINT.portName, port: POSTGRES_ENDPOINT.port },
        { name: POSTGRES_EXPORTER_PORT.name, port: POSTGRES_EXPORTER_PORT.number },
      ],
    });

    this.egress = { peers: [{ podLabels: workload.selector }], ports: [{ port: POSTGRES_ENDPOINT.port }] };

    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: POSTGRES_NAME,
      podLabels: workload.selector,
      ingress: [
        { peers: [this.clients, this.backups], ports: [{ port: POSTGRES_ENDPOINT.port }] },
        { peers: [props.scraper], ports: [{ port: POSTGRES_EXPORTER_PORT.number }] },
      ],
    });

    const backup = new PostgresBackup(this, 'Backup', { settings: db, postgres: { endpoint: POSTGRES_ENDPOINT, pods: workload.selector } });
    this.backups.add(backup.peer);
  }

  /**
   * The URL with a `$(DATABASE_PASSWORD)` placeholder that Kubernetes expands from the variable
   * defined before it, so the password stays in its Secret. The password must be URL-safe (e.g.
   * hex), which the README asks for.
   */
  public urlEnv(scope: Construct): Record<string, kplus.EnvValue> {
    const c = this.settings.inCluster;
    const url = `${POSTGRES_ENDPOINT.scheme}://${c.user}:$(${DATABASE_PASSWORD_ENV})@${POSTGRES_ENDPOINT.serviceName}:${POSTGRES_ENDPOINT.port}/${c.database}`;
    return {
      [DATABASE_PASSWORD_ENV]: Credentials.of(scope).env(scope, c.passwordCredential),
      [DATABASE_URL_ENV]: kplus.EnvValue.fromValue(url),
    };
  }

  public allowClient(peer: NetworkPeer): void {
    this.clients.add(peer);
  }
}
