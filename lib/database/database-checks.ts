import type { CrossFieldProblem } from '../config/cross-checks';
import type { CrossCheck } from '../platform/component-descriptor';
import type { DatabaseSettings } from './config';

/**
 * The exporter's login is its own: not the in-cluster database's user, which the image makes the
 * bootstrap superuser (contracts/postgres POSTGRES_USER), and not that user's password.
 */
const monitoringLogin: CrossCheck<{ readonly database: DatabaseSettings }> = (settings) => {
  const db = settings.database;
  const problems: CrossFieldProblem[] = [];
  if (db.mode === 'in-cluster' && db.monitoring.user === db.inCluster.user) {
    problems.push({
      path: ['database', 'monitoring', 'user'],
      expected: `a login other than database.inCluster.user ("${db.inCluster.user}", the superuser): the exporter may only read statistics`,
      found: JSON.stringify(db.monitoring.user),
    });
  }
  if (db.monitoring.passwordCredential === db.inCluster.passwordCredential) {
    problems.push({
      path: ['database', 'monitoring', 'passwordCredential'],
      expected: "a credential of the monitoring login's own, not database.inCluster.passwordCredential",
      found: JSON.stringify(db.monitoring.passwordCredential),
    });
  }
  return problems;
};

/** The spend store's cross-field rules. */
export const databaseChecks: readonly CrossCheck<{ readonly database: DatabaseSettings }>[] = [monitoringLogin];
