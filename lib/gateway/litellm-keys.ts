/**
 * Every config.yaml key this project renders for LiteLLM, by the section LiteLLM reads it from.
 * LiteLLM does not reject unknown keys (`litellm_settings` keys are set as attributes of the
 * `litellm` module, so a typo or a key in the wrong section is silently ignored), so the renderer
 * is tested against this list instead. Each key was checked against LiteLLM's config reference
 * (docs/proxy/config_settings.md) and the classes in litellm/proxy/_types.py and
 * litellm/types/router.py (see ../shared/reference/litellm.md). Add a key here only after
 * checking it for the pinned image version.
 */
export const LITELLM_CONFIG_KEYS = {
  /** Top-level sections of config.yaml (`ConfigYAML`). */
  top: ['model_list', 'litellm_settings', 'router_settings', 'general_settings'],
  /** One `model_list` entry (`ModelParams`). */
  model: ['model_name', 'litellm_params', 'model_info'],
  /**
   * `litellm_params` of a deployment (`LiteLLM_Params` / `GenericLiteLLMParams`). `temperature`
   * and `max_tokens` are not router settings: every extra litellm_param is passed to the
   * provider call, where the request's own value wins, so they act as the group's defaults.
   * `max_budget` and `budget_duration` are a deployment's budget (GenericLiteLLMParams,
   * litellm/types/router.py:192-193 at v1.81.0-stable), read by the router's budget limiter
   * (litellm/router_strategy/budget_limiter.py:762-795) and never sent to the provider
   * (all_litellm_params, litellm/types/utils.py:2901-2902).
   */
  litellm_params: ['model', 'api_key', 'api_base', 'api_version', 'rpm', 'tpm', 'timeout', 'weight', 'temperature', 'max_tokens', 'max_budget', 'budget_duration'],
  /** `model_info` of a deployment (`ModelInfo`). */
  model_info: ['id', 'mode'],
  /** `litellm_settings` (read as attributes of the `litellm` module). */
  litellm_settings: ['callbacks', 'require_auth_for_metrics_endpoint', 'cache', 'cache_params', 'max_budget', 'budget_duration', 'request_timeout'],
  /** `litellm_settings.cache_params` (the Cache constructor). */
  cache_params: ['type', 'host', 'port', 'password', 'namespace', 'ttl', 'supported_call_types'],
  /** `router_settings` (`UpdateRouterConfig` and the Router constructor). */
  router_settings: [
    'routing_strategy',
    'num_retries',
    'timeout',
    'allowed_fails',
    'cooldown_time',
    'enable_pre_call_checks',
    'fallbacks',
    'context_window_fallbacks',
    'redis_host',
    'redis_port',
    'redis_password',
    'provider_budget_config',
  ],
  /** An entry of `router_settings.provider_budget_config`. */
  provider_budget: ['budget_limit', 'time_period'],
  /** `general_settings` (`ConfigGeneralSettings`). */
  general_settings: ['master_key', 'database_url', 'database_connection_pool_limit', 'proxy_batch_write_at', 'maximum_spend_logs_retention_period'],
} as const;

/** A section of config.yaml whose keys are declared above. */
export type LiteLlmConfigSection = keyof typeof LITELLM_CONFIG_KEYS;

/** Environment variables the rendered config refers to through `os.environ/<NAME>`. */
export const LITELLM_ENV = {
  masterKey: 'LITELLM_MASTER_KEY',
  saltKey: 'LITELLM_SALT_KEY',
  databaseUrl: 'DATABASE_URL',
  redisHost: 'REDIS_HOST',
  redisPort: 'REDIS_PORT',
  redisPassword: 'REDIS_PASSWORD',
} as const;

/** How config.yaml refers to an environment variable; LiteLLM resolves it at load time. */
export function fromEnv(name: string): string {
  return `os.environ/${name}`;
}
