import { loadEnvironment } from '../../lib/registry';
import type { GatewaySettings } from '../../lib/gateway/config';
import { gatewayClients } from '../../lib/agents';
import { agentModelGroups, budgetShare } from '../../lib/gateway/agent-model-groups';
import { litellmConfigYaml, renderLiteLlmConfig } from '../../lib/gateway/litellm-config';
import { ContractSet } from '../../lib/contracts/contract';
import { unknownKeyPaths } from '../../lib/contracts/key-patterns';
import { gatewayModelGroups, providerEgressPorts, workflowGatewayKeyCredential } from '../../lib/gateway/model-groups';
import * as yaml from 'js-yaml';
import { CONFIG_DIR, ENVIRONMENTS } from '../support/environments';

const gatewayOf = (env: string) => loadEnvironment(CONFIG_DIR, env).settings.gateway;
/** The config.yaml of an environment as the gateway renders it: configured groups plus the callers' groups. */
const configOf = (env: string) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  return renderLiteLlmConfig(settings.gateway, agentModelGroups(settings.gateway, gatewayClients(settings).callers));
};

const contract = ContractSet.load().require('litellm', 'main-v1.81.0-stable');

/** Every key path of the rendered config that the pinned LiteLLM does not read where it sits. */
const undeclaredKeys = (config: unknown) => unknownKeyPaths(config, contract.keyPatterns('configKeys'));

describe.each(ENVIRONMENTS)('LiteLLM config.yaml of %s', (env) => {
  const config = yaml.load(litellmConfigYaml(configOf(env))) as any;

  test('every key is one the pinned LiteLLM reads, in the section where it reads it (its contract)', () => {
    expect(undeclaredKeys(config)).toEqual([]);
  });

  test('master_key and database_url sit in general_settings, from the environment', () => {
    expect(config.general_settings).toMatchObject({ master_key: 'os.environ/LITELLM_MASTER_KEY', database_url: 'os.environ/DATABASE_URL' });
    expect(config.litellm_settings.master_key).toBeUndefined();
  });

  test('fallbacks and context-window fallbacks name existing model groups', () => {
    const groups = new Set(config.model_list.map((m: any) => m.model_name));
    const named = [...config.router_settings.fallbacks, ...config.router_settings.context_window_fallbacks].flatMap((f: any) =>
      Object.entries(f).flatMap(([k, v]) => [k, ...(v as string[])]),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((g) => !groups.has(g))).toEqual([]);
  });

  test('API keys are only os.environ references; model ids are stable', () => {
    for (const m of config.model_list) expect(m.litellm_params.api_key).toMatch(/^os\.environ\/[A-Z0-9_]+$/);
    const ids = config.model_list.map((m: any) => m.model_info.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('Redis cache and shared router state come from the environment; metrics are on and scrapable', () => {
    expect(config.litellm_settings).toMatchObject({ cache: true, callbacks: ['prometheus'], require_auth_for_metrics_endpoint: false });
    expect(config.litellm_settings.cache_params).toMatchObject({
      type: 'redis',
      host: 'os.environ/REDIS_HOST',
      port: 'os.environ/REDIS_PORT',
      password: 'os.environ/REDIS_PASSWORD',
      ttl: 3600,
    });
    expect(config.router_settings).toMatchObject({ redis_host: 'os.environ/REDIS_HOST', redis_password: 'os.environ/REDIS_PASSWORD' });
  });
});

test('OpenAI, Anthropic and Google groups exist, plus an OpenAI-compatible endpoint with api_base', () => {
  const config = configOf('dev');
  const models = config.model_list.map((m: any) => m.litellm_params.model);
  expect(models).toEqual(
    expect.arrayContaining([expect.stringMatching(/^openai\//), expect.stringMatching(/^anthropic\//), expect.stringMatching(/^gemini\//)]),
  );
  expect(config.model_list.find((m: any) => m.model_name === 'deepseek-chat')!.litellm_params).toMatchObject({
    model: 'openai/deepseek-chat',
    api_base: 'https://api.deepseek.com/v1',
  });
});

test('a group with several deployments renders one entry per deployment, each with its limits and timeout', () => {
  const base = gatewayOf('dev');
  const gateway: GatewaySettings = {
    ...base,
    modelGroups: {
      'gpt-4o': {
        temperature: 0.2,
        maxTokens: 1024,
        deployments: [
          { model: 'openai/gpt-4o', apiKeyCredential: 'openai-api-key', rpm: 100, tpm: 1000, timeoutSeconds: 30 },
          {
            model: 'azure/gpt-4o',
            apiKeyCredential: 'azure-key',
            apiBase: 'https://x.openai.azure.com',
            apiVersion: '2024-06-01',
            rpm: 50,
            weight: 2,
          },
        ],
      },
    },
  };
  expect(renderLiteLlmConfig(gateway, []).model_list).toEqual([
    {
      model_name: 'gpt-4o',
      litellm_params: {
        model: 'openai/gpt-4o',
        api_key: 'os.environ/OPENAI_API_KEY',
        rpm: 100,
        tpm: 1000,
        timeout: 30,
        temperature: 0.2,
        max_tokens: 1024,
      },
      model_info: { id: 'gpt-4o-1', mode: 'chat' },
    },
    {
      model_name: 'gpt-4o',
      litellm_params: {
        model: 'azure/gpt-4o',
        api_key: 'os.environ/AZURE_KEY',
        api_base: 'https://x.openai.azure.com',
        api_version: '2024-06-01',
        rpm: 50,
        weight: 2,
        temperature: 0.2,
        max_tokens: 1024,
      },
      model_info: { id: 'gpt-4o-2', mode: 'chat' },
    },
  ]);
});

test('budgets: proxy-wide always, provider budgets where configured', () => {
  expect(configOf('dev').router_settings.provider_budget_config).toBeUndefined();
  const prod = configOf('prod');
  expect(prod.litellm_settings).toMatchObject({ max_budget: 5000, budget_duration: '30d' });
  expect(prod.router_settings.provider_budget_config).toEqual({
    openai: { budget_limit: 2500, time_period: '30d' },
    anthropic: { budget_limit: 1500, time_period: '30d' },
    gemini: { budget_limit: 1000, time_period: '30d' },
  });
});

test('helpers other components use', () => {
  const group = { temperature: 1, maxTokens: 1, deployments: [{ model: 'openai/x', apiKeyCredential: 'k' }] };
  expect(gatewayModelGroups({ gateway: { ...gatewayOf('dev'), modelGroups: { zeta: group, alpha: group, 'mid-1': group } } })).toEqual([
    'alpha',
    'mid-1',
    'zeta',
  ]);
  expect(workflowGatewayKeyCredential('health_consultation')).toBe('workflow-health-consultation-gateway-key');
  expect(
    providerEgressPorts({
      ...gatewayOf('dev'),
      modelGroups: {
        a: {
          temperature: 1,
          maxTokens: 1,
          deployments: [
            { model: 'openai/x', apiKeyCredential: 'k', apiBase: 'http://vllm.internal:8000/v1' },
            { model: 'openai/y', apiKeyCredential: 'k', apiBase: 'http://plain.example/v1' },
          ],
        },
      },
    }),
  ).toEqual([80, 443, 8000]);
});

test('the key check catches a key in the wrong section', () => {
  const config = configOf('dev');
  const misplaced = { ...config, litellm_settings: { ...config.litellm_settings, master_key: 'os.environ/LITELLM_MASTER_KEY' } };
  expect(undeclaredKeys(misplaced)).toEqual(['litellm_settings.master_key']);
  expect(undeclaredKeys({ ...config, router_settings: { ...config.router_settings, routing_stratgy: 'x' } })).toEqual([
    'router_settings.routing_stratgy',
  ]);
});

describe('the callers’ own model groups (per-agent attribution)', () => {
  const settings = loadEnvironment(CONFIG_DIR, 'dev').settings;

  test('each caller gets copies of its base group’s deployments, with its own ids and its budget split over them', () => {
    const gateway: GatewaySettings = {
      ...settings.gateway,
      modelGroups: {
        ...settings.gateway.modelGroups,
        'gpt-4': {
          temperature: 0.7,
          maxTokens: 4096,
          deployments: [
            { model: 'openai/gpt-4o', apiKeyCredential: 'openai-api-key', rpm: 500 },
            { model: 'azure/gpt-4o', apiKeyCredential: 'azure-key', apiBase: 'https://x.openai.azure.com' },
          ],
        },
      },
      agentBudgets: { ...settings.gateway.agentBudgets, xiaoai: { maxBudget: 100.01, budgetDuration: '7d' } },
    };
    const groups = agentModelGroups(gateway, gatewayClients(settings).callers);
    const config = renderLiteLlmConfig(gateway, groups);
    expect(config.model_list.filter((m: any) => m.model_name === 'agent-xiaoai')).toEqual([
      {
        model_name: 'agent-xiaoai',
        litellm_params: {
          model: 'openai/gpt-4o',
          api_key: 'os.environ/OPENAI_API_KEY',
          rpm: 500,
          temperature: 0.7,
          max_tokens: 4096,
          max_budget: 50,
          budget_duration: '7d',
        },
        model_info: { id: 'agent-xiaoai-1', mode: 'chat' },
      },
      {
        model_name: 'agent-xiaoai',
        litellm_params: {
          model: 'azure/gpt-4o',
          api_key: 'os.environ/AZURE_KEY',
          api_base: 'https://x.openai.azure.com',
          temperature: 0.7,
          max_tokens: 4096,
          max_budget: 50,
          budget_duration: '7d',
        },
        model_info: { id: 'agent-xiaoai-2', mode: 'chat' },
      },
    ]);
    expect(budgetShare(100.01, 2)).toBe(50);
    expect(budgetShare(200, 3)).toBe(66.66);
  });

  test('every caller of dev has its group with its budget, and none has fallbacks', () => {
    const config = configOf('dev');
    const names = [...new Set(config.model_list.map((m: any) => m.model_name as string))].filter((n) => n.startsWith('agent-'));
    expect(names).toEqual([
      'agent-xiaoai',
      'agent-xiaoke',
      'agent-laoke',
      'agent-soer',
      'agent-quality-reviewer',
      'agent-manager-product-customization',
    ]);
    const xiaoke = config.model_list.filter((m: any) => m.model_name === 'agent-xiaoke');
    expect(xiaoke.map((m: any) => m.litellm_params)).toEqual(
      config.model_list
        .filter((m: any) => m.model_name === 'claude-3-sonnet')
        .map((m: any) => ({ ...(m.litellm_params as object), max_budget: 200, budget_duration: '30d' })),
    );
    const withFallbacks = [
      ...(config.router_settings.fallbacks as any[]),
      ...(config.router_settings.context_window_fallbacks as any[]),
    ].flatMap((f) => Object.keys(f));
    expect(withFallbacks.filter((g) => g.startsWith('agent-'))).toEqual([]);
  });
});
