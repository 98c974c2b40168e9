import type { ConfigLayerName, LayerData } from '../platform/component-descriptor';
import { envVarName } from '../platform/env-var-name';
import type { PlatformSettings } from '../platform/platform-settings';
import type { AppSettings, SecuritySettings } from './config';

/** The three configuration layers. */
export type LayerName = ConfigLayerName;

/** Every layer, in the order they are rendered. */
export const LAYER_NAMES: readonly LayerName[] = ['global', 'agent', 'security'];

/** ConfigMap base name of each layer (the rendered name adds a content hash). */
export const LAYER_BASE_NAMES: Readonly<Record<LayerName, string>> = {
  global: 'global-config',
  agent: 'agent-config',
  security: 'security-config',
};

/** What the layers' own keys are rendered from. */
export type LayerSettings = PlatformSettings & { readonly app: AppSettings; readonly security: SecuritySettings };

/**
 * The keys of the global layer that belong to no component: app identity, logging, CORS, rate
 * limits and health-check timing. Key names follow the original system's `global-config`; the
 * components add their own (database and Redis connection, service discovery, agent defaults).
 */
export function ownGlobalLayer(s: LayerSettings, environment: string): Record<string, string> {
  return {
    APP_NAME: s.platform.name,
    APP_VERSION: s.platform.version,
    APP_ENVIRONMENT: environment,
    APP_PUBLIC_URL: s.app.publicUrl,
    LOG_LEVEL: s.app.logLevel,
    LOG_FORMAT: s.app.logFormat,
    CORS_ALLOWED_ORIGINS: s.security.allowedOrigins.join(','),
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(s.security.rateLimit.requestsPerMinute),
    HEALTH_CHECK_INTERVAL: s.app.healthCheck.interval,
    HEALTH_CHECK_TIMEOUT: s.app.healthCheck.timeout,
    HEALTH_CHECK_RETRIES: String(s.app.healthCheck.retries),
  };
}

/**
 * The security layer: which Secret and key hold each credential (names only, never values), the
 * secrets mode, JWT lifetime, allowed origins and rate limits.
 */
export function renderSecurityLayer(security: SecuritySettings): Record<string, string> {
  const data: Record<string, string> = {
    SECRETS_MODE: security.secretsMode,
    JWT_EXPIRATION: security.jwtExpiration,
    CORS_ALLOWED_ORIGINS: security.allowedOrigins.join(','),
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(security.rateLimit.requestsPerMinute),
    RATE_LIMIT_REQUESTS_PER_HOUR: String(security.rateLimit.requestsPerHour),
  };
  for (const [id, ref] of Object.entries(security.credentials)) {
    data[`CREDENTIAL_${envVarName(id)}_SECRET`] = ref.secretName;
    data[`CREDENTIAL_${envVarName(id)}_KEY`] = ref.key;
  }
  return data;
}

/** The layers' own keys (the rest come from the components that own them). */
export function ownLayerData(s: LayerSettings, environment: string): LayerData {
  return { global: ownGlobalLayer(s, environment), security: renderSecurityLayer(s.security) };
}
