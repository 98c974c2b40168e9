import type { YamlMap } from '../../lib/config/deep-merge';
import { cidrWithin, PRIVATE_RANGES } from '../../lib/gateway/gateway-checks';
import { problemsWith } from '../support/config-changes';

/** Problems of dev with `gateway` changed by `patch` (maps merge, lists replace). */
const dev = (patch: YamlMap) => problemsWith({ merge: { 'dev.yaml': { gateway: patch } } });

/** Bad gateway input stops synthesis with an error naming file, field, expected and found. */
describe('gateway config errors', () => {
  test('an unknown routing strategy', () => {
    expect(dev({ routing: { strategy: 'round-robin' } })).toEqual([
      'dev.yaml: gateway.routing.strategy: expected one of [simple-shuffle, least-busy, latency-based-routing, cost-based-routing, usage-based-routing-v2, usage-based-routing, provider-budget-routing] (LiteLLM v1.81.0-stable), found "round-robin"',
    ]);
  });

  test('a fallback to an unknown group', () => {
    expect(dev({ routing: { fallbacks: { 'gpt-4': ['gpt-5-ultra'] } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.routing\.fallbacks\.gpt-4\[0\]: expected a model group of gateway\.modelGroups \(.*"gpt-4".*\), found the unknown group "gpt-5-ultra"$/,
      ),
    ]);
  });

  test('a fallback from an unknown group', () => {
    expect(dev({ routing: { contextWindowFallbacks: { 'gpt-9': ['gpt-4'] } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.routing\.contextWindowFallbacks\.gpt-9: expected a model group .*, found the unknown group "gpt-9"$/,
      ),
    ]);
  });

  test('a group falling back to itself', () => {
    expect(dev({ routing: { fallbacks: { 'gemini-pro': ['gemini-pro'] } } })).toEqual([
      'dev.yaml: gateway.routing.fallbacks.gemini-pro[0]: expected a group other than the one falling back, found "gemini-pro" falling back to itself',
    ]);
  });

  test('a fallback cycle', () => {
    // base: gpt-4 -> claude-3-sonnet -> gemini-pro -> deepseek-chat; deepseek-chat -> gpt-4 closes three cycles.
    expect(dev({ routing: { fallbacks: { 'deepseek-chat': ['gpt-4'] } } })).toEqual([
      'dev.yaml: gateway.routing.fallbacks: expected fallbacks without cycles, found the cycle claude-3-sonnet -> gemini-pro -> deepseek-chat -> gpt-4 -> claude-3-sonnet',
      'dev.yaml: gateway.routing.fallbacks: expected fallbacks without cycles, found the cycle claude-3-sonnet -> deepseek-chat -> gpt-4 -> claude-3-sonnet',
      'dev.yaml: gateway.routing.fallbacks: expected fallbacks without cycles, found the cycle deepseek-chat -> gpt-4 -> gemini-pro -> deepseek-chat',
    ]);
  });

  test('a provider without a key Secret', () => {
    const groups = {
      'qwen-plus': {
        temperature: 0.7,
        maxTokens: 2048,
        deployments: [
          { model: 'openai/qwen-plus', apiBase: 'https://dashscope.aliyuncs.com/compatible-mode/v1', apiKeyCredential: 'qwen-api-key' },
        ],
      },
    };
    expect(dev({ modelGroups: groups })).toEqual([
      'dev.yaml: gateway.modelGroups.qwen-plus.deployments[0].apiKeyCredential: expected the id of a credential in security.credentials holding the API key of openai, found "qwen-api-key", which security.credentials does not define',
    ]);
  });

  test('a deployment without any key credential', () => {
    const groups = { local: { temperature: 0.7, maxTokens: 2048, deployments: [{ model: 'ollama/llama3' }] } };
    expect(dev({ modelGroups: groups })).toEqual([
      'dev.yaml: gateway.modelGroups.local.deployments[0].apiKeyCredential: expected a string, found nothing (the field is missing)',
    ]);
  });

  test('an empty model list', () => {
    const problems = problemsWith({
      base: (base) => {
        base.gateway.modelGroups = {};
        base.gateway.routing.fallbacks = {};
        base.gateway.routing.contextWindowFallbacks = {};
      },
    });
    expect(problems).toContain(
      'base.yaml: gateway.modelGroups: expected at least one model group (e.g. gpt-4: {temperature, maxTokens, deployments}), found an empty map',
    );
  });

  test('a model group without deployments', () => {
    expect(dev({ modelGroups: { 'gpt-4': { deployments: [] } } })).toEqual([
      'dev.yaml: gateway.modelGroups.gpt-4.deployments: expected at least one deployment, found a list of 0 item(s)',
    ]);
  });

  test('a model without a provider prefix', () => {
    expect(dev({ modelGroups: { 'gpt-4': { deployments: [{ model: 'gpt-4o', apiKeyCredential: 'openai-api-key' }] } } })).toEqual([
      'dev.yaml: gateway.modelGroups.gpt-4.deployments[0].model: expected a provider-prefixed model such as "openai/gpt-4o" or "gemini/gemini-2.5-pro", found "gpt-4o"',
    ]);
  });

  test('a literal or weak master key instead of a Secret', () => {
    expect(dev({ masterKeyCredential: 'sk-1234' })).toEqual([
      'dev.yaml: gateway.masterKeyCredential: expected the id of the credential holding the master key (a Secret), never a key, found "sk-1234", a publicly known weak master key',
    ]);
    expect(dev({ masterKeyCredential: 'sk-9f8e7d6c5b4a' })).toEqual([
      'dev.yaml: gateway.masterKeyCredential: expected the id of the credential holding the master key (a Secret), never a key, found a literal key starting with "sk-"',
    ]);
    expect(dev({ masterKeyCredential: 'admin-key' })).toEqual([
      'dev.yaml: gateway.masterKeyCredential: expected the id of a credential in security.credentials holding the master key, found "admin-key", which security.credentials does not define',
    ]);
  });

  test('several replicas without shared state in Redis', () => {
    expect(dev({ replicas: 2, routing: { sharedStateInRedis: false } })).toEqual([
      'dev.yaml: gateway.routing.sharedStateInRedis: expected true when the gateway runs more than one replica (up to 2 here): otherwise budgets, rate limits and cooldowns are counted per pod, found false',
    ]);
  });

  test('several workers without a multiprocess metrics directory', () => {
    expect(dev({ numWorkers: 4 })).toEqual([
      'dev.yaml: gateway.metricsMultiprocessDir: expected a directory for Prometheus multiprocess metrics when gateway.numWorkers is above 1 (4 here), found nothing (the field is missing)',
    ]);
  });

  test('production needs at least 3 replicas and an autoscaler', () => {
    expect(problemsWith({ merge: { 'prod.yaml': { gateway: { autoscaling: { minReplicas: 2 } } } } }, 'prod')).toEqual([
      'prod.yaml: gateway.autoscaling.minReplicas: expected at least 3 gateway replicas in production, found 2',
    ]);
  });

  test('a budget duration LiteLLM cannot parse, and a provider budget nobody uses', () => {
    expect(dev({ budget: { budgetDuration: '1h30m', providerBudgets: { azure: { budgetLimit: 10, timePeriod: '1d' } } } })).toEqual([
      'dev.yaml: gateway.budget.budgetDuration: expected a duration such as "30s", "5m" or "1h" (whole numbers with units ms, s, m, h, d, w or y); here one number and one unit, units s, m, h, d, w, mo only, at least 1s (LiteLLM parses one unit; mo is a calendar month), found "1h30m"',
    ]);
    expect(dev({ budget: { providerBudgets: { azure: { budgetLimit: 10, timePeriod: '1d' } } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.budget\.providerBudgets\.azure: expected a provider that a deployment uses \("anthropic", "gemini", "openai"\), found the unused provider "azure"$/,
      ),
    ]);
  });

  test('a workflow without a virtual key, and a key for a workflow that does not exist', () => {
    const problems = problemsWith({
      base: (base) => {
        delete base.gateway.workflowKeys.knowledge_question;
        base.gateway.workflowKeys.nobody = { maxBudget: 1, budgetDuration: '1d' };
      },
    });
    expect(problems).toEqual([
      "dev.yaml: gateway.workflowKeys.knowledge_question: expected a virtual key {maxBudget, budgetDuration} for workflow knowledge_question (every workflow's calls are attributed to its key), found nothing (the field is missing)",
      expect.stringMatching(
        /^base\.yaml: gateway\.workflowKeys\.nobody: expected a workflow of agents\.workflows \(.*\), found the unknown workflow "nobody"$/,
      ),
      'base.yaml: gateway.workflowKeys.nobody: expected the id of a credential in security.credentials holding the virtual key of workflow nobody (id workflow-nobody-gateway-key), found "workflow-nobody-gateway-key", which security.credentials does not define',
    ]);
  });

  test('a caller without a budget, a budget for no caller, and a model group taking an agent’s name', () => {
    const problems = problemsWith({
      base: (base) => {
        delete base.gateway.agentBudgets['manager-product-customization'];
        base.gateway.agentBudgets.nobody = { maxBudget: 1, budgetDuration: '1d' };
        base.gateway.modelGroups['agent-x'] = base.gateway.modelGroups['gpt-4'];
      },
    });
    expect(problems).toEqual([
      'dev.yaml: gateway.agentBudgets.manager-product-customization: expected a budget {maxBudget, budgetDuration} for the manager of workflow product_customization, whose calls the gateway serves as agent-manager-product-customization, found nothing (the field is missing)',
      'base.yaml: gateway.agentBudgets.nobody: expected a caller of the agent config ("xiaoai", "xiaoke", "laoke", "soer", "quality-reviewer", "manager-product-customization"), found the unknown caller "nobody"',
      'base.yaml: gateway.modelGroups.agent-x: expected a model group name not starting with "agent-" (the agents\' own gateway names), found "agent-x"',
    ]);
  });
});

describe('config against the pinned LiteLLM version', () => {
  test('a provider prefix the pinned LiteLLM lacks names the contract and suggests the closest', () => {
    const deployments = [{ model: 'anthropik/claude-sonnet-4-20250514', apiKeyCredential: 'anthropic-api-key' }];
    expect(dev({ modelGroups: { 'claude-3-sonnet': { temperature: 0.7, maxTokens: 4096, deployments } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.modelGroups\.claude-3-sonnet\.deployments\[0\]\.model: expected a provider prefix that LiteLLM v1\.81\.0-stable knows \([0-9]+ of them, listed in contracts\/litellm\/main-v1\.81\.0-stable\.yaml\) \(did you mean "anthropic"\?\), found "anthropik"$/,
      ),
    ]);
  });

  test('a budget period in a unit LiteLLM would silently reset at midnight', () => {
    expect(dev({ budget: { budgetDuration: '2w' } })).toEqual([
      'dev.yaml: gateway.budget.budgetDuration: expected a budget period in one of the units [s, m, h, d, mo] (LiteLLM v1.81.0-stable resets any other unit at the next midnight), found "2w"',
    ]);
  });

  test('an image tag without a contract fails synthesis and names what to write', () => {
    expect(dev({ image: { tag: 'main-v1.90.0-stable' } })).toEqual([
      'dev.yaml: gateway.image.tag: expected a LiteLLM version with a contract in contracts/litellm/ (main-v1.81.0-stable); a new version needs its contract first (contracts/README.md), found "main-v1.90.0-stable"',
    ]);
  });
});

describe('secrets and egress the gateway must keep apart', () => {
  test('the salt key and the master key come from distinct credentials', () => {
    expect(dev({ saltKeyCredential: 'gateway-master-key' })).toEqual([
      'dev.yaml: gateway.saltKeyCredential: expected a credential other than the master key (a Secret key of its own): the salt key encrypts stored credentials and must never change, found "gateway-master-key", the same Secret key as the master key',
    ]);
    const sameSecretKey = problemsWith({
      merge: { 'dev.yaml': { security: { credentials: { 'gateway-salt-key': { key: 'master-key' } } } } },
    });
    expect(sameSecretKey).toEqual([expect.stringContaining('gateway.saltKeyCredential: expected a credential other than the master key')]);
  });

  test('provider egress keeps private and link-local ranges closed', () => {
    expect(dev({ network: { providerEgress: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } } })).toEqual([
      'dev.yaml: gateway.network.providerEgress.except: expected an exception covering 169.254.0.0/16 (private and link-local ranges stay closed: the cluster and the metadata endpoint), found [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]',
    ]);
    // A narrower exception does not cover the whole range; a public provider range needs none.
    expect(
      dev({
        network: { providerEgress: { cidr: '0.0.0.0/0', except: ['10.0.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } },
      }),
    ).toEqual([expect.stringContaining('expected an exception covering 10.0.0.0/8')]);
    // A provider range that overlaps no private range needs no exception.
    expect(cidrWithin('169.254.169.254/32', '169.254.0.0/16')).toBe(true);
    expect(cidrWithin('10.0.0.0/8', '10.0.0.0/16')).toBe(false);
    expect(PRIVATE_RANGES.some((r) => cidrWithin('104.18.0.0/16', r) || cidrWithin(r, '104.18.0.0/16'))).toBe(false);
  });
});
