import * as fs from 'node:fs';
import * as path from 'node:path';
import { configProblems } from '../support/environments';
import { baseYamlWith } from '../support/agent-workflows';

const healthSteps = (base: any) => base.agents.workflows.health_consultation.steps;

describe('bad agent config is a clear error naming file and field', () => {
  test('a workflow naming an unknown agent', () => {
    const base = baseYamlWith((b) => (healthSteps(b)[1].agent = 'xiaokee'));
    expect(configProblems({ 'base.yaml': base })).toEqual([
      'base.yaml: agents.workflows.health_consultation.steps[1].agent: expected an agent of agents.members ("xiaoai", "xiaoke", "laoke", "soer") (did you mean "xiaoke"?), found the unknown agent "xiaokee"',
    ]);
  });

  test('a workflow naming a disabled agent', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    soer: { enabled: false }\n' })).toEqual(
      expect.arrayContaining([
        'base.yaml: agents.workflows.health_consultation.steps[3].agent: expected an enabled agent (agents.members.soer.enabled is false), found "soer"',
      ]),
    );
  });

  test('a step with context: PraisonAI 4.7.0 ignores it, so the schema refuses it', () => {
    const base = baseYamlWith((b) => (healthSteps(b)[1].context = ['health_assessment']));
    expect(configProblems({ 'base.yaml': base })).toEqual([
      'base.yaml: agents.workflows.health_consultation.steps[1].context: expected one of the keys [id, agent, description, expectedOutput], found the unknown key "context"',
    ]);
  });

  test('agent limits: PraisonAI 4.7.0 ignores max_iter and max_rpm, so the schema refuses them', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    soer: { limits: { maxRequestsPerMinute: 60 } }\n' })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.soer\.limits: expected one of the keys \[chineseName, .*\], found the unknown key "limits"$/,
      ),
    ]);
  });

  test('a model group the gateway lacks names the agent and the group', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    laoke: { modelGroup: gpt-5 }\n' })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.laoke\.modelGroup: expected a model group of gateway\.modelGroups \(.*"gpt-4-turbo".*\).*, found "gpt-5", which agent laoke \(老克\) would call but the gateway lacks$/,
      ),
    ]);
  });

  test('a manager or reviewer model group the gateway lacks', () => {
    const overlay =
      'agents:\n  workflows:\n    product_customization: { managerModelGroup: gpt-9 }\n  qualityControl:\n    reviewer: { modelGroup: claude-9 }\n';
    expect(configProblems({ 'dev.yaml': overlay })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.workflows\.product_customization\.managerModelGroup: .*found "gpt-9", which the manager of workflow product_customization would call but the gateway lacks$/,
      ),
      expect.stringMatching(
        /^dev\.yaml: agents\.qualityControl\.reviewer\.modelGroup: .*found "claude-9", which the quality reviewer would call but the gateway lacks$/,
      ),
    ]);
  });

  test('a provider-prefixed model group is refused by the schema', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    soer: { modelGroup: gemini/gemini-pro }\n' })).toEqual([
      'dev.yaml: agents.members.soer.modelGroup: expected a gateway model group name such as "gpt-4" (no provider prefix: calls must go through the gateway), found "gemini/gemini-pro"',
    ]);
  });

  test.each(['goal', 'backstory'])('a role without %s', (field) => {
    const base = baseYamlWith((b) => delete b.agents.members.xiaoke[field]);
    // A missing field is attributed to the overlay being loaded, which could supply it.
    expect(configProblems({ 'base.yaml': base })).toEqual([
      `dev.yaml: agents.members.xiaoke.${field}: expected a non-empty text, found nothing (the field is missing)`,
    ]);
  });

  test('a blank goal in an overlay', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    xiaoai: { goal: "  " }\n' })).toEqual([
      'dev.yaml: agents.members.xiaoai.goal: expected a non-empty text, found "  "',
    ]);
  });

  test('a task without expected output', () => {
    const base = baseYamlWith((b) => delete healthSteps(b)[2].expectedOutput);
    expect(configProblems({ 'base.yaml': base })).toEqual([
      'base.yaml: agents.workflows.health_consultation.steps[2].expectedOutput: expected a non-empty text, found nothing (the field is missing)',
    ]);
  });

  test('two agents with one id', () => {
    const overlay = 'agents:\n  members:\n    xiaoai: { timeout: 30s }\n    xiaoai: { timeout: 45s }\n';
    expect(configProblems({ 'dev.yaml': overlay })).toEqual([
      'dev.yaml:4: xiaoai: expected each key at most once in a map, found the key "xiaoai" a second time',
    ]);
  });

  test('two steps with one id', () => {
    const base = baseYamlWith((b) => (healthSteps(b)[3].id = 'symptom_analysis'));
    expect(configProblems({ 'base.yaml': base })).toEqual(
      expect.arrayContaining([
        'base.yaml: agents.workflows.health_consultation.steps[3].id: expected a step id unique in workflow health_consultation, found "symptom_analysis", already the id of step 1',
      ]),
    );
  });

  test('a step using the reserved review id', () => {
    const base = baseYamlWith((b) => {
      b.agents.workflows.knowledge_question.steps[1].id = 'quality_review';
    });
    expect(configProblems({ 'base.yaml': base })).toEqual([
      'base.yaml: agents.workflows.knowledge_question.steps[1].id: expected a step id other than "quality_review" (the review appended to every workflow), found "quality_review"',
    ]);
  });

  test('a hierarchical workflow without a manager, a sequential one with one', () => {
    const overlay =
      'agents:\n  workflows:\n    knowledge_question: { process: hierarchical }\n    health_consultation: { managerModelGroup: gpt-4 }\n';
    expect(configProblems({ 'dev.yaml': overlay })).toEqual([
      'dev.yaml: agents.workflows.health_consultation.managerModelGroup: expected no manager: workflow health_consultation is sequential (set process: hierarchical to use one), found "gpt-4"',
      'dev.yaml: agents.workflows.knowledge_question.managerModelGroup: expected the gateway model group of the manager, because workflow knowledge_question is hierarchical, found nothing (the field is missing)',
    ]);
  });

  test('a pass threshold outside 0..1', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  qualityControl: { passThreshold: 80 }\n' })).toEqual([
      'dev.yaml: agents.qualityControl.passThreshold: expected a number between 0 and 1, found 80',
    ]);
  });

  test('a missing runtime API key credential', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  runtime: { apiKeyCredential: serve-key }\n' })).toEqual([
      'dev.yaml: agents.runtime.apiKeyCredential: expected the id of a credential in security.credentials holding the API key clients present to the workflows, found "serve-key", which security.credentials does not define',
    ]);
  });

  test('a single pod per workflow in production', () => {
    const prod = fs.readFileSync(path.join(__dirname, '../../config/prod.yaml'), 'utf8') as string;
    expect(prod).toContain('  runtime:\n    replicas: 2\n');
    expect(configProblems({ 'prod.yaml': prod.replace('  runtime:\n    replicas: 2\n', '  runtime:\n    replicas: 1\n') }, 'prod')).toEqual(
      ['prod.yaml: agents.runtime.replicas: expected at least 2 pods per workflow in production, found 1'],
    );
  });

  test('a workflow id too long for its Service name', () => {
    const id = `w${'_x'.repeat(21)}`;
    const base = baseYamlWith((b) => {
      b.agents.workflows[id] = b.agents.workflows.knowledge_question;
      b.gateway.workflowKeys[id] = { maxBudget: 1, budgetDuration: '1d' };
    });
    expect(configProblems({ 'base.yaml': base })).toEqual(
      expect.arrayContaining([
        `base.yaml: agents.workflows.${id}: expected a workflow id of at most 42 characters (its Service is workflow-${id.replace(/_/g, '-')}-service), found 43 characters`,
      ]),
    );
  });

  test('a per-agent service image: PraisonAI runs agents only inside a workflow, so the schema refuses it', () => {
    expect(
      configProblems({
        'dev.yaml': 'agents:\n  members:\n    soer: { serviceImage: { repository: docker.io/x/y, tag: "1", pullPolicy: IfNotPresent } }\n',
      }),
    ).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.soer\.serviceImage: expected one of the keys \[.*\], found the unknown key "serviceImage"$/,
      ),
    ]);
  });

  test('an unknown agent in an overlay is not a new agent', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    laoker: { enabled: false }\n' })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.laoker: expected a known agent .*\(did you mean "laoke"\?\).*found the unknown agent "laoker"$/,
      ),
    ]);
  });
});
