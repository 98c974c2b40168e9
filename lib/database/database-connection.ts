import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { DatabaseSettings } from '../config/sections/database';
import { Credentials } from '../layers/credentials';
import type { NetworkRule } from '../platform/pod-network-policy';
import { POSTGRES_ENDPOINT } from './endpoint';

/** Environment variable holding the spend store's connection URL (LiteLLM reads `DATABASE_URL`). */
export const DATABASE_URL_ENV = 'DATABASE_URL';
/** Environment variable holding the in-cluster user's password (to build the URL). */
export const DATABASE_PASSWORD_ENV = 'DATABASE_PASSWORD';

/**
 * The in-cluster URL with a `$(DATABASE_PASSWORD)` placeholder that Kubernetes expands from the
 * variable defined before it, so the password stays in its Secret. The password must be
 * URL-safe (e.g. hex), which the README asks for.
 */
export function inClusterDatabaseUrl(db: DatabaseSettings): string {
  const c = db.inCluster;
  return `${POSTGRES_ENDPOINT.scheme}://${c.user}:$(${DATABASE_PASSWORD_ENV})@${POSTGRES_ENDPOINT.serviceName}:${POSTGRES_ENDPOINT.port}/${c.database}`;
}

/**
 * Environment variables giving a container `DATABASE_URL`: from the external URL's Secret, or
 * built for the in-cluster database from its password Secret. Insertion order matters: the
 * password comes first so Kubernetes can expand it.
 */
export function databaseUrlEnv(scope: Construct, db: DatabaseSettings): Record<string, kplus.EnvValue> {
  const credentials = Credentials.of(scope);
  if (db.mode === 'external') return { [DATABASE_URL_ENV]: credentials.env(scope, db.external.urlCredential) };
  return {
    [DATABASE_PASSWORD_ENV]: credentials.env(scope, db.inCluster.passwordCredential),
    [DATABASE_URL_ENV]: kplus.EnvValue.fromValue(inClusterDatabaseUrl(db)),
  };
}

/** Egress a database client needs: the in-cluster pods, or the external database's addresses. */
export function databaseEgress(db: DatabaseSettings, postgresPods: Readonly<Record<string, string>>): NetworkRule {
  return db.mode === 'external'
    ? { peers: [{ cidr: db.external.cidr }], ports: [{ port: db.external.port }] }
    : { peers: [{ podLabels: postgresPods }], ports: [{ port: POSTGRES_ENDPOINT.port }] };
}
