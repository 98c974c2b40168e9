import type { CrossCheck, CrossFieldProblem } from '../config/cross-checks';

/** The credentials the chosen database mode needs exist. */
const databaseCredentials: CrossCheck = (settings) => {
  const db = settings.database;
  const needed: [string[], string, string][] = [
    db.mode === 'external'
      ? [['database', 'external', 'urlCredential'], db.external.urlCredential, 'the connection URL of the external database']
      : [['database', 'inCluster', 'passwordCredential'], db.inCluster.passwordCredential, 'the password of the in-cluster database user'],
    [['database', 'monitoring', 'passwordCredential'], db.monitoring.passwordCredential, "the password of postgres_exporter's monitoring login"],
  ];
  return needed
    .filter(([, id]) => !(id in settings.security.credentials))
    .map(([path, id, what]): CrossFieldProblem => ({ path, expected: `the id of a credential in security.credentials holding ${what}`, found: `${JSON.stringify(id)}, which security.credentials does not define` }));
};

/**
 * The exporter's login is its own: not the in-cluster database's user, which the image makes the
 * bootstrap superuser (contracts/postgres POSTGRES_USER), and not that user's password.
 */
const monitoringLogin: CrossCheck = (settings) => {
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
export const databaseChecks: readonly CrossCheck[] = [databaseCredentials, monitoringLogin];
