import type * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { Credentials } from '../platform/credentials';
import type { NetworkRule } from '../platform/pod-network-policy';
import type { DatabaseSettings } from './config';
import { DATABASE_URL_ENV, type DatabaseAddress, type SpendStore } from './spend-store';

/**
 * The spend store as a managed database outside the cluster (`database.mode: external`): clients
 * read the whole URL from its Secret and may reach only its addresses and port.
 */
export class ExternalSpendStore implements SpendStore {
  public readonly address: DatabaseAddress;
  public readonly egress: NetworkRule;
  private readonly urlCredential: string;

  constructor(settings: DatabaseSettings) {
    const e = settings.external;
    this.address = { host: e.host, port: e.port, name: e.database };
    this.egress = { peers: [{ cidr: e.cidr }], ports: [{ port: e.port }] };
    this.urlCredential = e.urlCredential;
  }

  public urlEnv(scope: Construct): Record<string, kplus.EnvValue> {
    return { [DATABASE_URL_ENV]: Credentials.of(scope).env(scope, this.urlCredential) };
  }

  /** Nothing to open: the database is not in the cluster, and its own firewall is not ours. */
  public allowClient(): void {}
}
