import { z } from 'zod';
import { dnsLabel, duration, oneOf, section, text, wholeNumber } from '../fields';

/** Where one credential lives: a Secret name and key. Never a value. */
export const credentialRef = section({
  /** Name of the Secret that holds it. */
  secretName: dnsLabel,
  /** Key inside that Secret. */
  key: z.string({ error: 'a Secret key' }).regex(/^[-._a-zA-Z0-9]+$/, { error: "a Secret key (letters, digits, '-', '_' and '.')" }),
  /** What it is for, for operators creating it. */
  purpose: text,
  /**
   * In `external-secrets` mode: the key in the secret manager.
   * @default `<secretStore.remoteKeyPrefix>/<secretName>`
   */
  remoteKey: text.optional(),
  /**
   * In `external-secrets` mode: the property inside the remote secret.
   * @default the Secret key
   */
  remoteProperty: text.optional(),
});
export type CredentialRef = z.infer<typeof credentialRef>;

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
