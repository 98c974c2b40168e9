import { ORCHESTRATOR_NAME, WORKFLOWS_DIR, WORKFLOWS_VERSION_ANNOTATION } from '../../lib/agents/agent-orchestrator';
import {
  escapeFormatBraces,
  renderAgentsFile,
  REVIEW_TASK,
  REVIEWER_ROLE,
  stepRoleKeys,
  workflowFileName,
} from '../../lib/agents/render-agents-yaml';
import { loadEnvironment } from '../../lib/config/load-environment';
import type { AgentsSettings } from '../../lib/config/sections/agents';
import { gatewayModelGroups } from '../../lib/gateway/model-groups';
import { CONFIG_DIR, ENVIRONMENTS, findObject, objectsOf } from '../support/environments';
import { FormatCase, pythonFormat, renderedAgentsFiles, workflowsConfigMap } from './support';

const TOP_LEVEL_KEYS = ['framework', 'topic', 'process', 'manager_llm', 'roles', 'dependencies'];
const ROLE_KEYS = ['role', 'goal', 'backstory', 'llm', 'allow_delegation', 'max_iter', 'max_rpm', 'max_execution_time', 'tools', 'tasks'];
const TASK_KEYS = ['description', 'expected_output', 'context'];
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

/** Task keys of a parsed agents.yaml in the order PraisonAI creates (and, sequentially, runs) them. */
function taskOrder(file: any): string[] {
  return Object.values<any>(file.roles).flatMap((r) => Object.keys(r.tasks));
}

describe.each(ENVIRONMENTS)('the agents.yaml files of %s', (env) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  const groups = gatewayModelGroups(settings);
  const files = renderedAgentsFiles(env);

  test('there is one file per workflow', () => {
    expect(Object.keys(files).sort()).toEqual(Object.keys(settings.agents.workflows).map(workflowFileName).sort());
    expect(Object.keys(files)).toContain('health_consultation.yaml');
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(2);
  });

  test.each(Object.keys(settings.agents.workflows))('%s has the structure PraisonAI requires', (workflowId) => {
    const file = files[workflowFileName(workflowId)];
    const workflow = settings.agents.workflows[workflowId];
    expect(TOP_LEVEL_KEYS).toEqual(expect.arrayContaining(Object.keys(file)));
    expect(file.framework).toBe('praisonai');
    expect(nonEmpty(file.topic)).toBe(true);
    expect(file.process).toBe(workflow.process ?? settings.agents.collaboration.mode);
    if (file.process === 'hierarchical') expect(groups).toContain(file.manager_llm);
    else expect(file).not.toHaveProperty('manager_llm');
    expect(Object.keys(file.roles).length).toBeGreaterThan(1);
    for (const [key, role] of Object.entries<any>(file.roles)) {
      expect({ key, extra: Object.keys(role).filter((k) => !ROLE_KEYS.includes(k)) }).toEqual({ key, extra: [] });
      expect([key, nonEmpty(role.role), nonEmpty(role.goal), nonEmpty(role.backstory)]).toEqual([key, true, true, true]);
      // 2.2.x needs llm as a dict; its model must be a gateway group, never provider-prefixed.
      expect(Object.keys(role.llm)).toEqual(['model']);
      expect(groups).toContain(role.llm.model);
      expect(role.llm.model).not.toContain('/');
      expect(Object.keys(role.tasks).length).toBeGreaterThan(0);
      for (const task of Object.values<any>(role.tasks)) {
        expect(Object.keys(task).sort()).toEqual([...TASK_KEYS].sort());
        expect([nonEmpty(task.description), nonEmpty(task.expected_output), Array.isArray(task.context)]).toEqual([true, true, true]);
      }
    }
    // Tasks are created, and run, in declaration order: it must be the order of the steps,
    // then the review; context may only name tasks that come earlier.
    const order = taskOrder(file);
    expect(order).toEqual([...workflow.steps.map((s) => s.id), REVIEW_TASK]);
    const tasks = Object.values<any>(file.roles).flatMap((r) => Object.entries<any>(r.tasks));
    tasks.forEach(([name, task], i) => {
      for (const ref of task.context) expect({ task: name, ref, earlier: order.slice(0, i).includes(ref) }).toEqual({ task: name, ref, earlier: true });
    });
  });

  test.each(Object.keys(settings.agents.workflows))('%s ends with the quality review of every step', (workflowId) => {
    const file = files[workflowFileName(workflowId)];
    const roleKeys = Object.keys(file.roles);
    expect(roleKeys[roleKeys.length - 1]).toBe(REVIEWER_ROLE);
    const review = file.roles[REVIEWER_ROLE].tasks[REVIEW_TASK];
    expect(review.context).toEqual(settings.agents.workflows[workflowId].steps.map((s) => s.id));
    expect(review.description).toContain(`at least ${settings.agents.qualityControl.passThreshold}`);
    for (const check of settings.agents.qualityControl.checks) expect(review.description).toContain(`- ${check.id}:`);
    expect(review.expected_output).toBe(settings.agents.qualityControl.expectedOutput.trim());
  });

  test('each role runs on its agent’s model group, with the agent’s limits', () => {
    for (const file of Object.values<any>(files)) {
      for (const [key, role] of Object.entries<any>(file.roles)) {
        if (key === REVIEWER_ROLE) continue;
        const member = settings.agents.members[key.replace(/_[0-9]+$/, '')];
        expect(role.llm.model).toBe(member.modelGroup);
        expect(role.max_rpm).toBe(member.limits.maxRequestsPerMinute);
        expect(role.max_iter).toBe(member.limits.maxIterations);
        expect(role.allow_delegation).toBe(false);
        expect(role).not.toHaveProperty('temperature');
        expect(role).not.toHaveProperty('max_tokens');
      }
    }
  });

  test('the orchestrator mounts the workflows as a whole directory and rolls when they change', () => {
    const cm = workflowsConfigMap(objectsOf(env));
    expect(cm.immutable).toBe(true);
    const pod = findObject(env, 'Deployment', ORCHESTRATOR_NAME).spec.template;
    const volume = pod.spec.volumes.find((v: any) => v.configMap?.name === cm.metadata.name);
    expect(volume).toBeDefined();
    const mount = pod.spec.containers[0].volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount).toEqual({ name: volume.name, mountPath: WORKFLOWS_DIR, readOnly: true });
    expect(pod.metadata.annotations[WORKFLOWS_VERSION_ANNOTATION]).toMatch(/^[0-9a-f]{10}$/);
    expect(pod.metadata.annotations[WORKFLOWS_VERSION_ANNOTATION]).toBe(cm.metadata.annotations?.['suoke.life/config-version']);
  });
});

test('health_consultation runs xiaoai → xiaoke → laoke → soer, then synthesis, then the review', () => {
  const file = renderedAgentsFiles('prod')['health_consultation.yaml'];
  expect(file.process).toBe('sequential');
  expect(Object.entries<any>(file.roles).map(([key, r]) => [key, Object.keys(r.tasks)])).toEqual([
    ['xiaoai', ['health_assessment']],
    ['xiaoke', ['symptom_analysis']],
    ['laoke', ['treatment_advice']],
    ['soer', ['lifestyle_plan']],
    ['xiaoai_2', ['synthesis']],
    [REVIEWER_ROLE, [REVIEW_TASK]],
  ]);
  expect(file.roles.xiaoai_2.role).toBe(file.roles.xiaoai.role);
});

test('a hierarchical workflow names its manager model group', () => {
  const file = renderedAgentsFiles('dev')['product_customization.yaml'];
  expect(file.process).toBe('hierarchical');
  expect(file.manager_llm).toBe(loadEnvironment(CONFIG_DIR, 'dev').settings.agents.workflows.product_customization.managerModelGroup);
});

test('Python formats every rendered string with the topic, and literal braces survive', () => {
  const cases: (FormatCase & { expected?: string })[] = [];
  for (const env of ENVIRONMENTS) {
    for (const file of Object.values<any>(renderedAgentsFiles(env))) {
      for (const role of Object.values<any>(file.roles)) {
        for (const text of [role.role, role.goal, role.backstory]) cases.push({ text, topic: file.topic });
        for (const task of Object.values<any>(role.tasks)) cases.push({ text: task.description, topic: file.topic }, { text: task.expected_output, topic: file.topic });
      }
    }
  }
  const literal = 'Reply as JSON like {"score": 0.9} for {topic}; keep {{this}} and a lone } or {.';
  cases.push({ text: escapeFormatBraces(literal), topic: 'sleep', expected: 'Reply as JSON like {"score": 0.9} for sleep; keep {{this}} and a lone } or {.' });
  // The synthesis step's literal section list must reach the model with single braces.
  const synthesis = renderedAgentsFiles('dev')['health_consultation.yaml'].roles.xiaoai_2.tasks.synthesis.expected_output;
  cases.push({ text: synthesis, topic: 't' });
  const results = pythonFormat(cases);
  expect(results.filter((r) => 'error' in r)).toEqual([]);
  expect(results[results.length - 2]).toEqual({ ok: cases[cases.length - 2].expected });
  expect(results[results.length - 1]).toEqual({ ok: expect.stringContaining('with the sections {summary, assessment') });
});

describe('renderAgentsFile (pure)', () => {
  const agents = (): AgentsSettings => structuredClone(loadEnvironment(CONFIG_DIR, 'dev').settings.agents);

  test('escapes braces but keeps {topic}', () => {
    expect(escapeFormatBraces('a {b} {topic} c}')).toBe('a {{b}} {topic} c}}');
    expect(escapeFormatBraces('{topic}{topic}')).toBe('{topic}{topic}');
  });

  test('an agent coming back later gets a second role entry, consecutive steps share one', () => {
    const steps = ['xiaoai', 'xiaoai', 'soer', 'xiaoai', 'soer'].map((agent, i) => ({ id: `s${i}`, agent, description: 'd', expectedOutput: 'e' }));
    expect(stepRoleKeys({ topic: 't', steps })).toEqual(['xiaoai', 'xiaoai', 'soer', 'xiaoai_2', 'soer_2']);
  });

  test('tools are rendered only when an agent has some', () => {
    const a = agents();
    a.members.laoke.tools = ['tcm_knowledge_search'];
    const file = renderAgentsFile(a, 'knowledge_question');
    expect(file.roles.laoke.tools).toEqual(['tcm_knowledge_search']);
    expect(file.roles.soer).not.toHaveProperty('tools');
  });

  test('the process defaults to agents.collaboration.mode', () => {
    const a = agents();
    delete a.workflows.knowledge_question.process;
    a.collaboration.mode = 'hierarchical';
    a.workflows.knowledge_question.managerModelGroup = 'gpt-4';
    expect(renderAgentsFile(a, 'knowledge_question')).toMatchObject({ process: 'hierarchical', manager_llm: 'gpt-4' });
  });

  test('a provider-prefixed model is refused: it would bypass the gateway', () => {
    const a = agents();
    a.members.soer.modelGroup = 'gemini/gemini-pro';
    expect(() => renderAgentsFile(a, 'knowledge_question')).toThrow(/bypass the gateway/);
  });
});
