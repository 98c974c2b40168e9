import { z } from 'zod';
import { flag, section } from '../fields';

/** A duration kubectl's `--timeout` accepts (Go syntax, whole units): `90s`, `5m`, `1h30m`. */
const kubectlDuration = z
  .string({ error: 'a duration such as "90s", "5m" or "1h30m"' })
  .regex(/^([0-9]+(h|m|s))+$/, { error: 'a duration such as "90s", "5m" or "1h30m" (hours, minutes and seconds only)' });

/** Where and how an environment is deployed. Read by `scripts/deploy.sh` (through `build/describe.js`). */
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
   * Let the deploy script create missing out-of-band Secrets from environment variables named after
   * the credential ids (`openai-api-key` → `OPENAI_API_KEY`) or the git-ignored `.env` file. Only for
   * throwaway environments: refused in production, where confirmation is required, and in
   * `external-secrets` mode.
   */
  createMissingSecrets: flag,
});
