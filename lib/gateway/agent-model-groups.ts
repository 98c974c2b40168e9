import type { BudgetConfig, GatewaySettings } from './config';

/**
 * The gateway side of per-agent attribution: one model group per caller, named `agent-<identity>`,
 * made of copies of its base group's deployments, each copy with its share of the caller's budget.
 * Pure data for the config renderer and the checks. Who the callers are is the agents' to say
 * (lib/agents/agent-identities.ts); the registry passes them in as GatewayClients.
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

/** One caller of the gateway with a model name of its own: an agent, the reviewer, a manager. */
export interface GatewayCaller {
  /** `xiaoai`, `quality-reviewer`, `manager-product-customization`: the key of its budget in `gateway.agentBudgets`. */
  readonly id: string;
  /** Who it is, for messages: `agent xiaoai (小艾)`, `the quality reviewer`. */
  readonly label: string;
  /** Its gateway model name, `agent-<id>`: the `requested_model` of its calls. */
  readonly modelName: string;
  /** The configured model group whose deployments, temperature and max tokens it uses. */
  readonly baseGroup: string;
  /** Where the base group is configured, for messages. */
  readonly baseGroupPath: readonly (string | number)[];
}

/** One workflow calling the gateway with a virtual key of its own. */
export interface GatewayWorkflow {
  /** Workflow id: the key's alias and its `gateway.workflowKeys` entry. */
  readonly id: string;
  /** The gateway model names its callers use: exactly what its key may call. */
  readonly models: readonly string[];
}

/** Who calls the gateway in an environment, as the agents declare them. */
export interface GatewayClients {
  /** Every caller with a model name of its own. */
  readonly callers: readonly GatewayCaller[];
  /** Every workflow with a key of its own. */
  readonly workflows: readonly GatewayWorkflow[];
  /** Prefix of every caller's model name; no configured model group may start with it. */
  readonly modelPrefix: string;
}

/** One caller's model group. */
export interface AgentModelGroup {
  /** The caller. */
  readonly identity: GatewayCaller;
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
export function agentModelGroups(gateway: GatewaySettings, callers: readonly GatewayCaller[]): AgentModelGroup[] {
  return callers.flatMap((identity) => {
    const budget = gateway.agentBudgets[identity.id];
    const base = gateway.modelGroups[identity.baseGroup];
    if (!budget || !base) return [];
    return [{ identity, budget, budgetPerDeployment: budgetShare(budget.maxBudget, base.deployments.length) }];
  });
}
