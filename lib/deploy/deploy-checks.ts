import type { CrossCheck } from '../config/cross-checks';

/** A production-tier environment always asks before it is deployed to. */
const confirmationInProduction: CrossCheck = (settings) =>
  settings.platform.production && !settings.deploy.requireConfirmation
    ? [{ path: ['deploy', 'requireConfirmation'], expected: 'true in a production-tier environment (platform.production is true)', found: 'false' }]
    : [];

/**
 * Creating Secrets from a developer's environment variables is for throwaway environments only:
 * never where the operator must confirm, never in production, and never when a secret manager owns them.
 */
const createMissingSecretsOnlyInThrowawayEnvironments: CrossCheck = (settings) => {
  if (!settings.deploy.createMissingSecrets) return [];
  const reasons = [
    settings.platform.production ? 'platform.production is true' : '',
    settings.deploy.requireConfirmation ? 'deploy.requireConfirmation is true' : '',
    settings.security.secretsMode !== 'external' ? `security.secretsMode is ${settings.security.secretsMode}` : '',
  ].filter(Boolean);
  return reasons.length > 0
    ? [{ path: ['deploy', 'createMissingSecrets'], expected: `false here (${reasons.join(', ')}); only throwaway environments may create Secrets from environment variables`, found: 'true' }]
    : [];
};

/** Deploy rules. */
export const deployChecks: readonly CrossCheck[] = [confirmationInProduction, createMissingSecretsOnlyInThrowawayEnvironments];
