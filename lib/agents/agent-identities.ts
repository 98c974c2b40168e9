import type { GatewayCaller, GatewayClients } from '../gateway';
import type { AgentsSettings } from './config';

/**
 * Who calls the gateway, and under which name. PraisonAI 4.7.0 sends every call of a process with
 * one key (contracts/praisonai/4.7.0.yaml, attribution.perProcessKey) and nothing else that names
 * the caller (llmRouting.requestAttributionFields); the only per-agent lever is the request's
 * `model`, which a role's `llm.model` sets verbatim (attribution.perAgentModelName). So every
 * caller of a workflow gets its own gateway model name, `agent-<identity>`:
 *
 * - each agent: `agent-xiaoai`, `agent-xiaoke`, `agent-laoke`, `agent-soer`;
 * - the quality reviewer appended to every workflow: `agent-quality-reviewer`;
 * - the manager of each hierarchical workflow: `agent-manager-<workflow>`.
 *
 * The gateway serves each name as a model group of its own, with copies of the deployments of the
 * group the caller is configured with (its base group) and the caller's budget
 * (lib/gateway/litellm-config.ts). LiteLLM labels a call with the requested model group
 * (`requested_model`), so metrics, spend logs and budgets are per caller; the workflow's key alias
 * (`api_key_alias`) says which workflow made the call.
 */

/**
 * A workflow id as a DNS label part: `health_consultation` → `health-consultation` (one-to-one,
 * since ids have no `-`). Its objects and its manager are named with it.
 */
export function workflowSlug(workflowId: string): string {
  return workflowId.replace(/_/g, '-');
}

/** Prefix of every caller's gateway model name; no configured model group may start with it. */
export const AGENT_MODEL_PREFIX = 'agent-';
/** Identity of the quality reviewer. Agent ids have no `-`, so it never collides with one. */
export const REVIEWER_IDENTITY = 'quality-reviewer';

/** Identity of a hierarchical workflow's manager: `manager-<workflow>` (`_` as `-`). */
export function managerIdentity(workflowId: string): string {
  return `manager-${workflowSlug(workflowId)}`;
}

/** The gateway model name of an identity: `agent-<identity>`. */
export function agentModelName(identity: string): string {
  return `${AGENT_MODEL_PREFIX}${identity}`;
}

/**
 * One caller of the gateway (its label reads `agent xiaoai (小艾)`, `the quality reviewer`,
 * `the manager of workflow product_customization`).
 */
export type AgentIdentity = GatewayCaller;

/**
 * Every caller the agent config declares: each agent of `agents.members` (in config order), the
 * quality reviewer, and the manager of each hierarchical workflow (in workflow id order).
 */
export function agentIdentities(agents: AgentsSettings): AgentIdentity[] {
  const members = Object.entries(agents.members).map(([id, m]) => ({
    id,
    label: `agent ${id} (${m.chineseName})`,
    modelName: agentModelName(id),
    baseGroup: m.modelGroup,
    baseGroupPath: ['agents', 'members', id, 'modelGroup'],
  }));
  const reviewer = {
    id: REVIEWER_IDENTITY,
    label: 'the quality reviewer',
    modelName: agentModelName(REVIEWER_IDENTITY),
    baseGroup: agents.qualityControl.reviewer.modelGroup,
    baseGroupPath: ['agents', 'qualityControl', 'reviewer', 'modelGroup'],
  };
  const managers = Object.keys(agents.workflows)
    .sort()
    .filter((w) => (agents.workflows[w].process ?? agents.collaboration.mode) === 'hierarchical' && agents.workflows[w].managerModelGroup)
    .map((w) => ({
      id: managerIdentity(w),
      label: `the manager of workflow ${w}`,
      modelName: agentModelName(managerIdentity(w)),
      baseGroup: agents.workflows[w].managerModelGroup!,
      baseGroupPath: ['agents', 'workflows', w, 'managerModelGroup'],
    }));
  return [...members, reviewer, ...managers];
}

/**
 * The gateway model names one workflow calls: its steps' agents (in step order, once each), the
 * reviewer, and its manager when hierarchical. Its virtual key may call exactly these.
 */
export function workflowModelNames(agents: AgentsSettings, workflowId: string): string[] {
  const workflow = agents.workflows[workflowId];
  if (!workflow) throw new Error(`no workflow ${JSON.stringify(workflowId)}`);
  const hierarchical = (workflow.process ?? agents.collaboration.mode) === 'hierarchical' && workflow.managerModelGroup;
  const ids = [...new Set(workflow.steps.map((s) => s.agent)), REVIEWER_IDENTITY, ...(hierarchical ? [managerIdentity(workflowId)] : [])];
  return ids.map(agentModelName);
}

/**
 * Who calls the gateway in an environment: every caller with its own model name, and every
 * workflow with its own key, limited to its callers' names. The registry hands this to the
 * gateway, which so knows its callers without importing the agents.
 */
export function gatewayClients(settings: { readonly agents: AgentsSettings }): GatewayClients {
  const agents = settings.agents;
  return {
    callers: agentIdentities(agents),
    workflows: Object.keys(agents.workflows).map((id) => ({ id, models: workflowModelNames(agents, id) })),
    modelPrefix: AGENT_MODEL_PREFIX,
  };
}
