import type { CrossCheck, CrossFieldProblem } from '../config/cross-checks';
import type { EnvironmentSettings } from '../config/schema';
import { namesWhatPinnedLiteLlmHas } from './litellm-version-checks';
import { agentGatewayKeyCredential, maxGatewayReplicas, minGatewayReplicas, providerOf } from './model-groups';

/** Master key values that are public (docs, examples) and never acceptable. */
export const WEAK_MASTER_KEYS: readonly string[] = ['sk-1234', 'sk-12345', 'sk-123456', 'sk-admin', 'sk-test', 'sk-password', 'sk-master', 'sk-secret', 'sk-changeme'];

type Path = (string | number)[];

const list = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

function credentialProblem(settings: EnvironmentSettings, path: Path, id: string, what: string): CrossFieldProblem[] {
  if (id in settings.security.credentials) return [];
  return [{ path, expected: `the id of a credential in security.credentials holding ${what}`, found: `${JSON.stringify(id)}, which security.credentials does not define` }];
}

/** The master key comes from a Secret, by credential id; a literal (weak or not) is refused. */
const masterKeyFromSecret: CrossCheck = (settings) => {
  const id = settings.gateway.masterKeyCredential;
  const path = ['gateway', 'masterKeyCredential'];
  if (WEAK_MASTER_KEYS.includes(id.toLowerCase())) {
    return [{ path, expected: 'the id of the credential holding the master key (a Secret), never a key', found: `${JSON.stringify(id)}, a publicly known weak master key` }];
  }
  if (/^sk-/.test(id)) {
    return [{ path, expected: 'the id of the credential holding the master key (a Secret), never a key', found: 'a literal key starting with "sk-"' }];
  }
  return credentialProblem(settings, path, id, 'the master key');
};

/** Salt key and every provider API key are credentials that exist. */
const providerKeysFromSecrets: CrossCheck = (settings) => [
  ...credentialProblem(settings, ['gateway', 'saltKeyCredential'], settings.gateway.saltKeyCredential, 'the salt key'),
  ...Object.entries(settings.gateway.modelGroups).flatMap(([group, g]) =>
    g.deployments.flatMap((d, i) =>
      credentialProblem(settings, ['gateway', 'modelGroups', group, 'deployments', i, 'apiKeyCredential'], d.apiKeyCredential, `the API key of ${providerOf(d.model)}`),
    ),
  ),
];

/**
 * The salt key encrypts the credentials LiteLLM stores; LiteLLM falls back to the master key when
 * it is unset (contracts/litellm, envVars.LITELLM_SALT_KEY). The same Secret key for both would
 * let a leaked master key decrypt them, and rotating the master key would lose them.
 */
const saltKeyDistinct: CrossCheck = (settings) => {
  const g = settings.gateway;
  const credentials = settings.security.credentials;
  const salt = credentials[g.saltKeyCredential];
  const master = credentials[g.masterKeyCredential];
  const same = g.saltKeyCredential === g.masterKeyCredential || (salt && master && salt.secretName === master.secretName && salt.key === master.key);
  return same
    ? [{ path: ['gateway', 'saltKeyCredential'], expected: 'a credential other than the master key (a Secret key of its own): the salt key encrypts stored credentials and must never change', found: `${JSON.stringify(g.saltKeyCredential)}, the same Secret key as the master key` }]
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
const providerEgressExcludesPrivate: CrossCheck = (settings) => {
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
const someModelGroup: CrossCheck = (settings) =>
  Object.keys(settings.gateway.modelGroups).length > 0
    ? []
    : [{ path: ['gateway', 'modelGroups'], expected: 'at least one model group (e.g. gpt-4: {temperature, maxTokens, deployments})', found: 'an empty map' }];

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
const fallbacksResolve: CrossCheck = (settings) => {
  const groups = Object.keys(settings.gateway.modelGroups);
  const kinds = [
    ['fallbacks', settings.gateway.routing.fallbacks],
    ['contextWindowFallbacks', settings.gateway.routing.contextWindowFallbacks],
  ] as const;
  return kinds.flatMap(([kind, graph]) => {
    const problems: CrossFieldProblem[] = [];
    for (const [from, targets] of Object.entries(graph)) {
      if (!groups.includes(from)) {
        problems.push({ path: ['gateway', 'routing', kind, from], expected: `a model group of gateway.modelGroups (${list(groups)})`, found: `the unknown group ${JSON.stringify(from)}` });
      }
      targets.forEach((to, i) => {
        if (to === from) problems.push({ path: ['gateway', 'routing', kind, from, i], expected: 'a group other than the one falling back', found: `${JSON.stringify(to)} falling back to itself` });
        else if (!groups.includes(to)) problems.push({ path: ['gateway', 'routing', kind, from, i], expected: `a model group of gateway.modelGroups (${list(groups)})`, found: `the unknown group ${JSON.stringify(to)}` });
      });
    }
    const withoutSelf = Object.fromEntries(Object.entries(graph).map(([from, to]) => [from, to.filter((t) => t !== from)]));
    for (const cycle of fallbackCycles(withoutSelf)) {
      problems.push({ path: ['gateway', 'routing', kind], expected: 'fallbacks without cycles', found: `the cycle ${[...cycle, cycle[0]].join(' -> ')}` });
    }
    return problems;
  });
};

/** Provider budgets name providers that some deployment uses. */
const providerBudgetsUsed: CrossCheck = (settings) => {
  const providers = [...new Set(Object.values(settings.gateway.modelGroups).flatMap((g) => g.deployments.map((d) => providerOf(d.model))))].sort();
  return Object.keys(settings.gateway.budget.providerBudgets)
    .filter((p) => !providers.includes(p))
    .map((p) => ({ path: ['gateway', 'budget', 'providerBudgets', p], expected: `a provider that a deployment uses (${list(providers)})`, found: `the unused provider ${JSON.stringify(p)}` }));
};

/** Every agent has a virtual key whose credential exists, limited to existing groups. */
const agentKeysComplete: CrossCheck = (settings) => {
  const groups = Object.keys(settings.gateway.modelGroups);
  const agents = Object.keys(settings.agents.members);
  const keys = settings.gateway.agentKeys;
  return [
    ...agents
      .filter((a) => !(a in keys))
      .map((a) => ({ path: ['gateway', 'agentKeys', a], expected: `a virtual key {maxBudget, budgetDuration} for agent ${a} (every agent's spend is attributed)`, found: 'nothing (the field is missing)' })),
    ...Object.entries(keys).flatMap(([agent, key]) => [
      ...(agents.includes(agent) ? [] : [{ path: ['gateway', 'agentKeys', agent], expected: `an agent of agents.members (${list(agents)})`, found: `the unknown agent ${JSON.stringify(agent)}` }]),
      ...credentialProblem(settings, ['gateway', 'agentKeys', agent], agentGatewayKeyCredential(agent), `the virtual key of agent ${agent} (id ${agentGatewayKeyCredential(agent)})`),
      ...(key.models ?? []).flatMap((m, i) =>
        groups.includes(m) ? [] : [{ path: ['gateway', 'agentKeys', agent, 'models', i], expected: `a model group of gateway.modelGroups (${list(groups)})`, found: `the unknown group ${JSON.stringify(m)}` }],
      ),
    ]),
  ];
};

/**
 * Combinations that are unsafe with several pods or workers: without Redis every replica counts
 * budgets, rate limits and cooldowns on its own; without a multiprocess directory each worker
 * exports its own metrics and a scrape sees one at random.
 */
const safeWithManyReplicas: CrossCheck = (settings) => {
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
    problems.push({ path: ['gateway', 'autoscaling', 'maxReplicas'], expected: `at least minReplicas (${g.autoscaling.minReplicas})`, found: String(g.autoscaling.maxReplicas) });
  }
  if (settings.platform.production) {
    if (minGatewayReplicas(g) < 3) {
      problems.push({ path: g.autoscaling ? ['gateway', 'autoscaling', 'minReplicas'] : ['gateway', 'replicas'], expected: 'at least 3 gateway replicas in production', found: String(minGatewayReplicas(g)) });
    }
    if (!g.autoscaling) {
      problems.push({ path: ['gateway', 'autoscaling'], expected: 'CPU autoscaling {minReplicas, maxReplicas, targetCpuUtilization} in production', found: 'nothing (the field is missing)' });
    }
  }
  return problems;
};

/** The gateway's cross-field rules. */
export const gatewayChecks: readonly CrossCheck[] = [
  masterKeyFromSecret,
  providerKeysFromSecrets,
  saltKeyDistinct,
  providerEgressExcludesPrivate,
  someModelGroup,
  fallbacksResolve,
  providerBudgetsUsed,
  agentKeysComplete,
  safeWithManyReplicas,
  namesWhatPinnedLiteLlmHas,
];
