import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import type { AppSettings } from '../layers';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import type { NetworkPeer } from '../platform/pod-network-policy';
import type { DatabaseSettings } from './config';
import { ExternalSpendStore } from './external-spend-store';
import { PostgresExporter } from './postgres-exporter';
import { PostgresSpendStore } from './postgres-spend-store';
import type { SpendStore } from './spend-store';

/** What the database chart reads: its section, and how services connect to it (`app.database`). */
export type DatabaseReads = PlatformSettings & { readonly database: DatabaseSettings; readonly app: Pick<AppSettings, 'database'> };

/** Properties of a DatabaseChart. */
export interface DatabaseChartProps {
  /** The pods that scrape postgres_exporter (Prometheus). */
  readonly scraper: NetworkPeer;
}

/**
 * The gateway's spend store (`21-postgres`): with `database.mode: in-cluster`, PostgreSQL itself
 * (with its exporter sidecar and backups); with an external database, which the gateway reaches
 * by the URL in its Secret, only the exporter that watches it.
 */
export class DatabaseChart extends PlatformChart {
  /** The spend store, for its clients: address, connection URL, egress, and a way in. */
  public readonly spendStore: SpendStore;

  constructor(scope: Construct, environment: EnvironmentConfig<DatabaseReads>, props: DatabaseChartProps) {
    super(scope, 'database', { environment, fileName: '21-postgres', component: 'database' });
    const s = environment.settings;
    if (s.database.mode === 'in-cluster') {
      this.spendStore = new PostgresSpendStore(this, 'Postgres', { settings: s.database, scraper: props.scraper });
    } else {
      const external = new ExternalSpendStore(s.database);
      new PostgresExporter(this, 'PostgresExporter', {
        settings: s.database,
        sslMode: s.app.database.sslMode,
        database: external,
        scraper: props.scraper,
      });
      this.spendStore = external;
    }
  }
}
