import * as yaml from 'js-yaml';
import { agentIdentities, workflowModelNames } from '../../lib/agents/agent-identities';
import { traceAttribution } from '../../lib/agents/attribution-trace';
import { workflowAppName } from '../../lib/agents/workflow-runtime';
import { workflowFileName } from '../../lib/agents/render-agents-yaml';
import { loadEnvironment } from '../../lib/registry';
import type { KubeObject } from '../../lib/synth/render-environment';
import { CONFIG_DIR, ENVIRONMENTS, objectsOf } from '../support/environments';
import { praisonaiContract, workflowConfigMap } from '../support/agent-workflows';

/**
 * Per-agent attribution, traced through the rendered manifests of each environment: for every
 * caller of every workflow, the label values its calls carry at the gateway, link by link
 * (agents.yaml → the runtime's environment → the gateway's config.yaml and the key registration).
 */
const contract = praisonaiContract();
const clone = (objects: readonly KubeObject[]) => JSON.parse(JSON.stringify(objects)) as KubeObject[];
const gatewayConfigMap = (objects: KubeObject[]) => objects.find((o) => o.kind === 'ConfigMap' && o.data?.['config.yaml'])!;
const editYaml = (holder: Record<string, string>, key: string, edit: (doc: any) => void) => {
  const doc = yaml.load(holder[key]) as any;
  edit(doc);
  holder[key] = yaml.dump(doc);
};

describe.each(ENVIRONMENTS)('attribution in %s', (env) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  const report = traceAttribution(objectsOf(env), contract);

  test('every link holds', () => {
    expect(report.problems).toEqual([]);
  });

  test('every caller of every workflow is traced, under its own gateway model name and its workflow’s key alias', () => {
    const traced = [...new Set(report.traces.map((t) => `${t.workflow} ${t.labels.requested_model} ${t.labels.api_key_alias}`))].sort();
    const expected = Object.keys(settings.agents.workflows)
      .flatMap((w) => workflowModelNames(settings.agents, w).map((m) => `${w} ${m} ${w}`))
      .sort();
    expect(traced).toEqual(expected);
  });

  test('each caller’s deployments together spend at most its configured budget', () => {
    for (const t of report.traces) {
      const identity = agentIdentities(settings.agents).find((i) => i.modelName === t.gateway.modelGroup)!;
      const budget = settings.gateway.agentBudgets[identity.id];
      expect(t.gateway.budgetDuration).toBe(budget.budgetDuration);
      expect(t.gateway.budgetPerDeployment * t.gateway.deploymentIds.length).toBeLessThanOrEqual(budget.maxBudget);
      expect(t.gateway.budgetPerDeployment * t.gateway.deploymentIds.length).toBeGreaterThan(
        budget.maxBudget - 0.01 * t.gateway.deploymentIds.length,
      );
    }
  });
});

test('xiaoai (小艾) in health_consultation, link by link', () => {
  const traces = traceAttribution(objectsOf('dev'), contract).traces.filter(
    (t) => t.workflow === 'health_consultation' && t.requestModel === 'agent-xiaoai',
  );
  expect(traces.map((t) => t.field)).toEqual(['roles.xiaoai.llm.model', 'roles.xiaoai_2.llm.model']);
  expect(traces[0]).toEqual({
    workflow: 'health_consultation',
    field: 'roles.xiaoai.llm.model',
    agentsYaml: 'agent-xiaoai',
    requestModel: 'agent-xiaoai',
    runtime: {
      deployment: 'workflow-health-consultation',
      baseUrl: 'http://litellm-gateway-service:4000',
      apiKey: 'workflow-gateway-keys/health_consultation',
    },
    gateway: {
      service: 'litellm-gateway-service',
      configMap: gatewayConfigMap(objectsOf('dev')).metadata.name,
      modelGroup: 'agent-xiaoai',
      deploymentIds: ['agent-xiaoai-1'],
      budgetPerDeployment: 200,
      budgetDuration: '30d',
    },
    key: { alias: 'health_consultation', models: ['agent-xiaoai', 'agent-xiaoke', 'agent-laoke', 'agent-soer', 'agent-quality-reviewer'] },
    labels: { requested_model: 'agent-xiaoai', api_key_alias: 'health_consultation' },
  });
});

test('the hierarchical manager reaches the gateway as its own model group, through the LiteLLM SDK’s openai provider', () => {
  const manager = traceAttribution(objectsOf('prod'), contract).traces.find((t) => t.field === 'manager_llm')!;
  expect(manager).toMatchObject({
    workflow: 'product_customization',
    agentsYaml: 'openai/agent-manager-product-customization',
    labels: { requested_model: 'agent-manager-product-customization', api_key_alias: 'product_customization' },
  });
  expect(manager.gateway.budgetPerDeployment).toBe(250);
});

describe('a broken link is reported', () => {
  const agentsFileOf = (objects: KubeObject[], workflow: string) => workflowConfigMap(objects, workflow).data;
  const problemsAfter = (edit: (objects: KubeObject[]) => void) => {
    const objects = clone(objectsOf('dev'));
    edit(objects);
    return traceAttribution(objects, contract).problems;
  };
  const at = (field: string) => `Deployment workflow-health-consultation: health_consultation.yaml: ${field}`;

  test('agents.yaml naming the base group instead of the agent’s own name', () => {
    const problems = problemsAfter((o) =>
      editYaml(
        agentsFileOf(o, 'health_consultation'),
        workflowFileName('health_consultation'),
        (d) => (d.roles.soer.llm.model = 'gemini-pro'),
      ),
    );
    expect(problems).toEqual([
      `${at('roles.soer.llm.model')}: expected every deployment of gemini-pro to carry max_budget and budget_duration, found none on gemini-pro-1`,
      `${at('roles.soer.llm.model')}: expected no fallbacks for gemini-pro (a fallback runs the call outside its budget, under another group's name), found some`,
      `${at('roles.soer.llm.model')}: expected the key of health_consultation to allow gemini-pro, found models ["agent-xiaoai","agent-xiaoke","agent-laoke","agent-soer","agent-quality-reviewer"]`,
    ]);
  });

  test('a provider-prefixed role model', () => {
    const problems = problemsAfter((o) =>
      editYaml(
        agentsFileOf(o, 'health_consultation'),
        workflowFileName('health_consultation'),
        (d) => (d.roles.xiaoke.llm.model = 'anthropic/claude-sonnet-4-20250514'),
      ),
    );
    expect(problems).toEqual([
      `${at('roles.xiaoke.llm.model')}: expected a gateway model name without "/" (a "/" sends the call through the LiteLLM SDK, past the gateway for other providers), found "anthropic/claude-sonnet-4-20250514"`,
    ]);
  });

  test('a manager without the openai/ provider', () => {
    const problems = problemsAfter((o) =>
      editYaml(
        agentsFileOf(o, 'product_customization'),
        workflowFileName('product_customization'),
        (d) => (d.manager_llm = 'agent-manager-product-customization'),
      ),
    );
    expect(problems).toEqual([
      'Deployment workflow-product-customization: product_customization.yaml: manager_llm: expected "openai/<gateway model name>" (the manager calls through the LiteLLM SDK, which needs the provider to use OPENAI_API_BASE), found "agent-manager-product-customization"',
    ]);
  });

  test('a runtime that calls another base URL', () => {
    const problems = problemsAfter((o) => {
      const c = o.find((x) => x.kind === 'Deployment' && x.metadata.name === workflowAppName('knowledge_question'))!.spec.template.spec
        .containers[0];
      c.env.find((e: any) => e.name === 'OPENAI_API_BASE').value = 'https://api.openai.com/v1';
    });
    expect(problems).toEqual([
      'Deployment workflow-knowledge-question: expected OPENAI_API_BASE and OPENAI_BASE_URL to name the same gateway, found "https://api.openai.com/v1" and "http://litellm-gateway-service:4000"',
      `Deployment workflow-knowledge-question: expected OPENAI_API_BASE to be the URL of the gateway's Service (a Service on that port selecting the pods that run LiteLLM's config.yaml), found "https://api.openai.com/v1"`,
    ]);
  });

  test('a gateway that does not serve an agent’s name, or serves it under an alias or with fallbacks', () => {
    const problems = problemsAfter((o) =>
      editYaml(gatewayConfigMap(o).data, 'config.yaml', (c) => {
        c.model_list = c.model_list.filter((m: any) => m.model_name !== 'agent-laoke');
        c.router_settings.model_group_alias = { 'agent-soer': 'gemini-pro' };
        c.router_settings.fallbacks.push({ 'agent-quality-reviewer': ['gemini-pro'] });
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /: roles\.laoke\.llm\.model: expected ConfigMap litellm-config-[0-9a-f]{10} \(config\.yaml\) to serve the model group agent-laoke, found no model_list entry named so$/,
        ),
        `${at('roles.soer.llm.model')}: expected agent-soer to be served under its own name, found router_settings.model_group_alias mapping it to "gemini-pro"`,
        `${at('roles.quality_reviewer.llm.model')}: expected no fallbacks for agent-quality-reviewer (a fallback runs the call outside its budget, under another group's name), found some`,
      ]),
    );
  });

  test('a key registered under another alias', () => {
    const problems = problemsAfter((o) => {
      const cm = o.find((x) => x.kind === 'ConfigMap' && x.data?.['keys.json'])!;
      const keys = JSON.parse(cm.data['keys.json']);
      keys.find((k: any) => k.client === 'knowledge_question').key_alias = 'agents';
      cm.data['keys.json'] = JSON.stringify(keys);
    });
    expect(problems).toEqual([
      'Deployment workflow-knowledge-question: expected the key\'s alias to be the workflow id knowledge_question, found "agents"',
    ]);
  });
});
