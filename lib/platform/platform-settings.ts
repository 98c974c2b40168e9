import { z } from 'zod';
import { dnsLabel, durationField, flag, oneOf, section, text } from '../config/fields';
import { component, type CrossCheck } from './component-descriptor';

/** Identity of the product, stamped into labels and the global config layer. */
export const platformSection = section({
  /** Product name; the value of `app.kubernetes.io/part-of`. */
  name: z.literal('suoke-life', { error: 'the product name "suoke-life"' }),
  /** Product release, used as `app.kubernetes.io/version` on platform-level objects. */
  version: text,
  /** A production-tier environment: stricter rules apply (no wildcard CORS, and more). */
  production: flag,
});
export type ProductSettings = z.infer<typeof platformSection>;

/**
 * The units of our duration syntax that kubectl's `--timeout` accepts: it parses with Go's
 * time.ParseDuration, which knows no days (contracts/kubernetes/1.30.yaml, `kubectlFlags`).
 */
export const KUBECTL_DURATION_UNITS = ['h', 'm', 's'] as const;

/** A duration kubectl's `--timeout` accepts: `90s`, `5m`, `1h30m`; at least 1s, since 0 means never. */
export const kubectlDuration = durationField({
  units: KUBECTL_DURATION_UNITS,
  min: '1s',
  reason: "kubectl's --timeout takes no d, w or y",
});

/** Where and how an environment is deployed. Read by `npm run deploy` (lib/deploy/). */
export const deploySection = section({
  /** The kubectl context that must be current; the deploy script refuses any other. */
  kubeContext: z.string({ error: 'a kubectl context name' }).min(1, { error: 'a kubectl context name' }),
  /**
   * Ask the operator to type the environment name (or pass `--yes`) before applying.
   * Must be true when `platform.production` is (a cross-check refuses false).
   */
  requireConfirmation: flag,
  /** How long the deploy script waits for each rollout; `--timeout` overrides it. */
  rolloutTimeout: kubectlDuration,
  /**
   * Let the deploy create wholly missing out-of-band Secrets: internal credentials (those with
   * `generate`) get random values, the others are read from environment variables named after the
   * credential ids (`openai-api-key` → `SUOKE_OPENAI_API_KEY`) or the git-ignored `.env` file. An
   * existing Secret is never touched. Only for throwaway environments: refused in production, where
   * confirmation is required, and in `external-secrets` mode.
   */
  createMissingSecrets: flag,
});
export type DeploySettings = z.infer<typeof deploySection>;

/**
 * How the deploy generates an internal credential (one only the platform's own services use) when
 * its Secret is absent: `token`, 64 random hex digits; `sk-token`, the same after `sk-` (LiteLLM
 * keys); `user-name`, `admin-` and 8 random hex digits.
 */
export const generatedCredential = oneOf(['token', 'sk-token', 'user-name']);
export type GeneratedCredential = z.infer<typeof generatedCredential>;

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
  /**
   * An internal credential the deploy may generate where `deploy.createMissingSecrets` is true, when
   * its Secret is absent (never overwriting one). Provider keys and alert receivers' URLs are not.
   * @default - not generated: the operator provides it
   */
  generate: generatedCredential.optional(),
});
export type CredentialRef = z.infer<typeof credentialRef>;

/**
 * What every chart and building block reads of any environment: the product identity, the
 * namespace, and where credentials live. Every component's settings include it.
 */
export interface PlatformSettings {
  readonly platform: ProductSettings;
  readonly namespace: { readonly name: string };
  readonly security: { readonly credentials: Readonly<Record<string, CredentialRef>> };
}

/** What the deploy rules read. */
type DeployReads = PlatformSettings & { readonly deploy: DeploySettings; readonly security: { readonly secretsMode: string } };

/** A production-tier environment always asks before it is deployed to. */
const confirmationInProduction: CrossCheck<DeployReads> = (settings) =>
  settings.platform.production && !settings.deploy.requireConfirmation
    ? [
        {
          path: ['deploy', 'requireConfirmation'],
          expected: 'true in a production-tier environment (platform.production is true)',
          found: 'false',
        },
      ]
    : [];

/**
 * Creating Secrets from a developer's environment variables is for throwaway environments only:
 * never where the operator must confirm, never in production, and never when a secret manager owns them.
 */
const createMissingSecretsOnlyInThrowawayEnvironments: CrossCheck<DeployReads> = (settings) => {
  if (!settings.deploy.createMissingSecrets) return [];
  const reasons = [
    settings.platform.production ? 'platform.production is true' : '',
    settings.deploy.requireConfirmation ? 'deploy.requireConfirmation is true' : '',
    settings.security.secretsMode !== 'external' ? `security.secretsMode is ${settings.security.secretsMode}` : '',
  ].filter(Boolean);
  return reasons.length > 0
    ? [
        {
          path: ['deploy', 'createMissingSecrets'],
          expected: `false here (${reasons.join(', ')}); only throwaway environments may create Secrets from environment variables`,
          found: 'true',
        },
      ]
    : [];
};

/**
 * The platform's own settings: what product and release an environment is, and how it is deployed.
 * Not a component (it builds nothing): the registry puts its sections first in every environment
 * schema, and runs its rules before the components'.
 */
export const PLATFORM_SETTINGS = component<DeployReads>()({
  id: 'platform',
  title: 'Platform',
  config: { platform: platformSection, deploy: deploySection },
  ownFields: [
    {
      path: ['deploy', 'kubeContext'],
      why: 'each environment deploys to a cluster of its own; an inherited context is the one of another',
    },
  ],
  checks: [confirmationInProduction, createMissingSecretsOnlyInThrowawayEnvironments],
});
