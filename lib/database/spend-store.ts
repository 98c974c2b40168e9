import type * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { NetworkPeer, NetworkRule } from '../platform/pod-network-policy';

/** Environment variable holding the spend store's connection URL (LiteLLM reads `DATABASE_URL`). */
export const DATABASE_URL_ENV = 'DATABASE_URL';
/** Environment variable holding the in-cluster user's password (to build the URL). */
export const DATABASE_PASSWORD_ENV = 'DATABASE_PASSWORD';

/** Where the spend store is, for service discovery. */
export interface DatabaseAddress {
  readonly host: string;
  readonly port: number;
  /** Database name. */
  readonly name: string;
}

/**
 * The gateway's spend store as its clients see it, wherever it runs: in the cluster
 * (PostgresSpendStore) or as a managed database outside it (ExternalSpendStore). The database
 * component builds one; its clients receive it by reference.
 */
export interface SpendStore {
  /** Host, port and database name. */
  readonly address: DatabaseAddress;
  /**
   * Environment variables giving a container `DATABASE_URL`, with the secret parts read from their
   * Secrets. Insertion order matters: Kubernetes expands a variable only from those before it.
   */
  urlEnv(scope: Construct): Record<string, kplus.EnvValue>;
  /** The egress a client needs to reach it. */
  readonly egress: NetworkRule;
  /** Lets a client's pods in (nothing to open for a database outside the cluster). */
  allowClient(peer: NetworkPeer): void;
}
