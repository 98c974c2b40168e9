import { durationSeconds } from '../config/fields';
import type { GatewaySettings } from '../gateway';
import { envVarName } from '../platform/env-var-name';
import { endpointUrl } from '../platform/service-endpoint';
import type { AgentsSettings } from './config';
import { workflowEndpoint } from './workflow-runtime';

/** What the agents' layer keys are rendered from: their section, and their model groups' defaults. */
export type AgentLayerSettings = { readonly agents: AgentsSettings; readonly gateway: Pick<GatewaySettings, 'modelGroups'> };

/**
 * The agent framework's part of the agent layer: per agent its role, and the temperature and max
 * tokens of its gateway model group (PraisonAI has no per-agent fields for them, so the gateway
 * applies them; these keys let clients report them); the workflows, the shared knowledge store
 * and the quality threshold.
 */
export function agentFrameworkLayer(settings: AgentLayerSettings): Record<string, string> {
  const agents = settings.agents;
  const data: Record<string, string> = {};
  for (const [id, member] of Object.entries(agents.members)) {
    const p = envVarName(id);
    data[`${p}_ROLE`] = member.role.trim();
    const group = settings.gateway.modelGroups[member.modelGroup];
    if (group) {
      data[`${p}_TEMPERATURE`] = String(group.temperature);
      data[`${p}_MAX_TOKENS`] = String(group.maxTokens);
    }
  }
  data.WORKFLOW_IDS = Object.keys(agents.workflows).sort().join(',');
  data.KNOWLEDGE_BACKEND = agents.knowledge.backend;
  data.KNOWLEDGE_NAMESPACE = agents.knowledge.namespace;
  data.KNOWLEDGE_SCOPE = agents.knowledge.scope;
  data.KNOWLEDGE_TTL = agents.knowledge.ttl;
  data.KNOWLEDGE_TTL_SECONDS = String(durationSeconds(agents.knowledge.ttl));
  data.QUALITY_CHECKS = agents.qualityControl.checks.map((c) => c.id).join(',');
  data.QUALITY_PASS_THRESHOLD = String(agents.qualityControl.passThreshold);
  return data;
}

/**
 * The agents' keys of the global layer: service discovery of the workflows (`WORKFLOW_<ID>_URL`,
 * the Service of each runtime; clients POST /agents there), whether agents collaborate, and which
 * are enabled.
 */
export function agentGlobalLayer(agents: AgentsSettings): Record<string, string> {
  const workflowUrls = Object.keys(agents.workflows)
    .sort()
    .map((id) => [`WORKFLOW_${envVarName(id)}_URL`, endpointUrl(workflowEndpoint(id, agents.runtime.port))]);
  const enabledAgents = Object.entries(agents.members).filter(([, a]) => a.enabled);
  return {
    ...Object.fromEntries(workflowUrls),
    AGENT_COLLABORATION_ENABLED: String(agents.collaboration.enabled),
    AGENT_IDS: enabledAgents.map(([id]) => id).join(','),
  };
}

/**
 * The agent layer: for each agent its gateway model group, timeout, retries, speciality and
 * whether it is enabled (`XIAOAI_MODEL`, …), the collaboration settings, and the framework's part
 * (agentFrameworkLayer).
 */
export function renderAgentLayer(settings: AgentLayerSettings): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [id, agent] of Object.entries(settings.agents.members)) {
    const p = envVarName(id);
    data[`${p}_NAME`] = agent.chineseName;
    data[`${p}_MODEL`] = agent.modelGroup;
    data[`${p}_TIMEOUT`] = agent.timeout;
    data[`${p}_MAX_RETRIES`] = String(agent.retries);
    data[`${p}_SPECIALITY`] = agent.speciality;
    data[`${p}_ENABLED`] = String(agent.enabled);
  }
  const c = settings.agents.collaboration;
  data.COLLABORATION_MODE = c.mode;
  data.COLLABORATION_TIMEOUT = c.timeout;
  data.KNOWLEDGE_SHARING_ENABLED = String(c.knowledgeSharing);
  data.RESULT_SYNTHESIS_ENABLED = String(c.resultSynthesis);
  return { ...data, ...agentFrameworkLayer(settings) };
}
