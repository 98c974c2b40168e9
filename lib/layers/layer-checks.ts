import type { CrossCheck } from '../platform/component-descriptor';
import type { LayerSettings } from './layer-data';

/** `security.allowedOrigins` may not hold `*` in a production-tier environment. */
const noWildcardCorsInProduction: CrossCheck<LayerSettings> = (settings) =>
  settings.platform.production
    ? settings.security.allowedOrigins
        .map((origin, i) => ({ origin, i }))
        .filter(({ origin }) => origin.includes('*'))
        .map(({ origin, i }) => ({
          path: ['security', 'allowedOrigins', i],
          expected: 'an explicit origin such as "https://app.suoke.life" (no wildcard CORS in production)',
          found: JSON.stringify(origin),
        }))
    : [];

/** `external-secrets` mode needs the store the ExternalSecrets read from. */
const secretStoreInExternalSecretsMode: CrossCheck<LayerSettings> = (settings) =>
  settings.security.secretsMode === 'external-secrets' && !settings.security.secretStore
    ? [
        {
          path: ['security', 'secretStore'],
          expected: 'a secretStore {kind, name, refreshInterval, remoteKeyPrefix} in external-secrets mode',
          found: 'nothing (the field is missing)',
        },
      ]
    : [];

/** Config-layer rules. */
export const layerChecks: readonly CrossCheck<LayerSettings>[] = [noWildcardCorsInProduction, secretStoreInExternalSecretsMode];
