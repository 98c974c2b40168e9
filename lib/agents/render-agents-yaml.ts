import * as yaml from 'js-yaml';
import type { AgentMember, AgentsSettings, WorkflowConfig } from './config';
import { agentModelName, managerIdentity, REVIEWER_IDENTITY } from './agent-identities';

/**
 * Renders each workflow of `agents.workflows` into a PraisonAI agents.yaml (the `roles` form),
 * holding only the keys the pinned PraisonAI (4.7.0) acts on: contracts/praisonai/4.7.0.yaml,
 * `agentsYamlKeys`. Keys it accepts but ignores (`dependencies`, `max_iter`, `max_rpm`,
 * `max_execution_time`, task `context`) are not rendered. Plain data in, plain data out: no cdk8s here.
 *
 * What 4.7.0 does with the file (same contract):
 * - `{topic}` in role, goal, backstory, description and expected output is replaced, by a regex
 *   (not Python's `str.format`), with the user's request (the query of `POST /agents`); the
 *   file's `topic` is used only when the query is empty. Any other brace reaches the model as
 *   written, so texts are rendered as written (trimmed), with no escaping.
 * - Tasks run in declaration order, role by role, and each task receives only the output of the
 *   task before it.
 */

/** A PraisonAI task. */
export interface PraisonTask {
  readonly description: string;
  readonly expected_output: string;
}

/** A PraisonAI role (an agent of the team). */
export interface PraisonRole {
  readonly role: string;
  readonly goal: string;
  readonly backstory: string;
  /** PraisonAI reads only `model` from it: the agent's gateway model name (`agent-<id>`). */
  readonly llm: { readonly model: string };
  readonly allow_delegation: boolean;
  readonly tools?: readonly string[];
  readonly tasks: Readonly<Record<string, PraisonTask>>;
}

/** A whole PraisonAI agents.yaml. */
export interface PraisonAgentsFile {
  readonly framework: 'praisonai';
  /** Replaced by the user's request on every call with one; the default for an empty request. */
  readonly topic: string;
  readonly process: 'sequential' | 'hierarchical';
  readonly manager_llm?: string;
  readonly roles: Readonly<Record<string, PraisonRole>>;
}

/** Role key of the quality reviewer; agent ids cannot contain `_`, so it never collides with one. */
export const REVIEWER_ROLE = 'quality_reviewer';
/** Task key of the review appended to every workflow; a step may not use it. */
export const REVIEW_TASK = 'quality_review';

/** Config text as it goes into agents.yaml: trimmed (YAML block scalars end in a newline), otherwise as written. */
function promptText(text: string): string {
  return text.trim();
}

/**
 * A caller's gateway model name as a role's `llm.model`. Sent verbatim as the request's `model`
 * through the OpenAI client to OPENAI_API_BASE (the gateway) only when it has no `/`: a `/` would
 * hand the call to the LiteLLM SDK, which sends `anthropic/…` or `gemini/…` straight to the
 * provider, past the gateway (contracts/praisonai/4.7.0.yaml, llmRouting).
 */
function roleModel(identity: string): string {
  const name = agentModelName(identity);
  if (name.includes('/')) throw new Error(`model ${JSON.stringify(name)} has a "/": PraisonAI would call it past the gateway`);
  return name;
}

/**
 * A manager's gateway model name as `manager_llm`. The manager always calls through the LiteLLM
 * SDK with no base URL of its own, and the SDK refuses a model it does not know without a provider;
 * with `openai/` it takes OPENAI_BASE_URL/OPENAI_API_BASE (the gateway) and OPENAI_API_KEY and
 * strips the prefix, so the gateway sees `agent-manager-<workflow>`
 * (contracts/praisonai/4.7.0.yaml, llmRouting.hierarchicalManagerGatewayModel).
 */
export const MANAGER_MODEL_PROVIDER = 'openai/';
function managerModel(workflowId: string): string {
  return `${MANAGER_MODEL_PROVIDER}${agentModelName(managerIdentity(workflowId))}`;
}

function agentRole(agentId: string, member: AgentMember, tasks: Record<string, PraisonTask>): PraisonRole {
  return {
    role: promptText(member.role),
    goal: promptText(member.goal),
    backstory: promptText(member.backstory),
    llm: { model: roleModel(agentId) },
    // Agents follow the workflow; delegation would let one hand its step to another.
    allow_delegation: false,
    ...(member.tools.length > 0 ? { tools: [...member.tools] } : {}),
    tasks,
  };
}

/**
 * The review task's description: what the user asked, every check, and the threshold each score
 * must reach. Like every task, the review receives only the output of the task before it: the
 * workflow's last step, which must therefore be the whole answer for the user.
 */
export function reviewDescription(quality: AgentsSettings['qualityControl']): string {
  const checks = quality.checks.map((c) => `- ${c.id}: ${c.description.trim()}`);
  return [
    'The user wrote: {topic}',
    'You receive the answer the team prepared for the user (the result of the last step). Review it before it reaches the user.',
    'Score each check from 0 to 1:',
    ...checks,
    `The answer passes only if every score is at least ${quality.passThreshold}. If it fails, name the failed checks,`,
    'explain why, and give a corrected answer that passes.',
  ].join('\n');
}

/**
 * Role keys of a workflow's steps, in order. PraisonAI runs tasks in declaration order, role by
 * role, so each run of consecutive steps by one agent becomes one role entry; an agent that comes
 * back later (xiaoai's synthesis after soer, say) gets a second entry `<id>_<n>`.
 */
export function stepRoleKeys(workflow: WorkflowConfig): string[] {
  const runs = new Map<string, number>();
  return workflow.steps.map((step, i) => {
    const continuesRun = i > 0 && workflow.steps[i - 1].agent === step.agent;
    if (!continuesRun) runs.set(step.agent, (runs.get(step.agent) ?? 0) + 1);
    const n = runs.get(step.agent)!;
    return n === 1 ? step.agent : `${step.agent}_${n}`;
  });
}

/** The PraisonAI agents.yaml of one workflow, as data. */
export function renderAgentsFile(agents: AgentsSettings, workflowId: string): PraisonAgentsFile {
  const workflow = agents.workflows[workflowId];
  if (!workflow) throw new Error(`no workflow ${JSON.stringify(workflowId)}`);
  const process = workflow.process ?? agents.collaboration.mode;
  const keys = stepRoleKeys(workflow);
  const roles: Record<string, PraisonRole> = {};
  const tasksOf: Record<string, Record<string, PraisonTask>> = {};
  workflow.steps.forEach((step, i) => {
    const member = agents.members[step.agent];
    if (!member) throw new Error(`workflow ${workflowId}: step ${step.id} names the unknown agent ${step.agent}`);
    const key = keys[i];
    if (!tasksOf[key]) {
      tasksOf[key] = {};
      roles[key] = agentRole(step.agent, member, tasksOf[key]);
    }
    tasksOf[key][step.id] = {
      description: promptText(step.description),
      expected_output: promptText(step.expectedOutput),
    };
  });
  const quality = agents.qualityControl;
  roles[REVIEWER_ROLE] = {
    role: promptText(quality.reviewer.role),
    goal: promptText(quality.reviewer.goal),
    backstory: promptText(quality.reviewer.backstory),
    llm: { model: roleModel(REVIEWER_IDENTITY) },
    allow_delegation: false,
    tasks: {
      [REVIEW_TASK]: {
        description: promptText(reviewDescription(quality)),
        expected_output: promptText(quality.expectedOutput),
      },
    },
  };
  return {
    framework: 'praisonai',
    topic: workflow.topic.trim(),
    process,
    ...(process === 'hierarchical' && workflow.managerModelGroup ? { manager_llm: managerModel(workflowId) } : {}),
    roles,
  };
}

/** YAML text of an agents.yaml. Key order is kept: it is the order tasks run in. */
export function agentsYamlText(file: PraisonAgentsFile): string {
  return yaml.dump(file, { lineWidth: -1, noRefs: true, sortKeys: false, quotingType: '"' });
}

/** File name of a workflow's agents.yaml (in its ConfigMap and in its pods' /etc/praisonai). */
export function workflowFileName(workflowId: string): string {
  return `${workflowId}.yaml`;
}

/** Every workflow's agents.yaml, by file name, in workflow id order. */
export function renderWorkflowFiles(agents: AgentsSettings): Record<string, string> {
  return Object.fromEntries(
    Object.keys(agents.workflows)
      .sort()
      .map((id) => [workflowFileName(id), agentsYamlText(renderAgentsFile(agents, id))]),
  );
}
