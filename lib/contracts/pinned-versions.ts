import { containerUsages } from './container-usage';
import type { Contract, ContractSet } from './contract';
import { CLUSTER_REQUIREMENTS, type ClusterRequirement } from '../platform/cluster-requirements';
import type { KubeObject } from '../platform/kube-object';

/** One pinned upstream version of an environment, with its contract. */
export interface PinnedVersion {
  readonly contract: Contract;
  /** Image repositories this environment runs at that version (empty for cluster software). */
  readonly images: readonly string[];
}

/**
 * The upstream versions an environment relies on: the program of every image it runs (from the
 * rendered containers) and the cluster software its objects need (CLUSTER_REQUIREMENTS' `neededBy`). Throws MissingContractError for a
 * version without a contract.
 */
export function pinnedVersions(contracts: ContractSet, objects: readonly KubeObject[]): PinnedVersion[] {
  const byContract = new Map<Contract, Set<string>>();
  for (const usage of containerUsages(objects)) {
    const contract = contracts.forImage(usage.repository, usage.tag);
    if (!byContract.has(contract)) byContract.set(contract, new Set());
    byContract.get(contract)!.add(usage.repository);
  }
  for (const requirement of Object.values<ClusterRequirement>(CLUSTER_REQUIREMENTS)) {
    if (requirement.neededBy && !requirement.neededBy(objects)) continue;
    const contract = contracts.require(requirement.program, requirement.version);
    if (!byContract.has(contract)) byContract.set(contract, new Set());
  }
  return [...byContract.entries()]
    .map(([contract, images]) => ({ contract, images: [...images].sort() }))
    .sort((a, b) => a.contract.data.program.localeCompare(b.contract.data.program));
}

const short = (commit: string) => commit.slice(0, 12);

/** `docs/pinned-versions.md`: every pinned upstream version, per environment, and where its contract was read. */
export function renderPinnedVersionsDoc(
  environments: readonly { name: string; objects: readonly KubeObject[] }[],
  contracts: ContractSet,
): string {
  const perEnvironment = environments.map((e) => ({ name: e.name, pinned: pinnedVersions(contracts, e.objects) }));
  const all = new Map<Contract, Set<string>>();
  for (const e of perEnvironment) for (const p of e.pinned) all.set(p.contract, new Set([...(all.get(p.contract) ?? []), ...p.images]));
  const lines = [
    '# Pinned versions',
    '',
    'Generated from `config/` and `contracts/` by `npm run generate`; do not edit. Each version has a',
    'contract in `contracts/<program>/<version>.yaml` listing what the platform relies on in it, each',
    'fact cited from the upstream source at the commit below. How to bump one: `contracts/README.md`.',
    '',
    '| program | version | images | source read at | contract |',
    '|---|---|---|---|---|',
  ];
  for (const [contract, images] of [...all.entries()].sort((a, b) => a[0].data.program.localeCompare(b[0].data.program))) {
    const s = contract.data.source;
    const at = `${s.repository.replace('https://github.com/', '')} \`${s.ref}\` (${short(s.commit)})`;
    const file = `contracts/${contract.data.program}/${contract.data.version}.yaml`;
    lines.push(`| ${contract.data.program} | \`${contract.data.version}\` | ${[...images].sort().map((i) => `\`${i}\``).join(', ') || 'cluster prerequisite'} | ${at} | [${file}](../${file}) |`);
  }
  lines.push('', '## By environment', '', '| environment | ' + [...all.keys()].map((c) => c.data.program).sort().join(' | ') + ' |');
  lines.push('|---|' + [...all.keys()].map(() => '---|').join(''));
  for (const e of perEnvironment) {
    const versions = new Map(e.pinned.map((p) => [p.contract.data.program, p.contract.data.version]));
    lines.push(`| ${e.name} | ` + [...all.keys()].map((c) => c.data.program).sort().map((p) => (versions.has(p) ? `\`${versions.get(p)}\`` : '–')).join(' | ') + ' |');
  }
  // Images whose facts had to be read at another tag than the one we run (the source note says why).
  const readElsewhere = [...all.keys()].filter((c) => c.data.images.length > 0 && !c.data.version.replace(/^v/, '').endsWith(c.data.source.ref.replace(/^v/, '')));
  if (readElsewhere.length) {
    lines.push('', '## Read at another version', '');
    for (const c of readElsewhere) lines.push(`- **${c.title}**: read at \`${c.data.source.ref}\`. ${c.data.source.note ?? ''}`.trimEnd());
  }
  const unverified = [...all.keys()].filter((c) => c.unverified().length > 0);
  if (unverified.length) {
    lines.push('', '## Facts not read at the pinned version', '', 'Each is marked `status: unverified` in its contract, with what was read instead.', '');
    for (const c of unverified) lines.push(`- **${c.title}**: ${c.unverified().length} of ${Object.values(c.data.facts).reduce((n, f) => n + Object.keys(f).length, 0)} facts.`);
  }
  lines.push('');
  return lines.join('\n');
}
