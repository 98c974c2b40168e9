import { closestMatch } from '../config/closest-match';
import type { CrossFieldProblem } from '../config/cross-checks';
import { type Contract, ContractSet, MissingContractError } from '../contracts/contract';
import type { CrossCheck } from '../platform/component-descriptor';
import type { GatewaySettings } from './config';
import { providerOf } from './model-groups';

type Path = (string | number)[];

/** Lists up to this many allowed values in full; longer lists get a suggestion and the contract file. */
const LISTED_IN_FULL = 12;

/** The contract of the pinned LiteLLM image, or the problem that there is none. */
function pinnedLiteLlm(settings: { readonly gateway: GatewaySettings }): Contract | CrossFieldProblem {
  const image = settings.gateway.image;
  try {
    return ContractSet.load().forImage(image.repository, image.tag);
  } catch (error) {
    if (!(error instanceof MissingContractError)) throw error;
    const versions = ContractSet.load().versionsOf('litellm');
    return {
      path: ['gateway', 'image', 'tag'],
      expected: `a LiteLLM version with a contract in contracts/litellm/ (${versions.join(', ')}); a new version needs its contract first (contracts/README.md)`,
      found: JSON.stringify(image.tag),
    };
  }
}

/** `expected` for a value outside a contract's list: the list, or a suggestion and where to look. */
function oneOfExpected(contract: Contract, what: string, values: readonly string[], found: string): string {
  const suggestion = closestMatch(found, values);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  if (values.length <= LISTED_IN_FULL) return `one of [${values.join(', ')}] (${contract.title})${hint}`;
  const file = contract.file.replace(/^.*contracts\//, 'contracts/');
  return `${what} that ${contract.title} knows (${values.length} of them, listed in ${file})${hint}`;
}

function notIn(contract: Contract, path: Path, what: string, values: readonly string[], found: string): CrossFieldProblem[] {
  return values.includes(found) ? [] : [{ path, expected: oneOfExpected(contract, what, values, found), found: JSON.stringify(found) }];
}

/** The unit of a LiteLLM duration such as `30d` (the schema guarantees the shape). */
const unitOf = (duration: string) => duration.replace(/^[0-9]+/, '');

/**
 * Budget periods reset through a parser that knows fewer units than the other durations: any
 * other unit silently resets at the next midnight, and months only as `1mo`.
 */
function budgetPeriod(contract: Contract, path: Path, value: string): CrossFieldProblem[] {
  const units = contract.values('enums', 'budgetResetUnits');
  const unit = unitOf(value);
  if (!units.includes(unit)) {
    return [
      {
        path,
        expected: `a budget period in one of the units [${units.join(', ')}] (${contract.title} resets any other unit at the next midnight)`,
        found: JSON.stringify(value),
      },
    ];
  }
  if (unit === 'mo' && value !== '1mo')
    return [{ path, expected: `months only as "1mo" (${contract.title})`, found: JSON.stringify(value) }];
  return [];
}

/**
 * Config that names something the pinned LiteLLM lacks fails here, naming the contract version:
 * the routing strategy, every provider prefix, provider budgets, and the units of every duration
 * LiteLLM parses (contracts/litellm/<tag>.yaml, `enums`).
 */
export const namesWhatPinnedLiteLlmHas: CrossCheck<{ readonly gateway: GatewaySettings }> = (settings) => {
  const contract = pinnedLiteLlm(settings);
  if (!('data' in contract)) return [contract];
  const g = settings.gateway;
  const providers = contract.values('enums', 'providerPrefixes');
  const durationUnits = contract.values('enums', 'durationUnits');
  const duration = (path: Path, value: string) =>
    durationUnits.includes(unitOf(value))
      ? []
      : [
          {
            path,
            expected: `a duration in one of the units [${durationUnits.join(', ')}] (${contract.title})`,
            found: JSON.stringify(value),
          },
        ];
  return [
    ...notIn(
      contract,
      ['gateway', 'routing', 'strategy'],
      'a routing strategy',
      contract.values('enums', 'routingStrategies'),
      g.routing.strategy,
    ),
    ...Object.entries(g.modelGroups).flatMap(([group, m]) =>
      m.deployments.flatMap((d, i) =>
        notIn(contract, ['gateway', 'modelGroups', group, 'deployments', i, 'model'], 'a provider prefix', providers, providerOf(d.model)),
      ),
    ),
    ...Object.entries(g.budget.providerBudgets).flatMap(([provider, b]) => [
      ...notIn(contract, ['gateway', 'budget', 'providerBudgets', provider], 'a provider', providers, provider),
      ...duration(['gateway', 'budget', 'providerBudgets', provider, 'timePeriod'], b.timePeriod),
    ]),
    ...duration(['gateway', 'spendStore', 'spendLogsRetention'], g.spendStore.spendLogsRetention),
    ...budgetPeriod(contract, ['gateway', 'budget', 'budgetDuration'], g.budget.budgetDuration),
    // A workflow key's budget resets through the key budget parser; an agent's budget is a
    // deployment budget, whose window the router's budget limiter parses like other durations.
    ...Object.entries(g.workflowKeys).flatMap(([workflow, key]) =>
      budgetPeriod(contract, ['gateway', 'workflowKeys', workflow, 'budgetDuration'], key.budgetDuration),
    ),
    ...Object.entries(g.agentBudgets).flatMap(([agent, budget]) =>
      duration(['gateway', 'agentBudgets', agent, 'budgetDuration'], budget.budgetDuration),
    ),
  ];
};
