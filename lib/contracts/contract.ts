import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { z } from 'zod';
import type { KeyPatterns } from './key-patterns';

/**
 * A contract: what this project relies on in one pinned version of an upstream program, each fact
 * with the place in upstream source it was read from (see contracts/README.md). Contracts are
 * data in `contracts/<program>/<version>.yaml`; this module reads and checks their shape.
 */

const commitHash = z.string().regex(/^[0-9a-f]{40}$/, { error: 'a 40-hex commit' });

/** Where a fact was read: a file at the contract's commit (or `commit`), with a line or a symbol. */
export const citationSchema = z
  .strictObject({
    file: z.string().min(1),
    line: z.number().int().positive().optional(),
    symbol: z.string().min(1).optional(),
    commit: commitHash.optional(),
    repository: z.string().url().optional(),
  })
  .refine((c) => c.line !== undefined || c.symbol !== undefined, { error: 'a citation with a line or a symbol' });
export type Citation = z.infer<typeof citationSchema>;

/** One fact. Besides its citation it carries fact-specific fields (type, labels, values, …). */
export const factSchema = z.looseObject({
  cite: citationSchema,
  note: z.string().optional(),
  /** `unverified`: could not be read at the pinned version (the note says what was read instead). */
  status: z.enum(['verified', 'unverified']).optional(),
});
export type Fact = z.infer<typeof factSchema> & Record<string, unknown>;

/** A contract file. */
export const contractSchema = z.strictObject({
  program: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  version: z.string().min(1),
  /** Human name with the version, for messages (`LiteLLM v1.101.0`). */
  title: z.string().min(1),
  /** Image repositories whose tag `version` this contract covers. */
  images: z.array(z.string()),
  /**
   * Other tags of those images that hold exactly this version: our own builds of it, which carry a
   * revision (`4.7.0-r1`) so that a rebuild never reuses a tag. Each must start with `version`.
   */
  tags: z.array(z.string().min(1)).optional(),
  source: z.strictObject({
    repository: z.string().url(),
    ref: z.string().min(1),
    commit: commitHash,
    note: z.string().optional(),
  }),
  /** Derived schema files next to the contract, by name (e.g. the Kubernetes definitions). */
  schemas: z.record(z.string(), z.string()).optional(),
  /** Derived CustomResourceDefinitions next to the contract (scripts/contracts/derive-crd.mjs). */
  crds: z.array(z.string()).optional(),
  facts: z.record(z.string(), z.record(z.string(), factSchema)),
});
export type ContractData = z.infer<typeof contractSchema>;

/** One loaded contract. */
export class Contract {
  constructor(
    /** The parsed file. */
    public readonly data: ContractData,
    /** Path of the file, for messages. */
    public readonly file: string,
  ) {}

  /** `LiteLLM v1.101.0`. */
  public get title(): string {
    return this.data.title;
  }

  /**
   * The fact names of one kind (`configKeys`, `envVars`, `metrics`, …). Facts marked
   * `status: unverified` are included: they are the best reading available, and every one of
   * them is listed in test/contracts/contract-files.test.ts, so none is unverified by accident.
   */
  public names(kind: string): string[] {
    return Object.keys(this.data.facts[kind] ?? {});
  }

  /** Whether a fact exists. */
  public has(kind: string, name: string): boolean {
    return this.data.facts[kind]?.[name] !== undefined;
  }

  /** A fact; throws naming the contract when it is absent. */
  public fact(kind: string, name: string): Fact {
    if (!this.has(kind, name)) throw new Error(`${this.file}: no ${kind} fact "${name}" (${this.title})`);
    return this.data.facts[kind][name] as Fact;
  }

  /** `kind.name` of every fact that could not be read at the pinned version. */
  public unverified(): string[] {
    return Object.entries(this.data.facts).flatMap(([kind, facts]) =>
      Object.entries(facts)
        .filter(([, f]) => f.status === 'unverified')
        .map(([name]) => `${kind}.${name}`),
    );
  }

  /** The key patterns of a `configKeys`-like kind, for `unknownKeyPaths`. */
  public keyPatterns(kind: string): KeyPatterns {
    const names = this.names(kind);
    return { known: new Set(names), opaque: new Set(names.filter((n) => this.fact(kind, n).opaque === true)) };
  }

  /** The `values` list of a fact (an enumeration), e.g. `enums.routingStrategies`. */
  public values(kind: string, name: string): string[] {
    const values = this.fact(kind, name).values;
    if (!Array.isArray(values)) throw new Error(`${this.file}: ${kind}.${name} has no values list`);
    return values.map(String);
  }

  /** A file named under `schemas`, resolved next to the contract. */
  public schemaFile(name: string): string {
    const relative = this.data.schemas?.[name];
    if (!relative) throw new Error(`${this.file}: no schema "${name}"`);
    return this.resolve(relative);
  }

  /** A path relative to the contract's folder (`crds` and `schemas` entries are). */
  public resolve(relative: string): string {
    return path.join(path.dirname(this.file), relative);
  }
}

/** Thrown when a pinned version has no contract: the message says which file to write. */
export class MissingContractError extends Error {
  constructor(program: string, version: string, known: readonly string[]) {
    super(
      `no contract for ${program} ${version}: write contracts/${program}/${version}.yaml from the upstream source at that version ` +
        `(see contracts/README.md, "Bumping a version"); contracts exist for ${program} ${known.length ? known.join(', ') : '(none)'}`,
    );
    this.name = 'MissingContractError';
  }
}

/** Every contract of a `contracts/` folder. */
export class ContractSet {
  private static readonly cache = new Map<string, ContractSet>();

  /** Loads (once per folder) and checks every `contracts/<program>/<version>.yaml`. */
  public static load(dir: string = contractsDir()): ContractSet {
    let set = ContractSet.cache.get(dir);
    if (!set) {
      set = new ContractSet(readContracts(dir));
      ContractSet.cache.set(dir, set);
    }
    return set;
  }

  private constructor(public readonly all: readonly Contract[]) {}

  /** The contract of a program at a version, if there is one. */
  public find(program: string, version: string): Contract | undefined {
    return this.all.find((c) => c.data.program === program && c.data.version === version);
  }

  /** The contract of a program at a version; throws MissingContractError when there is none. */
  public require(program: string, version: string): Contract {
    const found = this.find(program, version);
    if (!found) throw new MissingContractError(program, version, this.versionsOf(program));
    return found;
  }

  /**
   * The contract covering an image at a tag: the one whose `version` is the tag, or whose `tags`
   * list it (our own builds). Throws MissingContractError when there is none.
   */
  public forImage(repository: string, tag: string): Contract {
    const programs = [...new Set(this.all.filter((c) => c.data.images.includes(repository)).map((c) => c.data.program))];
    if (programs.length === 0) throw new Error(`no contract lists the image ${repository}: add it to the images of its program's contract`);
    if (programs.length > 1) throw new Error(`the image ${repository} is listed by the contracts of ${programs.join(' and ')}`);
    const built = this.all.find(
      (c) => c.data.program === programs[0] && c.data.images.includes(repository) && (c.data.tags ?? []).includes(tag),
    );
    return built ?? this.require(programs[0], tag);
  }

  /** Versions with a contract, of one program. */
  public versionsOf(program: string): string[] {
    return this.all.filter((c) => c.data.program === program).map((c) => c.data.version).sort();
  }
}

/** The project's `contracts/` folder: found upwards from this module (the source tree or build/). */
export function contractsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'contracts');
    if (fs.existsSync(path.join(candidate, 'README.md'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no contracts/ folder above ${__dirname}`);
  }
}

function readContracts(dir: string): Contract[] {
  const contracts: Contract[] = [];
  for (const program of fs.readdirSync(dir).sort()) {
    const programDir = path.join(dir, program);
    if (!fs.statSync(programDir).isDirectory()) continue;
    for (const file of fs.readdirSync(programDir).sort()) {
      if (!file.endsWith('.yaml')) continue;
      const full = path.join(programDir, file);
      const parsed = contractSchema.safeParse(yaml.load(fs.readFileSync(full, 'utf8')));
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n');
        throw new Error(`${path.relative(process.cwd(), full)}: not a valid contract:\n${problems}`);
      }
      const expected = file.slice(0, -'.yaml'.length);
      const strayTag = (parsed.data.tags ?? []).find((t) => !t.startsWith(parsed.data.version));
      if (strayTag !== undefined) throw new Error(`${full}: tag ${strayTag} does not start with the version ${parsed.data.version} it claims to hold`);
      if (parsed.data.program !== program || parsed.data.version !== expected) {
        throw new Error(`${full}: declares ${parsed.data.program} ${parsed.data.version}, but its path says ${program} ${expected}`);
      }
      contracts.push(new Contract(parsed.data, full));
    }
  }
  return contracts;
}
