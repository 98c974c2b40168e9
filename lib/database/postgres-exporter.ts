import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component } from '../platform/component';
import { Credentials } from '../platform/credentials';
import type { LongRunningContainerProps } from '../platform/hardened-container';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { type NetworkPeer, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { DatabaseSettings } from './config';
import type { SpendStore } from './spend-store';

/** Name of the exporter watching an external database (in the cluster it is a sidecar of PostgreSQL). */
export const EXPORTER_NAME = 'postgres-exporter';

/** The exporter's metrics port (its default listener, contracts/postgres-exporter `--web.listen-address`). */
export const POSTGRES_EXPORTER_PORT = { name: 'metrics', number: 9187 } as const;

/** UID of the postgres_exporter image (`USER nobody`, 65534; contracts/postgres-exporter `image.user`). */
const EXPORTER_UID = 65534;

/**
 * The postgres_exporter container: the monitoring login (never the gateway's user or the
 * superuser) and its password from its Secret, the database at `uri` (`host:port/db?params`,
 * the exporter's DATA_SOURCE_URI). There is no health endpoint, so the probes check the port.
 */
export function postgresExporterContainer(scope: Construct, db: DatabaseSettings, uri: string): LongRunningContainerProps {
  const m = db.monitoring;
  return {
    name: 'exporter',
    image: m.exporter.image,
    resources: m.exporter.resources,
    user: EXPORTER_UID,
    ports: [POSTGRES_EXPORTER_PORT],
    env: {
      DATA_SOURCE_URI: kplus.EnvValue.fromValue(uri),
      DATA_SOURCE_USER: kplus.EnvValue.fromValue(m.user),
      DATA_SOURCE_PASS: Credentials.of(scope).env(scope, m.passwordCredential),
    },
    readiness: kplus.Probe.fromTcpSocket({ port: POSTGRES_EXPORTER_PORT.number, periodSeconds: Duration.seconds(10) }),
    liveness: kplus.Probe.fromTcpSocket({ port: POSTGRES_EXPORTER_PORT.number, periodSeconds: Duration.seconds(20), failureThreshold: 5 }),
  };
}

/** Properties of a PostgresExporter. */
export interface PostgresExporterProps {
  /** The `database` section of the environment's config (mode `external`). */
  readonly settings: DatabaseSettings;
  /** `sslmode` of the connection (`app.database.sslMode`, as the gateway uses). */
  readonly sslMode: string;
  /** The database it watches (its egress). */
  readonly database: SpendStore;
  /** The pods that scrape the exporter (Prometheus), let in on its port. */
  readonly scraper: NetworkPeer;
}

/**
 * postgres_exporter in the namespace, watching the external (managed) database: one pod, its own
 * read-only login, egress only to the database's addresses and port (and DNS, allowed
 * namespace-wide), ingress only from Prometheus on its metrics port. Scraped by the `postgres`
 * job like the in-cluster sidecar, so the PostgreSQL alerts and dashboard work the same.
 */
export class PostgresExporter extends Component {
  /** The workload. */
  public readonly workload: HardenedDeployment;

  constructor(scope: Construct, id: string, props: PostgresExporterProps) {
    const db = props.settings;
    super(scope, id, { name: EXPORTER_NAME, component: 'database', version: db.monitoring.exporter.image.tag });
    if (db.mode !== 'external')
      throw new Error(`PostgresExporter: database.mode is ${db.mode}; the in-cluster database has its exporter as a sidecar`);
    const e = db.external;
    this.workload = new HardenedDeployment(this, 'Deployment', {
      name: EXPORTER_NAME,
      replicas: 1,
      runAs: { user: EXPORTER_UID, group: EXPORTER_UID },
      containers: [postgresExporterContainer(this, db, `${e.host}:${e.port}/${e.database}?sslmode=${props.sslMode}`)],
    });
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: EXPORTER_NAME,
      podLabels: this.workload.selector,
      ingress: [{ peers: [props.scraper], ports: [{ port: POSTGRES_EXPORTER_PORT.number }] }],
      egress: [props.database.egress],
    });
  }
}
