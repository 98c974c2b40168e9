import type { CrossCheck } from '../config/cross-checks';

/** The credentials the chosen database mode needs exist. */
const databaseCredentials: CrossCheck = (settings) => {
  const db = settings.database;
  const [path, id, what] =
    db.mode === 'external'
      ? [['database', 'external', 'urlCredential'], db.external.urlCredential, 'the connection URL of the external database']
      : [['database', 'inCluster', 'passwordCredential'], db.inCluster.passwordCredential, 'the password of the in-cluster database user'];
  if (id in settings.security.credentials) return [];
  return [{ path, expected: `the id of a credential in security.credentials holding ${what}`, found: `${JSON.stringify(id)}, which security.credentials does not define` }];
};

/** The spend store's cross-field rules. */
export const databaseChecks: readonly CrossCheck[] = [databaseCredentials];
