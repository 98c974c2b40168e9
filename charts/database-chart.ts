import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { PostgresExporter } from '../lib/database/postgres-exporter';
import { PostgresSpendStore } from '../lib/database/postgres-spend-store';
import { PlatformChart } from '../lib/platform/platform-chart';

/**
 * The gateway's spend store (`21-postgres`): with `database.mode: in-cluster`, PostgreSQL itself
 * (with its exporter sidecar and backups); with an external database, which the gateway reaches
 * by the URL in its Secret, only the exporter that watches it.
 */
export class DatabaseChart extends PlatformChart {
  /** The chart for an environment. */
  public static forEnvironment(scope: Construct, environment: EnvironmentConfig): DatabaseChart[] {
    return [new DatabaseChart(scope, environment)];
  }

  private constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'database', { environment, fileName: '21-postgres', component: 'database' });
    const s = environment.settings;
    if (s.database.mode === 'in-cluster') new PostgresSpendStore(this, 'postgres', { settings: s.database });
    else new PostgresExporter(this, 'postgres-exporter', { settings: s.database, sslMode: s.app.database.sslMode });
  }
}
