import { monitoring } from '../monitoring';
import { component, type CredentialRequirement } from '../platform/component-descriptor';
import { databaseSection, type DatabaseSettings } from './config';
import { DatabaseChart, type DatabaseReads } from './database-chart';
import { databaseChecks } from './database-checks';
import { monitoringLoginDoc } from './monitoring-login';
import { postgresMonitoring } from './postgres-monitoring';
import { POSTGRES_ENDPOINT, POSTGRES_NAME } from './postgres-spend-store';

export { DatabaseChart } from './database-chart';
export type { DatabaseSettings } from './config';
export type { SpendStore } from './spend-store';

/** Host, port and name of the database the services connect to: in the cluster or managed. */
function databaseAddress(db: DatabaseSettings): { host: string; port: number; name: string } {
  return db.mode === 'external'
    ? { host: db.external.host, port: db.external.port, name: db.external.database }
    : { host: POSTGRES_ENDPOINT.serviceName, port: POSTGRES_ENDPOINT.port, name: db.inCluster.database };
}

/** The gateway's spend store (`21-postgres`): PostgreSQL in the cluster, or a managed database. */
export const database = component<DatabaseReads>()({
  id: 'database',
  title: 'PostgreSQL spend store',
  config: { database: databaseSection },
  checks: databaseChecks,
  ineffectiveFields: [
    {
      path: ['database', 'inCluster'],
      ignoredBecause: (s) => (s.database.mode === 'external' ? 'database.mode is external: no PostgreSQL runs in the cluster' : undefined),
    },
    {
      path: ['database', 'external'],
      ignoredBecause: (s) => (s.database.mode === 'in-cluster' ? 'database.mode is in-cluster: no external database is used' : undefined),
    },
  ],
  credentials: ({ database: db }): CredentialRequirement[] => [
    db.mode === 'external'
      ? {
          id: db.external.urlCredential,
          purpose: 'the connection URL of the external database',
          field: ['database', 'external', 'urlCredential'],
        }
      : {
          id: db.inCluster.passwordCredential,
          purpose: 'the password of the in-cluster database user',
          field: ['database', 'inCluster', 'passwordCredential'],
        },
    {
      id: db.monitoring.passwordCredential,
      purpose: "the password of postgres_exporter's monitoring login",
      field: ['database', 'monitoring', 'passwordCredential'],
    },
  ],
  monitoring: [postgresMonitoring],
  // Service discovery: where services find the database (the URL itself stays in its Secret).
  layerData: (s) => {
    const address = databaseAddress(s.database);
    return {
      global: {
        DATABASE_HOST: address.host,
        DATABASE_PORT: String(address.port),
        DATABASE_NAME: address.name,
        DATABASE_SSL_MODE: s.app.database.sslMode,
      },
    };
  },
  build: (context) => new DatabaseChart(context.scope, context.environment, { scraper: context.use(monitoring).prometheus.peer }),
  // The PostgreSQL login an operator sets up beside the Secrets: the exporter's monitoring login.
  requiredSecretsNotes: ({ settings: s }) => {
    const db = s.database;
    const ref = s.security.credentials[db.monitoring.passwordCredential];
    if (!ref) return [];
    return monitoringLoginDoc({
      mode: db.mode,
      user: db.monitoring.user,
      database: db.mode === 'external' ? db.external.database : db.inCluster.database,
      namespace: s.namespace.name,
      secret: ref.secretName,
      key: ref.key,
      credential: db.monitoring.passwordCredential,
      pod: `${POSTGRES_NAME}-0`,
      container: 'postgres',
    });
  },
});
