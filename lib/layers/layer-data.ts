import { agentFrameworkLayer } from '../agents/agent-layer-data';
import { workflowEndpoint } from '../agents/endpoint';
import { REDIS_ENDPOINT } from '../cache/endpoint';
import type { EnvironmentConfig, EnvironmentSettings } from '../config/schema';
import { POSTGRES_ENDPOINT } from '../database/endpoint';
import { GATEWAY_ENDPOINT } from '../gateway/endpoint';
import { ALERTMANAGER_ENDPOINT, GRAFANA_ENDPOINT, PROMETHEUS_ENDPOINT } from '../monitoring/endpoints';
import { envVarName } from '../platform/env-var-name';
import { endpointUrl } from '../platform/service-endpoint';

/** The three configuration layers. */
export type LayerName = 'global' | 'agent' | 'security';

/** Every layer, in the order they are rendered. */
export const LAYER_NAMES: readonly LayerName[] = ['global', 'agent', 'security'];

/** ConfigMap base name of each layer (the rendered name adds a content hash). */
export const LAYER_BASE_NAMES: Readonly<Record<LayerName, string>> = {
  global: 'global-config',
  agent: 'agent-config',
  security: 'security-config',
};

/** Host, port and name of the database the services connect to: in-cluster or managed. */
export function databaseAddress(settings: EnvironmentSettings): { host: string; port: number; name: string } {
  const db = settings.database;
  return db.mode === 'external'
    ? { host: db.external.host, port: db.external.port, name: db.external.database }
    : { host: POSTGRES_ENDPOINT.serviceName, port: POSTGRES_ENDPOINT.port, name: db.inCluster.database };
}

/**
 * The global layer: app identity, logging, database and Redis connection, service discovery
 * (every URL derived from the component that owns the Service), agent defaults, CORS and rate
 * limits. Key names follow the original system's `global-config`.
 */
export function renderGlobalLayer(environment: EnvironmentConfig): Record<string, string> {
  const s = environment.settings;
  const database = databaseAddress(s);
  const enabledAgents = Object.entries(s.agents.members).filter(([, a]) => a.enabled);
  return {
    APP_NAME: s.platform.name,
    APP_VERSION: s.platform.version,
    APP_ENVIRONMENT: environment.name,
    APP_PUBLIC_URL: s.app.publicUrl,
    LOG_LEVEL: s.app.logLevel,
    LOG_FORMAT: s.app.logFormat,
    DATABASE_HOST: database.host,
    DATABASE_PORT: String(database.port),
    DATABASE_NAME: database.name,
    DATABASE_SSL_MODE: s.app.database.sslMode,
    REDIS_HOST: REDIS_ENDPOINT.serviceName,
    REDIS_PORT: String(REDIS_ENDPOINT.port),
    REDIS_DB: String(s.app.redisDb),
    REDIS_URL: `${endpointUrl(REDIS_ENDPOINT)}/${s.app.redisDb}`,
    LITELLM_GATEWAY_URL: endpointUrl(GATEWAY_ENDPOINT),
    PROMETHEUS_URL: endpointUrl(PROMETHEUS_ENDPOINT),
    ALERTMANAGER_URL: endpointUrl(ALERTMANAGER_ENDPOINT),
    GRAFANA_URL: endpointUrl(GRAFANA_ENDPOINT),
    ...workflowUrls(s),
    AGENT_COLLABORATION_ENABLED: String(s.agents.collaboration.enabled),
    AGENT_IDS: enabledAgents.map(([id]) => id).join(','),
    CORS_ALLOWED_ORIGINS: s.security.allowedOrigins.join(','),
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(s.security.rateLimit.requestsPerMinute),
    HEALTH_CHECK_INTERVAL: s.app.healthCheck.interval,
    HEALTH_CHECK_TIMEOUT: s.app.healthCheck.timeout,
    HEALTH_CHECK_RETRIES: String(s.app.healthCheck.retries),
  };
}

/**
 * Service discovery of the agent workflows: `WORKFLOW_<ID>_URL` for each, the Service of its
 * runtime (each workflow is served by its own PraisonAI process; clients POST /agents there).
 */
function workflowUrls(s: EnvironmentSettings): Record<string, string> {
  return Object.fromEntries(
    Object.keys(s.agents.workflows)
      .sort()
      .map((id) => [`WORKFLOW_${envVarName(id)}_URL`, endpointUrl(workflowEndpoint(id, s.agents.runtime.port))]),
  );
}

/**
 * The agent layer: for each agent its gateway model group, timeout, retries, speciality and
 * whether it is enabled (`XIAOAI_MODEL`, …), and the collaboration settings.
 */
export function renderAgentLayer(environment: EnvironmentConfig): Record<string, string> {
  const s = environment.settings;
  const data: Record<string, string> = {};
  for (const [id, agent] of Object.entries(s.agents.members)) {
    const p = envVarName(id);
    data[`${p}_NAME`] = agent.chineseName;
    data[`${p}_MODEL`] = agent.modelGroup;
    data[`${p}_TIMEOUT`] = agent.timeout;
    data[`${p}_MAX_RETRIES`] = String(agent.retries);
    data[`${p}_SPECIALITY`] = agent.speciality;
    data[`${p}_ENABLED`] = String(agent.enabled);
  }
  const c = s.agents.collaboration;
  data.COLLABORATION_MODE = c.mode;
  data.COLLABORATION_TIMEOUT = c.timeout;
  data.KNOWLEDGE_SHARING_ENABLED = String(c.knowledgeSharing);
  data.RESULT_SYNTHESIS_ENABLED = String(c.resultSynthesis);
  return { ...data, ...agentFrameworkLayer(s) };
}

/**
 * The security layer: which Secret and key hold each credential (names only, never values), the
 * secrets mode, JWT lifetime, allowed origins and rate limits.
 */
export function renderSecurityLayer(environment: EnvironmentConfig): Record<string, string> {
  const s = environment.settings.security;
  const data: Record<string, string> = {
    SECRETS_MODE: s.secretsMode,
    JWT_EXPIRATION: s.jwtExpiration,
    CORS_ALLOWED_ORIGINS: s.allowedOrigins.join(','),
    RATE_LIMIT_REQUESTS_PER_MINUTE: String(s.rateLimit.requestsPerMinute),
    RATE_LIMIT_REQUESTS_PER_HOUR: String(s.rateLimit.requestsPerHour),
  };
  for (const [id, ref] of Object.entries(s.credentials)) {
    data[`CREDENTIAL_${envVarName(id)}_SECRET`] = ref.secretName;
    data[`CREDENTIAL_${envVarName(id)}_KEY`] = ref.key;
  }
  return data;
}

/** The data of each layer of an environment. */
export function renderLayers(environment: EnvironmentConfig): Record<LayerName, Record<string, string>> {
  return {
    global: renderGlobalLayer(environment),
    agent: renderAgentLayer(environment),
    security: renderSecurityLayer(environment),
  };
}
