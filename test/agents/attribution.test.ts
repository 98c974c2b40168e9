import * as yaml from 'js-yaml';
import { agentIdentities, workflowModelNames } from '../../lib/agents/agent-identities';
import { traceAttribution } from '../../lib/agents/attribution-trace';
import { workflowAppName } from '../../lib/agents/workflow-runtime';
import { workflowFileName } from '../../lib/agents/render-agents-yaml';
import { loadEnvironment } from '../../lib/registry';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { CONFIG_DIR, ENVIRONMENTS, objectsOf } from '../support/environments';
import { loadWithGatewayAgentsFixture } from '../support/config-changes';
import { praisonaiContract, workflowConfigMap } from '../support/agent-workflows';

/**
 * Per-agent attribution, traced through rendered manifests: for every
 * caller of every workflow, the label values its calls carry at the gateway, link by link
 * (agents.yaml → the runtime's environment → the gateway's config.yaml and the key registration).
 * Every shipped environment must trace cleanly (its subject is config/); what a trace holds, and
 * each broken link, is checked on the gateway and agents fixtures (test/support/fixture-settings.ts).
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

/** The whole platform of dev with the gateway and agents sections replaced by the fixtures. */
const fixtureObjects = renderEnvironment(loadWithGatewayAgentsFixture()).files.flatMap((f) => f.objects);

describe('attribution of fixture gateway and agents settings', () => {
  const report = traceAttribution(fixtureObjects, contract);

  test('every link holds', () => {
    expect(report.problems).toEqual([]);
  });

  test('scout in alpha_flow, link by link', () => {
    const traces = report.traces.filter((t) => t.workflow === 'alpha_flow' && t.requestModel === 'agent-scout');
    expect(traces.map((t) => t.field)).toEqual(['roles.scout.llm.model', 'roles.scout_2.llm.model']);
    expect(traces[0]).toEqual({
      workflow: 'alpha_flow',
      field: 'roles.scout.llm.model',
      agentsYaml: 'agent-scout',
      requestModel: 'agent-scout',
      runtime: {
        deployment: 'workflow-alpha-flow',
        baseUrl: 'http://litellm-gateway-service:4000',
        apiKey: 'fixture-keys/workflow-alpha-flow-gateway-key',
      },
      gateway: {
        service: 'litellm-gateway-service',
        configMap: gatewayConfigMap(fixtureObjects).metadata.name,
        modelGroup: 'agent-scout',
        deploymentIds: ['agent-scout-1'],
        budgetPerDeployment: 5,
        budgetDuration: '7d',
      },
      key: { alias: 'alpha_flow', models: ['agent-scout', 'agent-scribe', 'agent-quality-reviewer'] },
      labels: { requested_model: 'agent-scout', api_key_alias: 'alpha_flow' },
    });
  });

  test('the hierarchical manager reaches the gateway as its own model group, through the LiteLLM SDK’s openai provider', () => {
    const manager = report.traces.find((t) => t.field === 'manager_llm')!;
    expect(manager).toMatchObject({
      workflow: 'beta_flow',
      agentsYaml: 'openai/agent-manager-beta-flow',
      labels: { requested_model: 'agent-manager-beta-flow', api_key_alias: 'beta_flow' },
      gateway: { budgetPerDeployment: 8, budgetDuration: '1mo' },
    });
  });
});

describe('a broken link is reported', () => {
  const agentsFileOf = (objects: KubeObject[], workflow: string) => workflowConfigMap(objects, workflow).data;
  const problemsAfter = (edit: (objects: KubeObject[]) => void) => {
    const objects = clone(fixtureObjects);
    edit(objects);
    return traceAttribution(objects, contract).problems;
  };
  const at = (field: string) => `Deployment workflow-alpha-flow: alpha_flow.yaml: ${field}`;

  test('agents.yaml naming the base group instead of the agent’s own name', () => {
    const problems = problemsAfter((o) =>
      editYaml(agentsFileOf(o, 'alpha_flow'), workflowFileName('alpha_flow'), (d) => (d.roles.scribe.llm.model = 'fixture-model')),
    );
    expect(problems).toEqual([
      `${at('roles.scribe.llm.model')}: expected every deployment of fixture-model to carry max_budget and budget_duration, found none on fixture-model-1`,
      `${at('roles.scribe.llm.model')}: expected the key of alpha_flow to allow fixture-model, found models ["agent-scout","agent-scribe","agent-quality-reviewer"]`,
    ]);
  });

  test('a provider-prefixed role model', () => {
    const problems = problemsAfter((o) =>
      editYaml(agentsFileOf(o, 'alpha_flow'), workflowFileName('alpha_flow'), (d) => (d.roles.scout.llm.model = 'openai/fixture-model')),
    );
    expect(problems).toEqual([
      `${at('roles.scout.llm.model')}: expected a gateway model name without "/" (a "/" sends the call through the LiteLLM SDK, past the gateway for other providers), found "openai/fixture-model"`,
    ]);
  });

  test('a manager without the openai/ provider', () => {
    const problems = problemsAfter((o) =>
      editYaml(agentsFileOf(o, 'beta_flow'), workflowFileName('beta_flow'), (d) => (d.manager_llm = 'agent-manager-beta-flow')),
    );
    expect(problems).toEqual([
      'Deployment workflow-beta-flow: beta_flow.yaml: manager_llm: expected "openai/<gateway model name>" (the manager calls through the LiteLLM SDK, which needs the provider to use OPENAI_API_BASE), found "agent-manager-beta-flow"',
    ]);
  });

  test('a runtime that calls another base URL', () => {
    const problems = problemsAfter((o) => {
      const c = o.find((x) => x.kind === 'Deployment' && x.metadata.name === workflowAppName('beta_flow'))!.spec.template.spec
        .containers[0];
      c.env.find((e: any) => e.name === 'OPENAI_API_BASE').value = 'https://api.openai.com/v1';
    });
    expect(problems).toEqual([
      'Deployment workflow-beta-flow: expected OPENAI_API_BASE and OPENAI_BASE_URL to name the same gateway, found "https://api.openai.com/v1" and "http://litellm-gateway-service:4000"',
      `Deployment workflow-beta-flow: expected OPENAI_API_BASE to be the URL of the gateway's Service (a Service on that port selecting the pods that run LiteLLM's config.yaml), found "https://api.openai.com/v1"`,
    ]);
  });

  test('a gateway that does not serve an agent’s name, or serves it under an alias or with fallbacks', () => {
    const problems = problemsAfter((o) =>
      editYaml(gatewayConfigMap(o).data, 'config.yaml', (c) => {
        c.model_list = c.model_list.filter((m: any) => m.model_name !== 'agent-scribe');
        c.router_settings.model_group_alias = { 'agent-scout': 'fixture-model' };
        c.router_settings.fallbacks = [...(c.router_settings.fallbacks ?? []), { 'agent-quality-reviewer': ['fixture-model'] }];
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /: roles\.scribe\.llm\.model: expected ConfigMap litellm-config-[0-9a-f]{10} \(config\.yaml\) to serve the model group agent-scribe, found no model_list entry named so$/,
        ),
        `${at('roles.scout.llm.model')}: expected agent-scout to be served under its own name, found router_settings.model_group_alias mapping it to "fixture-model"`,
        `${at('roles.quality_reviewer.llm.model')}: expected no fallbacks for agent-quality-reviewer (a fallback runs the call outside its budget, under another group's name), found some`,
      ]),
    );
  });

  test('a key registered under another alias', () => {
    const problems = problemsAfter((o) => {
      const cm = o.find((x) => x.kind === 'ConfigMap' && x.data?.['keys.json'])!;
      const keys = JSON.parse(cm.data['keys.json']);
      keys.find((k: any) => k.client === 'beta_flow').key_alias = 'agents';
      cm.data['keys.json'] = JSON.stringify(keys);
    });
    expect(problems).toEqual(['Deployment workflow-beta-flow: expected the key\'s alias to be the workflow id beta_flow, found "agents"']);
  });
});
