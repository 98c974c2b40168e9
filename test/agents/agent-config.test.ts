import { loadEnvironment } from '../../lib/registry';
import { configCopy, configProblems } from '../support/environments';
import { gatewayAgentsFixtureFiles } from '../support/config-changes';

/**
 * The loader's messages about bad agent settings, on config/ with the gateway and agents fixtures
 * in place of its sections (test/support/fixture-settings.ts: agents scout and scribe, workflows
 * alpha_flow and beta_flow): the messages name the file and field of the fixture, so a change to
 * config/'s agents can neither break nor satisfy them.
 */
const alphaSteps = (base: any) => base.agents.workflows.alpha_flow.steps;
/** The problems of dev with the fixtures, base.yaml changed by `change`, and dev.yaml's text replaced by `devYaml`. */
const problems = (change: (base: any) => void, devYaml?: string, environment = 'dev') => {
  const files = gatewayAgentsFixtureFiles(change, environment);
  return configProblems(devYaml === undefined ? files : { ...files, [`${environment}.yaml`]: devYaml }, environment);
};
const unchanged = () => undefined;
/** Production needs a gateway autoscaler, which the fixture leaves out. */
const autoscaled = (b: any) => (b.gateway.autoscaling = { minReplicas: 3, maxReplicas: 5, targetCpuUtilization: 50 });
/** Whether the environment loads from the fixture files with base.yaml changed by `change`. */
const loads = (change: (base: any) => void, environment = 'dev') =>
  loadEnvironment(configCopy(gatewayAgentsFixtureFiles(change, environment)), environment).name === environment;

test('the fixture files load without problems', () => {
  expect(loads(unchanged)).toBe(true);
  expect(loads(autoscaled, 'prod')).toBe(true);
});

describe('bad agent config is a clear error naming file and field', () => {
  test('a workflow naming an unknown agent', () => {
    expect(problems((b) => (alphaSteps(b)[1].agent = 'scribbe'))).toEqual([
      'base.yaml: agents.workflows.alpha_flow.steps[1].agent: expected an agent of agents.members ("scout", "scribe") (did you mean "scribe"?), found the unknown agent "scribbe"',
    ]);
  });

  test('a workflow naming a disabled agent', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scribe: { enabled: false }\n')).toEqual(
      expect.arrayContaining([
        'base.yaml: agents.workflows.alpha_flow.steps[1].agent: expected an enabled agent (agents.members.scribe.enabled is false), found "scribe"',
      ]),
    );
  });

  test('a step with context: PraisonAI 4.7.0 ignores it, so the schema refuses it', () => {
    expect(problems((b) => (alphaSteps(b)[1].context = ['gather']))).toEqual([
      'base.yaml: agents.workflows.alpha_flow.steps[1].context: expected one of the keys [id, agent, description, expectedOutput], found the unknown key "context"',
    ]);
  });

  test('agent limits: PraisonAI 4.7.0 ignores max_iter and max_rpm, so the schema refuses them', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scout: { limits: { maxRequestsPerMinute: 60 } }\n')).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.scout\.limits: expected one of the keys \[chineseName, .*\], found the unknown key "limits"$/,
      ),
    ]);
  });

  test('a model group the gateway lacks names the agent and the group', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scribe: { modelGroup: fixture-model-2 }\n')).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.scribe\.modelGroup: expected a model group of gateway\.modelGroups \(.*"fixture-model".*\).*, found "fixture-model-2", which agent scribe \(scribe-cn\) would call but the gateway lacks$/,
      ),
    ]);
  });

  test('a manager or reviewer model group the gateway lacks', () => {
    const overlay =
      'agents:\n  workflows:\n    beta_flow: { managerModelGroup: gpt-9 }\n  qualityControl:\n    reviewer: { modelGroup: claude-9 }\n';
    expect(problems(unchanged, overlay)).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.workflows\.beta_flow\.managerModelGroup: .*found "gpt-9", which the manager of workflow beta_flow would call but the gateway lacks$/,
      ),
      expect.stringMatching(
        /^dev\.yaml: agents\.qualityControl\.reviewer\.modelGroup: .*found "claude-9", which the quality reviewer would call but the gateway lacks$/,
      ),
    ]);
  });

  test('a provider-prefixed model group is refused by the schema', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scout: { modelGroup: openai/fixture-model }\n')).toEqual([
      'dev.yaml: agents.members.scout.modelGroup: expected a gateway model group name such as "gpt-4" (no provider prefix: calls must go through the gateway), found "openai/fixture-model"',
    ]);
  });

  test.each(['goal', 'backstory'])('a role without %s', (field) => {
    // A missing field is attributed to the overlay being loaded, which could supply it.
    expect(problems((b) => delete b.agents.members.scribe[field])).toEqual([
      `dev.yaml: agents.members.scribe.${field}: expected a non-empty text, found nothing (the field is missing)`,
    ]);
  });

  test('a blank goal in an overlay', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scout: { goal: "  " }\n')).toEqual([
      'dev.yaml: agents.members.scout.goal: expected a non-empty text, found "  "',
    ]);
  });

  test('a task without expected output', () => {
    expect(problems((b) => delete alphaSteps(b)[2].expectedOutput)).toEqual([
      'base.yaml: agents.workflows.alpha_flow.steps[2].expectedOutput: expected a non-empty text, found nothing (the field is missing)',
    ]);
  });

  test('two agents with one id', () => {
    const overlay = 'agents:\n  members:\n    scout: { timeout: 30s }\n    scout: { timeout: 45s }\n';
    expect(problems(unchanged, overlay)).toEqual([
      'dev.yaml:4: scout: expected each key at most once in a map, found the key "scout" a second time',
    ]);
  });

  test('two steps with one id', () => {
    expect(problems((b) => (alphaSteps(b)[2].id = 'gather'))).toEqual(
      expect.arrayContaining([
        'base.yaml: agents.workflows.alpha_flow.steps[2].id: expected a step id unique in workflow alpha_flow, found "gather", already the id of step 0',
      ]),
    );
  });

  test('a step using the reserved review id', () => {
    expect(problems((b) => (alphaSteps(b)[1].id = 'quality_review'))).toEqual([
      'base.yaml: agents.workflows.alpha_flow.steps[1].id: expected a step id other than "quality_review" (the review appended to every workflow), found "quality_review"',
    ]);
  });

  test('a hierarchical workflow without a manager, a sequential one with one', () => {
    const overlay = 'agents:\n  workflows:\n    alpha_flow: { managerModelGroup: fixture-model }\n';
    const withoutManager = (b: any) => {
      delete b.agents.workflows.beta_flow.managerModelGroup;
      delete b.gateway.agentBudgets['manager-beta-flow'];
    };
    expect(problems(withoutManager, overlay)).toEqual([
      'dev.yaml: agents.workflows.alpha_flow.managerModelGroup: expected no manager: workflow alpha_flow is sequential (set process: hierarchical to use one), found "fixture-model"',
      'dev.yaml: agents.workflows.beta_flow.managerModelGroup: expected the gateway model group of the manager, because workflow beta_flow is hierarchical, found nothing (the field is missing)',
    ]);
  });

  test('a pass threshold outside 0..1', () => {
    expect(problems(unchanged, 'agents:\n  qualityControl: { passThreshold: 80 }\n')).toEqual([
      'dev.yaml: agents.qualityControl.passThreshold: expected a number between 0 and 1, found 80',
    ]);
  });

  test('a missing runtime API key credential', () => {
    expect(problems(unchanged, 'agents:\n  runtime: { apiKeyCredential: serve-key }\n')).toEqual([
      'dev.yaml: agents.runtime.apiKeyCredential: expected the id of a credential in security.credentials holding the API key clients present to the workflows, found "serve-key", which security.credentials does not define',
    ]);
  });

  test('a single pod per workflow in production', () => {
    const replicas = (n: number) => (b: any) => {
      autoscaled(b);
      b.agents.runtime.replicas = n;
    };
    expect(loads(replicas(2), 'prod')).toBe(true);
    expect(problems(replicas(1), undefined, 'prod')).toEqual([
      'base.yaml: agents.runtime.replicas: expected at least 2 pods per workflow in production, found 1',
    ]);
  });

  test('a workflow id too long for its Service name', () => {
    const id = `w${'_x'.repeat(21)}`;
    const change = (b: any) => {
      b.agents.workflows[id] = b.agents.workflows.alpha_flow;
      b.gateway.workflowKeys[id] = { maxBudget: 1, budgetDuration: '1d' };
    };
    expect(problems(change)).toEqual(
      expect.arrayContaining([
        `base.yaml: agents.workflows.${id}: expected a workflow id of at most 42 characters (its Service is workflow-${id.replace(/_/g, '-')}-service), found 43 characters`,
      ]),
    );
  });

  test('a per-agent service image: PraisonAI runs agents only inside a workflow, so the schema refuses it', () => {
    const overlay = 'agents:\n  members:\n    scout: { serviceImage: { repository: docker.io/x/y, tag: "1", pullPolicy: IfNotPresent } }\n';
    expect(problems(unchanged, overlay)).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.scout\.serviceImage: expected one of the keys \[.*\], found the unknown key "serviceImage"$/,
      ),
    ]);
  });

  test('an unknown agent in an overlay is not a new agent', () => {
    expect(problems(unchanged, 'agents:\n  members:\n    scoutt: { enabled: false }\n')).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.scoutt: expected a known agent .*\(did you mean "scout"\?\).*found the unknown agent "scoutt"$/,
      ),
    ]);
  });
});
