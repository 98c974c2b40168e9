import { z } from 'zod';
import { dnsLabel, durationField, flag, imageConfig, resourcesConfig, section, text, wholeNumber } from '../config/fields';

/**
 * A duration as LiteLLM parses budget periods: one number and one unit (`30s`, `1h`, `30d`, `1mo`); the
 * units LiteLLM knows are checked against its contract (litellm-version-checks.ts).
 */
export const litellmDuration = durationField({
  singleUnit: true,
  units: ['s', 'm', 'h', 'd', 'w', 'mo'],
  min: '1s',
  reason: 'LiteLLM parses one unit; mo is a calendar month',
});

/** A duration LiteLLM reads as a number of seconds (rendered with `secondsOf`): whole seconds, at least `min`. */
function litellmSeconds(min: string) {
  return durationField({ units: ['s', 'm', 'h', 'd'], min, reason: 'LiteLLM reads whole seconds' });
}

/** An amount of US dollars. */
const usd = z.number({ error: 'an amount in USD, such as 100' }).positive({ error: 'an amount in USD greater than 0' });

/** A LiteLLM provider id, the part before `/` in a model (`openai`, `anthropic`, `gemini`, …). */
const providerId = z.string({ error: 'a LiteLLM provider id' }).regex(/^[a-z0-9][a-z0-9_-]*$/, {
  error: 'a LiteLLM provider id such as "openai", "anthropic" or "gemini"',
});

/** A model group name: the `model_name` alias clients ask for. */
export const modelGroupName = z.string({ error: 'a model group name' }).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, {
  error: 'a model group name such as "gpt-4o" (letters, digits, ".", "_", ":" and "-")',
});

/** One deployment of a model group: a concrete provider model the router may send a call to. */
export const modelDeployment = section({
  /**
   * Provider-prefixed model, e.g. `openai/gpt-4o`, `anthropic/claude-sonnet-4-20250514`,
   * `gemini/gemini-2.5-pro`. Any LiteLLM provider prefix is allowed; an OpenAI-compatible endpoint
   * is `openai/<model>` with `apiBase`.
   */
  model: z.string({ error: 'a provider-prefixed model such as "openai/gpt-4o"' }).regex(/^[a-z0-9][a-z0-9_-]*\/\S+$/, {
    error: 'a provider-prefixed model such as "openai/gpt-4o" or "gemini/gemini-2.5-pro"',
  }),
  /** Id (in `security.credentials`) of the Secret key holding this deployment's API key. */
  apiKeyCredential: dnsLabel,
  /** Base URL of an OpenAI-compatible or self-hosted endpoint. */
  apiBase: z
    .string({ error: 'a URL' })
    .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, { error: 'an http(s) URL such as "https://api.deepseek.com/v1"' })
    .optional(),
  /** API version (Azure OpenAI only). */
  apiVersion: text.optional(),
  /** Requests per minute this deployment accepts; the router balances and cools down on it. */
  rpm: wholeNumber(1).optional(),
  /** Tokens per minute this deployment accepts. */
  tpm: wholeNumber(1).optional(),
  /** How long a call to this deployment may take (`litellm_params.timeout`, in seconds). */
  timeout: litellmSeconds('1s').optional(),
  /** Weight for the weighted shuffle (`simple-shuffle`). */
  weight: wholeNumber(1).optional(),
});
export type ModelDeployment = z.infer<typeof modelDeployment>;

/** A model group: one public alias, load-balanced over its deployments. */
export const modelGroup = section({
  /** Default sampling temperature of calls to this group (a request may override it). */
  temperature: z
    .number({ error: 'a temperature between 0 and 2' })
    .min(0, { error: 'a temperature between 0 and 2' })
    .max(2, { error: 'a temperature between 0 and 2' }),
  /** Default `max_tokens` of calls to this group (a request may override it). */
  maxTokens: wholeNumber(1),
  /** The deployments the router balances over. */
  deployments: z.array(modelDeployment, { error: 'a list of deployments' }).min(1, { error: 'at least one deployment' }),
});
export type ModelGroup = z.infer<typeof modelGroup>;

/** A budget: how much in USD per period. */
export const budgetConfig = section({
  /** Most that may be spent per `budgetDuration`, in USD. */
  maxBudget: usd,
  /** Budget period; the spend resets after it. */
  budgetDuration: litellmDuration,
});
export type BudgetConfig = z.infer<typeof budgetConfig>;

/** A workflow's virtual key: its budget and limits. */
export const workflowKeyConfig = section({
  /** Most the workflow may spend per `budgetDuration`, in USD (LiteLLM enforces it against the spend database). */
  maxBudget: usd,
  /** Budget period; the spend resets after it. */
  budgetDuration: litellmDuration,
  /** Requests per minute the key may make. */
  rpmLimit: wholeNumber(1).optional(),
  /** Tokens per minute the key may use. */
  tpmLimit: wholeNumber(1).optional(),
});
export type WorkflowKeyConfig = z.infer<typeof workflowKeyConfig>;

/** The LiteLLM gateway: proxy, model groups, routing, cache, budgets and per-workflow keys. */
export const gatewaySection = section({
  /** LiteLLM image (`ghcr.io/berriai/litellm-non_root`), pinned. */
  image: imageConfig,
  /** Resources of the proxy container (also used by its migration init step). */
  resources: resourcesConfig,
  /** Pods when no autoscaler is configured. */
  replicas: wholeNumber(1),
  /** CPU autoscaling; when set, the autoscaler owns the replica count. */
  autoscaling: section({
    minReplicas: wholeNumber(1),
    maxReplicas: wholeNumber(1),
    /** Average CPU utilisation (percent of requests) the autoscaler aims for. */
    targetCpuUtilization: wholeNumber(10, 100),
  }).optional(),
  /** Uvicorn workers per pod. Keep 1 and scale with pods: each worker runs every background job. */
  numWorkers: wholeNumber(1, 16),
  /**
   * Directory for Prometheus multiprocess metrics (`PROMETHEUS_MULTIPROC_DIR`), needed when
   * `numWorkers` > 1; an emptyDir is mounted there.
   */
  metricsMultiprocessDir: z
    .string({ error: 'an absolute path' })
    .regex(/^\/[A-Za-z0-9._/-]+$/, { error: 'an absolute path such as "/var/run/litellm-metrics"' })
    .optional(),
  /** Id (in `security.credentials`) of the master key. Never a literal key. */
  masterKeyCredential: text,
  /** Id (in `security.credentials`) of the salt key encrypting stored credentials. */
  saltKeyCredential: dnsLabel,
  /** How long a whole request may take by default (`litellm_settings.request_timeout`, in seconds). */
  requestTimeout: litellmSeconds('1s'),
  /** Model groups by name (the `model_name` alias clients ask for). */
  modelGroups: z.record(modelGroupName, modelGroup, { error: 'a map of model group name to {temperature, maxTokens, deployments}' }),
  /** How the router picks a deployment and recovers from failures. */
  routing: section({
    /** Routing strategy; one the pinned LiteLLM knows (checked against its contract). */
    strategy: text,
    /** Retries of a failed call (on the same group). */
    numRetries: wholeNumber(0, 10),
    /** How long a call may take before it is retried or falls back (`router_settings.timeout`, in seconds). */
    timeout: litellmSeconds('1s'),
    /** Failures per minute before a deployment is cooled down. */
    allowedFails: wholeNumber(0),
    /** How long a failing deployment is taken out of rotation (`router_settings.cooldown_time`, in seconds). */
    cooldown: litellmSeconds('0s'),
    /** Check context window and limits before calling (needed for context-window fallbacks). */
    preCallChecks: flag,
    /** Groups to try, in order, when a group fails. */
    fallbacks: z.record(modelGroupName, z.array(modelGroupName).min(1, { error: 'at least one fallback group' }), {
      error: 'a map of group to fallback groups',
    }),
    /** Groups to try when a prompt exceeds a group's context window. */
    contextWindowFallbacks: z.record(modelGroupName, z.array(modelGroupName).min(1, { error: 'at least one fallback group' }), {
      error: 'a map of group to fallback groups',
    }),
    /**
     * Keep router state (cooldowns, usage, rate limits) in Redis, so every replica shares it.
     * Required with more than one replica.
     */
    sharedStateInRedis: flag,
  }),
  /** Response cache in Redis. */
  cache: section({
    /** Whether responses are cached. */
    enabled: flag,
    /** How long a cached response lives (`cache_params.ttl`, in seconds). */
    ttl: litellmSeconds('1s'),
    /** Key prefix of cache entries in the shared Redis. */
    namespace: z.string({ error: 'a key prefix' }).regex(/^[a-z][a-z0-9_.:-]*$/, { error: 'a key prefix such as "litellm"' }),
  }),
  /** Spend limits. Enforced against spend in the database. */
  budget: section({
    /** Proxy-wide budget in USD per `budgetDuration`. */
    maxBudget: usd,
    /** Period of the proxy-wide budget. */
    budgetDuration: litellmDuration,
    /** Per-provider budgets (`router_settings.provider_budget_config`), by provider id. */
    providerBudgets: z.record(providerId, section({ budgetLimit: usd, timePeriod: litellmDuration }), {
      error: 'a map of provider id to {budgetLimit, timePeriod}',
    }),
  }),
  /** Spend store tuning (`general_settings`). */
  spendStore: section({
    /** Database connections per worker. */
    connectionPoolLimit: wholeNumber(1, 100),
    /** Time between batched spend writes (`general_settings.proxy_batch_write_at`, in seconds). */
    batchWriteInterval: litellmSeconds('1s'),
    /** How long per-request spend logs are kept. */
    spendLogsRetention: litellmDuration,
  }),
  /**
   * One virtual key per workflow, by workflow id: its budget and limits. PraisonAI sends one key per
   * process and each workflow is one process, so the key's alias (the workflow id) is the
   * `api_key_alias` of every call the workflow makes. The value lives in the Secret of credential
   * `workflow-<id>-gateway-key`.
   */
  workflowKeys: z.record(
    z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'a snake_case workflow id such as "health_consultation"' }),
    workflowKeyConfig,
    {
      error: 'a map of workflow id to {maxBudget, budgetDuration}',
    },
  ),
  /**
   * Per-caller budgets, by identity: each agent id, `quality-reviewer` and `manager-<workflow>`
   * for each hierarchical workflow (`_` as `-`). Each caller calls the gateway under its own model
   * name `agent-<identity>`, whose deployments carry this budget (LiteLLM's deployment budgets,
   * split evenly over the base group's deployments); an exhausted caller's calls are refused until
   * the period ends. The spend counter lives in Redis (see README, "Per-agent attribution").
   */
  agentBudgets: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{0,55}$/, { error: 'an agent id, "quality-reviewer" or "manager-<workflow>"' }),
    budgetConfig,
    {
      error: 'a map of agent identity to {maxBudget, budgetDuration}',
    },
  ),
  /** Resources of the small Python helpers (database wait, UI copy, workflow key registration). */
  helperResources: resourcesConfig,
  /** How long the workflow key registration job waits for the gateway to become ready. */
  keyBootstrapWait: durationField({ units: ['s', 'm', 'h'], min: '10s', reason: 'the job reads whole seconds' }),
  /** How long the migration step waits for the database before it fails. */
  databaseWait: durationField({ units: ['s', 'm', 'h'], min: '10s', reason: 'the wait script reads whole seconds' }),
  /** Who may reach the gateway besides agents and Prometheus, and where it may call out. */
  network: section({
    /** Namespace of an ingress controller allowed to reach the gateway. */
    ingressControllerNamespace: dnsLabel.optional(),
    /** Addresses of the model providers (HTTPS). */
    providerEgress: section({
      cidr: z.string({ error: 'a CIDR' }).regex(/^[0-9.]+\/[0-9]{1,2}$/, { error: 'an IPv4 CIDR such as "0.0.0.0/0"' }),
      except: z.array(z.string().regex(/^[0-9.]+\/[0-9]{1,2}$/, { error: 'an IPv4 CIDR' })),
    }),
  }),
});
export type GatewaySettings = z.infer<typeof gatewaySection>;
