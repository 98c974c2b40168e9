import { z } from 'zod';
import { dnsLabel, duration, oneOf, section, text, wholeNumber } from '../config/fields';
import { credentialRef } from '../platform/platform-settings';

/** The security layer: where credentials live, how Secrets get into the cluster, and web security. */
export const securitySection = section({
  /**
   * How Secrets reach the cluster. `external`: created out of band (the deploy script checks them).
   * `external-secrets`: ExternalSecret objects map them from a secret manager.
   */
  secretsMode: oneOf(['external', 'external-secrets']),
  /** The (Cluster)SecretStore ExternalSecrets read from; required in `external-secrets` mode. */
  secretStore: section({
    kind: oneOf(['ClusterSecretStore', 'SecretStore']),
    name: dnsLabel,
    refreshInterval: duration,
    remoteKeyPrefix: text,
  }).optional(),
  /** Every credential of the platform, by id. Components refer to these ids. */
  credentials: z.record(dnsLabel, credentialRef, { error: 'a map of credential id to {secretName, key, purpose}' }),
  /** Lifetime of issued JWTs. */
  jwtExpiration: duration,
  /** Origins allowed by CORS. Never `*` in prod. */
  allowedOrigins: z.array(text, { error: 'a list of origins' }).min(1, { error: 'at least one origin' }),
  /** Request rate limits per client. */
  rateLimit: section({ requestsPerMinute: wholeNumber(1), requestsPerHour: wholeNumber(1) }),
});
export type SecuritySettings = z.infer<typeof securitySection>;

/** Application-wide settings rendered into the global config layer. */
export const appSection = section({
  /** Log level of every platform service. */
  logLevel: oneOf(['DEBUG', 'INFO', 'WARNING', 'ERROR']),
  /** Log format of every platform service. */
  logFormat: oneOf(['json', 'text']),
  /** How services connect to the database (its host, port and name come from the `database` section). */
  database: section({
    /** libpq sslmode. */
    sslMode: oneOf(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']),
  }),
  /** Redis logical database of the services. */
  redisDb: wholeNumber(0, 15),
  /** Health checks the services run against their dependencies. */
  healthCheck: section({ interval: duration, timeout: duration, retries: wholeNumber(0, 10) }),
  /** Public base URL of the product, for links in notifications. */
  publicUrl: text,
});
export type AppSettings = z.infer<typeof appSection>;
