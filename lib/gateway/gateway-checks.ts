import type { CrossFieldProblem } from '../config/cross-checks';
import type { CredentialRequirement, CrossCheck } from '../platform/component-descriptor';
import type { PlatformSettings } from '../platform/platform-settings';
import type { GatewayClients } from './agent-model-groups';
import type { GatewaySettings } from './config';
import { namesWhatPinnedLiteLlmHas } from './litellm-version-checks';
import { maxGatewayReplicas, minGatewayReplicas, providerOf, workflowGatewayKeyCredential } from './model-groups';

/** What the gateway's rules read: its section, the platform tier and the credentials. */
export type GatewayReads = PlatformSettings & { readonly gateway: GatewaySettings };

/** Master key values that are public (docs, examples) and never acceptable. */
export const WEAK_MASTER_KEYS: readonly string[] = [
  'sk-1234',
  'sk-12345',
  'sk-123456',
  'sk-admin',
  'sk-test',
  'sk-password',
  'sk-master',
  'sk-secret',
  'sk-changeme',
];

const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * The credentials the gateway reads: the master and salt keys, every provider API key, and each
 * workflow's virtual key (the registration job reads it). A missing one is reported at its field.
 */
export function gatewayCredentials(settings: { readonly gateway: GatewaySettings }): CredentialRequirement[] {
  const g = settings.gateway;
  return [
    // A key written in place of the id is masterKeyFromSecret's to report, not a missing credential.
    ...(literalMasterKey(g.masterKeyCredential)
      ? []
      : [{ id: g.masterKeyCredential, purpose: 'the master key', field: ['gateway', 'masterKeyCredential'] }]),
    { id: g.saltKeyCredential, purpose: 'the salt key', field: ['gateway', 'saltKeyCredential'] },
    ...Object.entries(g.modelGroups).flatMap(([group, m]) =>
      m.deployments.map((d, i) => ({
        id: d.apiKeyCredential,
        purpose: `the API key of ${providerOf(d.model)}`,
        field: ['gateway', 'modelGroups', group, 'deployments', i, 'apiKeyCredential'],
      })),
    ),
    ...Object.keys(g.workflowKeys).map((workflow) => {
      const id = workflowGatewayKeyCredential(workflow);
      return { id, purpose: `the virtual key of workflow ${workflow} (id ${id})`, field: ['gateway', 'workflowKeys', workflow] };
    }),
  ];
}

/**
 * The master key comes from a Secret, by credential id; a literal (weak or not) is refused here
 * (a credential that does not exist is reported with the other credentials: gatewayCredentials).
 */
/** A master key written where its credential id belongs: a publicly known weak key, or any `sk-…` literal. */
function literalMasterKey(id: string): boolean {
  return WEAK_MASTER_KEYS.includes(id.toLowerCase()) || /^sk-/.test(id);
}

const masterKeyFromSecret: CrossCheck<GatewayReads> = (settings) => {
  const id = settings.gateway.masterKeyCredential;
  const path = ['gateway', 'masterKeyCredential'];
  if (WEAK_MASTER_KEYS.includes(id.toLowerCase())) {
    return [
      {
        path,
        expected: 'the id of the credential holding the master key (a Secret), never a key',
        found: `${JSON.stringify(id)}, a publicly known weak master key`,
      },
    ];
  }
  if (/^sk-/.test(id)) {
    return [
      {
        path,
        expected: 'the id of the credential holding the master key (a Secret), never a key',
        found: 'a literal key starting with "sk-"',
      },
    ];
  }
  return [];
};

/**
 * The salt key encrypts the credentials LiteLLM stores; LiteLLM falls back to the master key when
 * it is unset (contracts/litellm, envVars.LITELLM_SALT_KEY). The same Secret key for both would
 * let a leaked master key decrypt them, and rotating the master key would lose them.
 */
const saltKeyDistinct: CrossCheck<GatewayReads> = (settings) => {
  const g = settings.gateway;
  const credentials = settings.security.credentials;
  const salt = credentials[g.saltKeyCredential];
  const master = credentials[g.masterKeyCredential];
  const same =
    g.saltKeyCredential === g.masterKeyCredential || (salt && master && salt.secretName === master.secretName && salt.key === master.key);
  return same
    ? [
        {
          path: ['gateway', 'saltKeyCredential'],
          expected:
            'a credential other than the master key (a Secret key of its own): the salt key encrypts stored credentials and must never change',
          found: `${JSON.stringify(g.saltKeyCredential)}, the same Secret key as the master key`,
        },
      ]
    : [];
};

/** Private and link-local ranges (RFC 1918, RFC 3927): the cluster's own networks and the cloud metadata endpoint. */
export const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] as const;

function ipv4Range(cidr: string): [number, number] {
  const [address, bits] = cidr.split('/');
  const start = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const base = start - (start % size);
  return [base, base + size - 1];
}

/** Whether CIDR `inner` lies within CIDR `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const [a, b] = ipv4Range(inner);
  const [c, d] = ipv4Range(outer);
  return a >= c && b <= d;
}

/**
 * The provider egress never opens the private and link-local ranges: otherwise the gateway could
 * reach the cluster's pods and nodes, and the cloud metadata endpoint (169.254.169.254), on the
 * provider ports.
 */
const providerEgressExcludesPrivate: CrossCheck<GatewayReads> = (settings) => {
  const egress = settings.gateway.network.providerEgress;
  return PRIVATE_RANGES.filter((range) => {
    const [a, b] = ipv4Range(range);
    const [c, d] = ipv4Range(egress.cidr);
    const overlaps = a <= d && c <= b;
    return overlaps && !egress.except.some((e) => cidrWithin(range, e));
  }).map((range) => ({
    path: ['gateway', 'network', 'providerEgress', 'except'],
    expected: `an exception covering ${range} (private and link-local ranges stay closed: the cluster and the metadata endpoint)`,
    found: `[${egress.except.join(', ')}]`,
  }));
};

/** At least one model group. */
const someModelGroup: CrossCheck<GatewayReads> = (settings) =>
  Object.keys(settings.gateway.modelGroups).length > 0
    ? []
    : [
        {
          path: ['gateway', 'modelGroups'],
          expected: 'at least one model group (e.g. gpt-4: {temperature, maxTokens, deployments})',
          found: 'an empty map',
        },
      ];

/** The cycles of a fallback graph, each once, starting at its alphabetically first group. */
export function fallbackCycles(graph: Readonly<Record<string, readonly string[]>>): string[][] {
  const cycles = new Map<string, string[]>();
  const visit = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const cycle = trail.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]);
      const canonical = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(canonical.join('\u0000'), canonical);
      return;
    }
    for (const next of graph[node] ?? []) visit(next, [...trail, node]);
  };
  for (const node of Object.keys(graph).sort()) visit(node, []);
  return [...cycles.values()].filter((c) => c.length > 1);
}

/** Fallbacks name existing groups, never the group itself, and form no cycle. */
const fallbacksResolve: CrossCheck<GatewayReads> = (settings) => {
  const groups = Object.keys(settings.gateway.modelGroups);
  const kinds = [
    ['fallbacks', settings.gateway.routing.fallbacks],
    ['contextWindowFallbacks', settings.gateway.routing.contextWindowFallbacks],
  ] as const;
  return kinds.flatMap(([kind, graph]) => {
    const problems: CrossFieldProblem[] = [];
    for (const [from, targets] of Object.entries(graph)) {
      if (!groups.includes(from)) {
        problems.push({
          path: ['gateway', 'routing', kind, from],
          expected: `a model group of gateway.modelGroups (${list(groups)})`,
          found: `the unknown group ${JSON.stringify(from)}`,
        });
      }
      targets.forEach((to, i) => {
        if (to === from)
          problems.push({
            path: ['gateway', 'routing', kind, from, i],
            expected: 'a group other than the one falling back',
            found: `${JSON.stringify(to)} falling back to itself`,
          });
        else if (!groups.includes(to))
          problems.push({
            path: ['gateway', 'routing', kind, from, i],
            expected: `a model group of gateway.modelGroups (${list(groups)})`,
            found: `the unknown group ${JSON.stringify(to)}`,
          });
      });
    }
    const withoutSelf = Object.fromEntries(Object.entries(graph).map(([from, to]) => [from, to.filter((t) => t !== from)]));
    for (const cycle of fallbackCycles(withoutSelf)) {
      problems.push({
        path: ['gateway', 'routing', kind],
        expected: 'fallbacks without cycles',
        found: `the cycle ${[...cycle, cycle[0]].join(' -> ')}`,
      });
    }
    return problems;
  });
};

/** Provider budgets name providers that some deployment uses. */
const providerBudgetsUsed: CrossCheck<GatewayReads> = (settings) => {
  const providers = [
    ...new Set(Object.values(settings.gateway.modelGroups).flatMap((g) => g.deployments.map((d) => providerOf(d.model)))),
  ].sort();
  return Object.keys(settings.gateway.budget.providerBudgets)
    .filter((p) => !providers.includes(p))
    .map((p) => ({
      path: ['gateway', 'budget', 'providerBudgets', p],
      expected: `a provider that a deployment uses (${list(providers)})`,
      found: `the unused provider ${JSON.stringify(p)}`,
    }));
};

/** Every workflow has a virtual key; no key for an unknown workflow. */
const workflowKeysComplete =
  <S extends GatewayReads>(clients: (settings: S) => GatewayClients): CrossCheck<S> =>
  (settings) => {
    const workflows = clients(settings).workflows.map((w) => w.id);
    const keys = settings.gateway.workflowKeys;
    return [
      ...workflows
        .filter((w) => !(w in keys))
        .map((w) => ({
          path: ['gateway', 'workflowKeys', w],
          expected: `a virtual key {maxBudget, budgetDuration} for workflow ${w} (every workflow's calls are attributed to its key)`,
          found: 'nothing (the field is missing)',
        })),
      ...Object.keys(keys)
        .filter((workflow) => !workflows.includes(workflow))
        .map((workflow) => ({
          path: ['gateway', 'workflowKeys', workflow],
          expected: `a workflow of agents.workflows (${list(workflows)})`,
          found: `the unknown workflow ${JSON.stringify(workflow)}`,
        })),
    ];
  };

/**
 * Every caller of the agent config (agents, the reviewer, each hierarchical manager) has a budget,
 * and there is no budget for a caller that does not exist. Configured model groups leave the
 * callers' names (`agent-…`) free.
 */
const agentBudgetsComplete =
  <S extends GatewayReads>(clients: (settings: S) => GatewayClients): CrossCheck<S> =>
  (settings) => {
    const { callers: identities, modelPrefix } = clients(settings);
    const ids = identities.map((i) => i.id);
    const budgets = settings.gateway.agentBudgets;
    return [
      ...identities
        .filter((i) => !(i.id in budgets))
        .map((i) => ({
          path: ['gateway', 'agentBudgets', i.id],
          expected: `a budget {maxBudget, budgetDuration} for ${i.label}, whose calls the gateway serves as ${i.modelName}`,
          found: 'nothing (the field is missing)',
        })),
      ...Object.keys(budgets)
        .filter((id) => !ids.includes(id))
        .map((id) => ({
          path: ['gateway', 'agentBudgets', id],
          expected: `a caller of the agent config (${list(ids)})`,
          found: `the unknown caller ${JSON.stringify(id)}`,
        })),
      ...Object.keys(settings.gateway.modelGroups)
        .filter((g) => g.startsWith(modelPrefix))
        .map((g) => ({
          path: ['gateway', 'modelGroups', g],
          expected: `a model group name not starting with "${modelPrefix}" (the agents' own gateway names)`,
          found: JSON.stringify(g),
        })),
    ];
  };

/**
 * Combinations that are unsafe with several pods or workers: without Redis every replica counts
 * budgets, rate limits and cooldowns on its own; without a multiprocess directory each worker
 * exports its own metrics and a scrape sees one at random.
 */
const safeWithManyReplicas: CrossCheck<GatewayReads> = (settings) => {
  const g = settings.gateway;
  const problems: CrossFieldProblem[] = [];
  if (maxGatewayReplicas(g) > 1 && !g.routing.sharedStateInRedis) {
    problems.push({
      path: ['gateway', 'routing', 'sharedStateInRedis'],
      expected: `true when the gateway runs more than one replica (up to ${maxGatewayReplicas(g)} here): otherwise budgets, rate limits and cooldowns are counted per pod`,
      found: 'false',
    });
  }
  if (g.numWorkers > 1 && !g.metricsMultiprocessDir) {
    problems.push({
      path: ['gateway', 'metricsMultiprocessDir'],
      expected: `a directory for Prometheus multiprocess metrics when gateway.numWorkers is above 1 (${g.numWorkers} here)`,
      found: 'nothing (the field is missing)',
    });
  }
  if (g.autoscaling && g.autoscaling.minReplicas > g.autoscaling.maxReplicas) {
    problems.push({
      path: ['gateway', 'autoscaling', 'maxReplicas'],
      expected: `at least minReplicas (${g.autoscaling.minReplicas})`,
      found: String(g.autoscaling.maxReplicas),
    });
  }
  if (settings.platform.production) {
    if (minGatewayReplicas(g) < 3) {
      problems.push({
        path: g.autoscaling ? ['gateway', 'autoscaling', 'minReplicas'] : ['gateway', 'replicas'],
        expected: 'at least 3 gateway replicas in production',
        found: String(minGatewayReplicas(g)),
      });
    }
    if (!g.autoscaling) {
      problems.push({
        path: ['gateway', 'autoscaling'],
        expected: 'CPU autoscaling {minReplicas, maxReplicas, targetCpuUtilization} in production',
        found: 'nothing (the field is missing)',
      });
    }
  }
  return problems;
};

/** The gateway's cross-field rules, for the clients the agents declare. */
export const gatewayChecks = <S extends GatewayReads>(clients: (settings: S) => GatewayClients): readonly CrossCheck<S>[] => [
  masterKeyFromSecret,
  saltKeyDistinct,
  providerEgressExcludesPrivate,
  someModelGroup,
  fallbacksResolve,
  providerBudgetsUsed,
  workflowKeysComplete(clients),
  agentBudgetsComplete(clients),
  safeWithManyReplicas,
  namesWhatPinnedLiteLlmHas,
];
