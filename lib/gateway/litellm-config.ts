import * as yaml from 'js-yaml';
import { secondsOf } from '../config/fields';
import type { GatewaySettings, ModelGroup } from './config';
import type { AgentModelGroup } from './agent-model-groups';
import { fromEnv, LITELLM_ENV } from './litellm-keys';
import { credentialEnvVar, deploymentId } from './model-groups';

/**
 * LiteLLM's config.yaml as plain data. Every key path is a fact of the pinned LiteLLM's contract
 * (contracts/litellm/<tag>.yaml, `configKeys`); test/gateway/litellm-config.test.ts holds it to that.
 */
export interface LiteLlmConfig {
  readonly model_list: readonly Record<string, unknown>[];
  readonly litellm_settings: Record<string, unknown>;
  readonly router_settings: Record<string, unknown>;
  readonly general_settings: Record<string, unknown>;
}

/** Drops undefined values, so optional settings leave no empty keys behind. */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

/** `{a: [b, c]}` maps as LiteLLM wants fallbacks: a list of one-key maps, in config order. */
function fallbackList(fallbacks: Readonly<Record<string, readonly string[]>>): Record<string, string[]>[] {
  return Object.entries(fallbacks).map(([group, to]) => ({ [group]: [...to] }));
}

/** The model_list entries of one model group: one per deployment, with a stable id. */
function modelListEntries(
  name: string,
  group: ModelGroup,
  budget?: { maxBudget: number; budgetDuration: string },
): Record<string, unknown>[] {
  return group.deployments.map((d, i) => ({
    model_name: name,
    litellm_params: defined({
      model: d.model,
      api_key: fromEnv(credentialEnvVar(d.apiKeyCredential)),
      api_base: d.apiBase,
      api_version: d.apiVersion,
      rpm: d.rpm,
      tpm: d.tpm,
      timeout: d.timeout === undefined ? undefined : secondsOf(d.timeout),
      weight: d.weight,
      temperature: group.temperature,
      max_tokens: group.maxTokens,
      // A deployment budget: the router skips this deployment once it spent max_budget within
      // budget_duration (counted by model_info.id).
      max_budget: budget?.maxBudget,
      budget_duration: budget?.budgetDuration,
    }),
    // A fixed id, so every replica names a deployment alike (cooldowns, usage and deployment
    // budgets are shared through Redis by this id, and it is the `model_id` label of the metrics).
    model_info: { id: deploymentId(name, i), mode: 'chat' },
  }));
}

/**
 * Renders LiteLLM's config.yaml from the gateway settings and the callers' model groups. Secrets
 * never appear: API keys, the master key, the database URL and the Redis password are
 * `os.environ/<VAR>` references that LiteLLM resolves from the pod's environment, which takes them
 * from Secrets.
 *
 * Each caller's group (`agent-<identity>`, see ./agent-model-groups.ts) repeats its base group's
 * deployments with its budget and has no fallbacks: a fallback would run the call on another
 * group's deployments, outside the caller's budget and under that group's name.
 */
export function renderLiteLlmConfig(gateway: GatewaySettings, agentGroups: readonly AgentModelGroup[]): LiteLlmConfig {
  const redis = {
    host: fromEnv(LITELLM_ENV.redisHost),
    port: fromEnv(LITELLM_ENV.redisPort),
    password: fromEnv(LITELLM_ENV.redisPassword),
  };
  const model_list = [
    ...Object.entries(gateway.modelGroups).flatMap(([group, settings]) => modelListEntries(group, settings)),
    ...agentGroups.flatMap((a) =>
      modelListEntries(a.identity.modelName, gateway.modelGroups[a.identity.baseGroup], {
        maxBudget: a.budgetPerDeployment,
        budgetDuration: a.budget.budgetDuration,
      }),
    ),
  ];
  const providerBudgets = Object.entries(gateway.budget.providerBudgets);
  return {
    model_list,
    litellm_settings: defined({
      callbacks: ['prometheus'],
      // Explicitly off (the default became "on" in ~v1.84): Prometheus scrapes without a key,
      // and the gateway's NetworkPolicy decides who can reach port 4000 at all.
      require_auth_for_metrics_endpoint: false,
      cache: gateway.cache.enabled,
      cache_params: gateway.cache.enabled
        ? {
            type: 'redis',
            ...redis,
            namespace: gateway.cache.namespace,
            ttl: secondsOf(gateway.cache.ttl),
            supported_call_types: ['acompletion', 'atext_completion', 'aembedding'],
          }
        : undefined,
      // Proxy-wide budget; LiteLLM keeps it as a database row, so it needs the spend store.
      max_budget: gateway.budget.maxBudget,
      budget_duration: gateway.budget.budgetDuration,
      request_timeout: secondsOf(gateway.requestTimeout),
    }),
    router_settings: defined({
      routing_strategy: gateway.routing.strategy,
      num_retries: gateway.routing.numRetries,
      timeout: secondsOf(gateway.routing.timeout),
      allowed_fails: gateway.routing.allowedFails,
      cooldown_time: secondsOf(gateway.routing.cooldown),
      enable_pre_call_checks: gateway.routing.preCallChecks,
      fallbacks: fallbackList(gateway.routing.fallbacks),
      context_window_fallbacks: fallbackList(gateway.routing.contextWindowFallbacks),
      // Shared router state: cooldowns, usage and rate limits counted across all replicas.
      ...(gateway.routing.sharedStateInRedis ? { redis_host: redis.host, redis_port: redis.port, redis_password: redis.password } : {}),
      provider_budget_config: providerBudgets.length
        ? Object.fromEntries(providerBudgets.map(([provider, b]) => [provider, { budget_limit: b.budgetLimit, time_period: b.timePeriod }]))
        : undefined,
    }),
    general_settings: {
      // Here, not under litellm_settings, where LiteLLM silently ignores it.
      master_key: fromEnv(LITELLM_ENV.masterKey),
      database_url: fromEnv(LITELLM_ENV.databaseUrl),
      database_connection_pool_limit: gateway.spendStore.connectionPoolLimit,
      proxy_batch_write_at: secondsOf(gateway.spendStore.batchWriteInterval),
      maximum_spend_logs_retention_period: gateway.spendStore.spendLogsRetention,
    },
  };
}

/** config.yaml text: sections in LiteLLM's documented order, keys as rendered, no anchors. */
export function litellmConfigYaml(config: LiteLlmConfig): string {
  return yaml.dump(
    {
      model_list: config.model_list,
      litellm_settings: config.litellm_settings,
      router_settings: config.router_settings,
      general_settings: config.general_settings,
    },
    { noRefs: true, lineWidth: -1, quotingType: '"' },
  );
}
