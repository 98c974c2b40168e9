import {
  agentsYamlText,
  renderAgentsFile,
  REVIEW_TASK,
  REVIEWER_ROLE,
  stepRoleKeys,
  workflowFileName,
} from '../../lib/agents/render-agents-yaml';
import { agentModelName, managerIdentity } from '../../lib/agents/agent-identities';
import { loadEnvironment } from '../../lib/registry';
import type { AgentsSettings } from '../../lib/agents/config';
import { gatewayModelGroups } from '../../lib/gateway/model-groups';
import { CONFIG_DIR, ENVIRONMENTS } from '../support/environments';
import { agentsFixture, type Overrides } from '../support/fixture-settings';
import { praisonSubstitute, renderedAgentsFiles, stringsOf } from '../support/agent-workflows';

// Only keys PraisonAI 4.7.0 acts on (test/contracts/praisonai-agents-yaml.test.ts checks them
// against the contract's agentsYamlKeys).
const TOP_LEVEL_KEYS = ['framework', 'topic', 'process', 'manager_llm', 'roles'];
const ROLE_KEYS = ['role', 'goal', 'backstory', 'llm', 'allow_delegation', 'tools', 'tasks'];
const TASK_KEYS = ['description', 'expected_output'];
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

/** Task keys of a parsed agents.yaml in the order PraisonAI creates (and, sequentially, runs) them. */
function taskOrder(file: any): string[] {
  return Object.values<any>(file.roles).flatMap((r) => Object.keys(r.tasks));
}

// The shipped environments' files: whatever config/ says, each must be an agents.yaml PraisonAI
// runs as intended (these compare the files with the settings they came from, never with values
// copied from config/). What the renderer makes of given settings is tested on fixture settings below.
describe.each(ENVIRONMENTS)('the agents.yaml files of %s', (env) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  const groups = gatewayModelGroups(settings);
  const files = renderedAgentsFiles(env);

  test('there is one file per workflow', () => {
    expect(Object.keys(files).sort()).toEqual(Object.keys(settings.agents.workflows).map(workflowFileName).sort());
  });

  test.each(Object.keys(settings.agents.workflows))('%s has the structure PraisonAI requires', (workflowId) => {
    const file = files[workflowFileName(workflowId)];
    const workflow = settings.agents.workflows[workflowId];
    expect(TOP_LEVEL_KEYS).toEqual(expect.arrayContaining(Object.keys(file)));
    expect(file.framework).toBe('praisonai');
    expect(nonEmpty(file.topic)).toBe(true);
    expect(file.process).toBe(workflow.process ?? settings.agents.collaboration.mode);
    if (file.process === 'hierarchical') expect(file.manager_llm).toBe(`openai/${agentModelName(managerIdentity(workflowId))}`);
    else expect(file).not.toHaveProperty('manager_llm');
    expect(Object.keys(file.roles).length).toBeGreaterThan(1);
    for (const [key, role] of Object.entries<any>(file.roles)) {
      expect({ key, extra: Object.keys(role).filter((k) => !ROLE_KEYS.includes(k)) }).toEqual({ key, extra: [] });
      expect([key, nonEmpty(role.role), nonEmpty(role.goal), nonEmpty(role.backstory)]).toEqual([key, true, true, true]);
      // llm is a map of which PraisonAI reads only `model`: the caller's own gateway model name,
      // never provider-prefixed (lib/agents/agent-identities.ts; traced in attribution.test.ts).
      expect(Object.keys(role.llm)).toEqual(['model']);
      expect(role.llm.model).toMatch(/^agent-[a-z0-9-]+$/);
      expect(role.llm.model).not.toContain('/');
      expect(Object.keys(role.tasks).length).toBeGreaterThan(0);
      for (const task of Object.values<any>(role.tasks)) {
        expect(Object.keys(task).sort()).toEqual([...TASK_KEYS].sort());
        expect([nonEmpty(task.description), nonEmpty(task.expected_output)]).toEqual([true, true]);
      }
    }
    // Tasks are created, and run, in declaration order: it must be the order of the steps, then
    // the review. Each receives only the previous task's output.
    expect(taskOrder(file)).toEqual([...workflow.steps.map((s) => s.id), REVIEW_TASK]);
  });

  test.each(Object.keys(settings.agents.workflows))('%s ends with the quality review of the last step’s result', (workflowId) => {
    const file = files[workflowFileName(workflowId)];
    const roleKeys = Object.keys(file.roles);
    expect(roleKeys[roleKeys.length - 1]).toBe(REVIEWER_ROLE);
    const review = file.roles[REVIEWER_ROLE].tasks[REVIEW_TASK];
    // The review sees the last step's result only, so it is told what the user wrote.
    expect(review.description).toMatch(/^The user wrote: \{topic\}\n/);
    expect(review.description).toContain('the result of the last step');
    expect(review.description).toContain(`at least ${settings.agents.qualityControl.passThreshold}`);
    for (const check of settings.agents.qualityControl.checks) expect(review.description).toContain(`- ${check.id}:`);
    expect(review.expected_output).toBe(settings.agents.qualityControl.expectedOutput.trim());
  });

  test('each role calls the gateway under its agent’s own name (the reviewer under its own), whose base group the agent is configured with', () => {
    for (const file of Object.values<any>(files)) {
      for (const [key, role] of Object.entries<any>(file.roles)) {
        if (key === REVIEWER_ROLE) {
          expect(role.llm.model).toBe('agent-quality-reviewer');
          continue;
        }
        const agentId = key.replace(/_[0-9]+$/, '');
        expect(role.llm.model).toBe(agentModelName(agentId));
        expect(groups).toContain(settings.agents.members[agentId].modelGroup);
        expect(role.allow_delegation).toBe(false);
        expect(role).not.toHaveProperty('temperature');
        expect(role).not.toHaveProperty('max_tokens');
      }
    }
  });
});

describe('as PraisonAI 4.7.0 substitutes placeholders', () => {
  const rendered = ENVIRONMENTS.flatMap((env) =>
    Object.entries<any>(renderedAgentsFiles(env)).flatMap(([file, doc]) =>
      stringsOf(doc).map((s) => ({ where: `${env}/${file}: ${s.path}`, ...s, doc })),
    ),
  );
  const userMessage = 'I sleep badly and feel tired: {"since": "spring"}';

  test('the substitution mirrors the contract: {topic} only, every other brace literal', () => {
    expect(praisonSubstitute('For {topic}: keep {{this}}, {other}, {a, b} and a lone } or {.', 'sleep')).toBe(
      'For sleep: keep {{this}}, {other}, {a, b} and a lone } or {.',
    );
    // Not str.format: a doubled brace is not an escape, the inner {topic} is still replaced.
    expect(praisonSubstitute('{{topic}}', 'sleep')).toBe('{sleep}');
  });

  test('no rendered string keeps a {topic}, whether the topic comes from the request or the file', () => {
    const left = rendered.flatMap(({ where, text, doc }) =>
      [userMessage, doc.topic]
        .filter((topic) => praisonSubstitute(text, topic).includes('{topic}'))
        .map((topic) => `${where} (topic ${JSON.stringify(topic)})`),
    );
    expect(left).toEqual([]);
    // The prompts do use it: the first step of every workflow and the review get the user's message.
    expect(rendered.filter((r) => r.text.includes('{topic}')).length).toBeGreaterThan(0);
  });

  test('no rendered string has doubled braces: they would reach the model as they are', () => {
    expect(rendered.filter(({ text }) => text.includes('{{') || text.includes('}}')).map((r) => r.where)).toEqual([]);
  });

  test('no rendered string has a {name} placeholder PraisonAI would leave unfilled', () => {
    const unfilled = rendered.filter(({ text }) => /\{[a-zA-Z_][a-zA-Z0-9_]*\}/.test(praisonSubstitute(text, 'x')));
    expect(unfilled.map((r) => `${r.where}: ${r.text}`)).toEqual([]);
  });

  test('the first step of every workflow is given the user’s message', () => {
    for (const env of ENVIRONMENTS) {
      for (const [file, doc] of Object.entries<any>(renderedAgentsFiles(env))) {
        const first = Object.values<any>(Object.values<any>(doc.roles)[0].tasks)[0];
        expect({ file, hasTopic: first.description.includes('{topic}') }).toEqual({ file, hasTopic: true });
      }
    }
  });
});

describe('renderAgentsFile (pure), on fixture settings', () => {
  const agents = (overrides: Overrides<AgentsSettings> = {}): AgentsSettings => structuredClone(agentsFixture(overrides));

  test('one role per run of steps of one agent, then the review; tasks in step order', () => {
    const file = renderAgentsFile(agents(), 'alpha_flow');
    expect(file).toMatchObject({ framework: 'praisonai', topic: 'A fixture question.', process: 'sequential' });
    expect(file).not.toHaveProperty('manager_llm');
    expect(Object.entries<any>(file.roles).map(([key, r]) => [key, Object.keys(r.tasks)])).toEqual([
      ['scout', ['gather']],
      ['scribe', ['draft']],
      ['scout_2', ['check']],
      [REVIEWER_ROLE, [REVIEW_TASK]],
    ]);
    expect(file.roles.scout).toMatchObject({
      role: 'Fixture role of scout',
      goal: 'Fixture goal of scout',
      backstory: 'Fixture backstory of scout',
      llm: { model: 'agent-scout' },
      allow_delegation: false,
    });
    expect(file.roles.scout_2.role).toBe(file.roles.scout.role);
    expect(file.roles.scribe.tasks.draft).toEqual({ description: 'Fixture task draft.', expected_output: 'Fixture output of draft.' });
  });

  test('the review carries the configured threshold, checks and expected output', () => {
    const review = renderAgentsFile(agents(), 'alpha_flow').roles[REVIEWER_ROLE];
    expect(review.llm).toEqual({ model: 'agent-quality-reviewer' });
    expect(review.tasks[REVIEW_TASK].description).toMatch(/^The user wrote: \{topic\}\n/);
    expect(review.tasks[REVIEW_TASK].description).toContain('at least 0.55');
    expect(review.tasks[REVIEW_TASK].description).toContain('- fixture_clarity: Is it clear?');
    expect(review.tasks[REVIEW_TASK].description).toContain('- fixture_safety: Is it safe?');
    expect(review.tasks[REVIEW_TASK].expected_output).toBe('A fixture verdict.');
    const stricter = renderAgentsFile(agents({ qualityControl: { passThreshold: 0.9 } }), 'alpha_flow').roles[REVIEWER_ROLE];
    expect(stricter.tasks[REVIEW_TASK].description).toContain('at least 0.9');
  });

  test('texts go out as written, trimmed: braces are not escaped', () => {
    const a = agents();
    a.workflows.beta_flow.steps[0].description = '  Answer {topic}.\nReply as JSON like {"score": 0.9}; a lone } or {.\n';
    const file = renderAgentsFile(a, 'beta_flow');
    const description = file.roles.scribe.tasks.answer.description;
    expect(description).toBe('Answer {topic}.\nReply as JSON like {"score": 0.9}; a lone } or {.');
    expect(praisonSubstitute(description, 'sleep')).toBe('Answer sleep.\nReply as JSON like {"score": 0.9}; a lone } or {.');
  });

  test('no key PraisonAI 4.7.0 ignores is rendered', () => {
    const text = agentsYamlText(renderAgentsFile(agents(), 'alpha_flow'));
    for (const ignored of ['dependencies', 'max_iter', 'max_rpm', 'max_execution_time', 'context'])
      expect(text).not.toMatch(new RegExp(`^ *${ignored}:`, 'm'));
  });

  test('an agent coming back later gets a second role entry, consecutive steps share one', () => {
    const steps = ['xiaoai', 'xiaoai', 'soer', 'xiaoai', 'soer'].map((agent, i) => ({
      id: `s${i}`,
      agent,
      description: 'd',
      expectedOutput: 'e',
    }));
    expect(stepRoleKeys({ topic: 't', steps })).toEqual(['xiaoai', 'xiaoai', 'soer', 'xiaoai_2', 'soer_2']);
  });

  test('tools are rendered only when an agent has some', () => {
    const file = renderAgentsFile(agents({ members: { scribe: { tools: ['fixture_search'] } } }), 'alpha_flow');
    expect(file.roles.scribe.tools).toEqual(['fixture_search']);
    expect(file.roles.scout).not.toHaveProperty('tools');
  });

  test('a hierarchical workflow names its manager’s own gateway name, with the provider the LiteLLM SDK needs', () => {
    expect(renderAgentsFile(agents(), 'beta_flow')).toMatchObject({
      process: 'hierarchical',
      manager_llm: 'openai/agent-manager-beta-flow',
    });
  });

  test('the process defaults to agents.collaboration.mode', () => {
    const a = agents({ collaboration: { mode: 'hierarchical' } });
    a.workflows.alpha_flow.managerModelGroup = 'fixture-model';
    expect(renderAgentsFile(a, 'alpha_flow')).toMatchObject({
      process: 'hierarchical',
      manager_llm: 'openai/agent-manager-alpha-flow',
    });
  });

  test('the model is the agent’s gateway name whatever its base group', () => {
    const file = renderAgentsFile(agents({ members: { scribe: { modelGroup: 'another-group' } } }), 'alpha_flow');
    expect(file.roles.scribe.llm.model).toBe('agent-scribe');
  });
});
