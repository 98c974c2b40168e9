import { agentIdentities, type AgentIdentity } from '../agents/agent-identities';
import type { EnvironmentSettings } from '../config/schema';
import type { BudgetConfig } from '../config/sections/gateway';

/**
 * The gateway side of per-agent attribution (lib/agents/agent-identities.ts): one model group per
 * caller, named `agent-<identity>`, made of copies of its base group's deployments, each copy with
 * its share of the caller's budget. Pure data for the config renderer and the checks.
 *
 * Why copies and not LiteLLM's `model_group_alias`: a budget needs deployments of its own.
 * LiteLLM v1.81.0-stable budgets deployments by `model_info.id` (`litellm_params.max_budget` and
 * `budget_duration`, litellm/router_strategy/budget_limiter.py:762-795, counted per model id in the
 * router's cache, lines 384-394, and filtered before routing, lines 189-205), in open source
 * (tag budgets, lines 797-805, are Enterprise-only). An alias shares the base group's deployments,
 * and a key's `model_max_budget` keys its spend on the provider model and a fixed "1d" window
 * (litellm/proxy/hooks/model_max_budget_limiter.py:173-181) while checking the requested model and
 * the configured window (lines 54-72, 101), so it would never count an agent's spend.
 */

/** One caller's model group. */
export interface AgentModelGroup {
  /** The caller. */
  readonly identity: AgentIdentity;
  /** Its budget (`gateway.agentBudgets.<identity>`). */
  readonly budget: BudgetConfig;
  /** USD each of its deployments may spend per period: the budget split evenly, rounded down to the cent. */
  readonly budgetPerDeployment: number;
}

/** The budget split over `deployments` copies, rounded down to the cent so the copies never exceed it together. */
export function budgetShare(maxBudget: number, deployments: number): number {
  return Math.floor((maxBudget * 100) / deployments) / 100;
}

/**
 * Every caller's model group, in identity order. Callers without a budget or on an unknown base
 * group are left out here; the config checks report them (lib/gateway/gateway-checks.ts).
 */
export function agentModelGroups(settings: Pick<EnvironmentSettings, 'gateway' | 'agents'>): AgentModelGroup[] {
  return agentIdentities(settings.agents).flatMap((identity) => {
    const budget = settings.gateway.agentBudgets[identity.id];
    const base = settings.gateway.modelGroups[identity.baseGroup];
    if (!budget || !base) return [];
    return [{ identity, budget, budgetPerDeployment: budgetShare(budget.maxBudget, base.deployments.length) }];
  });
}
