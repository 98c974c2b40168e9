import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../lib/config/schema';
import { PostgresSpendStore } from '../lib/database/postgres-spend-store';
import { PlatformChart } from '../lib/platform/platform-chart';

/**
 * The gateway's spend store in the cluster (`21-postgres`): rendered only when
 * `database.mode` is `in-cluster`; with an external database the gateway reads its URL from a Secret.
 */
export class DatabaseChart extends PlatformChart {
  /** The chart for an environment, or none when its database is external. */
  public static forEnvironment(scope: Construct, environment: EnvironmentConfig): DatabaseChart[] {
    return environment.settings.database.mode === 'in-cluster' ? [new DatabaseChart(scope, environment)] : [];
  }

  private constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'database', { environment, fileName: '21-postgres', component: 'database' });
    new PostgresSpendStore(this, 'postgres', { settings: environment.settings.database });
  }
}
