import type { EnvironmentSettings } from '../config/schema';
import { envVarName } from '../platform/env-var-name';

/** Whole seconds of a validated duration such as `30s`, `2m` or `1h30m`. */
export function durationSeconds(value: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  let total = 0;
  for (const [, n, u] of value.matchAll(/([0-9]+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * unit[u];
  return Math.max(1, Math.round(total));
}

/**
 * The agent framework's part of the agent layer: per agent its role, and the temperature and max
 * tokens of its gateway model group (PraisonAI has no per-agent fields for them, so the gateway
 * applies them; these keys let clients report them); the workflows, the shared knowledge store
 * and the quality threshold.
 */
export function agentFrameworkLayer(settings: EnvironmentSettings): Record<string, string> {
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
