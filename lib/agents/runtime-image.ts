import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Contract } from '../contracts/contract';

/**
 * The agent runtime image the platform builds itself (images/agent-runtime/): PraisonAI pinned,
 * non-root, read-only friendly. Its Dockerfile and requirements are plain files built by
 * .github/workflows/agent-runtime-image.yml; this module reads them and says what is wrong with
 * them against the PraisonAI contract and the pods that run the image. Pure functions of text,
 * except `readRuntimeImageFiles`.
 */

/** Folder of the image, relative to the repository root. */
export const RUNTIME_IMAGE_DIR = 'images/agent-runtime';
/** The OCI label holding the image's own tag (what the workflow pushes and config pins). */
export const RUNTIME_TAG_LABEL = 'org.opencontainers.image.version';
/** The numeric user the image declares and the pods run as. */
export const AGENT_RUNTIME_USER = 10001;
/** The image's entrypoint: PraisonAI's console script; pods pass only its arguments. */
export const RUNTIME_ENTRYPOINT: readonly string[] = ['praisonai'];
/** The one directory the runtime may write (an emptyDir in the pod); HOME and PRAISONAI_HOME live in it. */
export const RUNTIME_WRITABLE_DIR = '/tmp';

/** What a Dockerfile declares, as far as the platform relies on it. */
export interface DockerfileFacts {
  /** The image of the (last) FROM. */
  readonly from?: string;
  /** The value of the last USER. */
  readonly user?: string;
  /** The exec-form ENTRYPOINT, if any. */
  readonly entrypoint?: readonly string[];
  /** Every LABEL. */
  readonly labels: Readonly<Record<string, string>>;
  /** Every ENV. */
  readonly env: Readonly<Record<string, string>>;
}

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
function instructions(text: string): { keyword: string; rest: string }[] {
  const joined: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (current === '' && /^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    if (current.trim()) joined.push(current.trim());
    current = '';
  }
  if (current.trim()) joined.push(current.trim());
  return joined.map((l) => {
    const m = /^(\S+)\s*(.*)$/.exec(l)!;
    return { keyword: m[1].toUpperCase(), rest: m[2] };
  });
}

/** `a=1 b="two words"` pairs of LABEL and ENV (the key=value form). */
function keyValues(rest: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const m of rest.matchAll(/([A-Za-z0-9_.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    pairs.push([m[1], m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]]);
  }
  return pairs;
}

/** Reads FROM, USER, ENTRYPOINT, LABEL and ENV from Dockerfile text. */
export function parseDockerfile(text: string): DockerfileFacts {
  let from: string | undefined;
  let user: string | undefined;
  let entrypoint: string[] | undefined;
  const labels: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (const { keyword, rest } of instructions(text)) {
    if (keyword === 'FROM') from = rest.split(/\s+/).filter((w) => !w.startsWith('--'))[0];
    else if (keyword === 'USER') user = rest.trim();
    else if (keyword === 'ENTRYPOINT') entrypoint = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : ['/bin/sh', '-c', rest];
    else if (keyword === 'LABEL') Object.assign(labels, Object.fromEntries(keyValues(rest)));
    else if (keyword === 'ENV') Object.assign(env, Object.fromEntries(keyValues(rest)));
  }
  return { from, user, entrypoint, labels, env };
}

/** One line of a pip requirements file. */
export interface PipRequirement {
  /** Normalised name (PEP 503: lowercase, runs of `-_.` as `-`). */
  readonly name: string;
  /** Extras, e.g. `api` of `praisonai[api]`. */
  readonly extras: readonly string[];
  /** The version specifier as written, e.g. `==4.7.0` or `>=1`. */
  readonly specifier: string;
  /** The exact version when the specifier is a single `==<version>` without wildcards. */
  readonly pinned?: string;
  /** The line as written, for messages. */
  readonly line: string;
}

/** PEP 503 name normalisation. */
export function normalisePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Reads a requirements file: one requirement per line, comments and blank lines ignored. */
export function parseRequirements(text: string): PipRequirement[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*(.*)$/.exec(line);
      if (!m) return { name: line, extras: [], specifier: '', line };
      const specifier = m[3].replace(/\s+/g, '');
      const exact = /^==([0-9][A-Za-z0-9.+!-]*)$/.exec(specifier);
      return {
        name: normalisePackageName(m[1]),
        extras: (m[2] ?? '')
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean),
        specifier,
        pinned: exact && !exact[1].includes('*') ? exact[1] : undefined,
        line,
      };
    });
}

/** The image files, as text. */
export interface RuntimeImageFiles {
  readonly dockerfile: string;
  readonly requirements: string;
}

/** Reads the Dockerfile and requirements of the image from a repository checkout. */
export function readRuntimeImageFiles(root: string): RuntimeImageFiles {
  const dir = path.join(root, RUNTIME_IMAGE_DIR);
  return {
    dockerfile: fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'),
    requirements: fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'),
  };
}

/** What the image must agree with. */
export interface RuntimeImageExpectations {
  /** The PraisonAI contract the configured image maps to. */
  readonly contract: Contract;
  /** The tag config pins (`agents.runtime.image.tag`). */
  readonly imageTag: string;
  /** The UID the pods run as. */
  readonly podUser: number;
}

/**
 * Everything wrong with the image files, each naming the file, what was expected and what was
 * found; empty when the image is what the platform and the contract rely on:
 * - FROM is the contract's base image, pinned to an exact version (never a floating tag);
 * - every requirement is pinned with `==`, and each package the contract versions (praisonai,
 *   praisonaiagents, praisonai-code, the other sub-packages, litellm) is pinned to that version;
 * - USER is the numeric, non-root user the pods run as; ENTRYPOINT is `praisonai`;
 * - the tag label is the tag config pins, and the contract lists it as a build of its version;
 * - HOME and PRAISONAI_HOME lie in the one writable directory.
 */
export function runtimeImageProblems(files: RuntimeImageFiles, expect: RuntimeImageExpectations): string[] {
  const dockerfilePath = `${RUNTIME_IMAGE_DIR}/Dockerfile`;
  const requirementsPath = `${RUNTIME_IMAGE_DIR}/requirements.txt`;
  const problems: string[] = [];
  const problem = (where: string, expected: string, found: string) => problems.push(`${where}: expected ${expected}, found ${found}`);
  const facts = parseDockerfile(files.dockerfile);
  const contract = expect.contract;

  const base = contract.has('runtimeImage', 'baseImage') ? String(contract.fact('runtimeImage', 'baseImage').value) : undefined;
  if (!facts.from || !/^[a-z0-9./-]+:[0-9]+\.[0-9]+\.[0-9]+[A-Za-z0-9.-]*(@sha256:[0-9a-f]{64})?$/.test(facts.from)) {
    problem(
      `${dockerfilePath}: FROM`,
      'a base image pinned to an exact version tag, such as python:3.11.16-slim-bookworm',
      facts.from ? JSON.stringify(facts.from) : 'no FROM',
    );
  } else if (base && facts.from.replace(/@sha256:.*$/, '') !== base) {
    problem(`${dockerfilePath}: FROM`, `the base image of ${contract.title}'s runtimeImage facts (${base})`, JSON.stringify(facts.from));
  }

  const requirements = parseRequirements(files.requirements);
  for (const r of requirements.filter((r) => !r.pinned))
    problem(
      `${requirementsPath}: ${r.line}`,
      'a requirement pinned to one version with ==',
      r.specifier ? `the specifier ${JSON.stringify(r.specifier)}` : 'no version',
    );
  const byName = new Map(requirements.map((r) => [r.name, r]));
  const versioned = Object.entries(contract.data.facts.packages ?? {}).filter(
    ([name, f]) => typeof f.version === 'string' && name !== 'praisonai',
  );
  for (const [name, fact] of [['praisonai', { version: contract.data.version }] as const, ...versioned]) {
    const r = byName.get(normalisePackageName(name));
    if (!r) problem(requirementsPath, `${name}==${fact.version} (${contract.title})`, `no requirement for ${name}`);
    else if (r.pinned && r.pinned !== fact.version)
      problem(`${requirementsPath}: ${r.line}`, `${name}==${fact.version}, the version ${contract.title} was read at`, `==${r.pinned}`);
  }
  const wrapper = byName.get('praisonai');
  if (wrapper && !wrapper.extras.includes('api'))
    problem(
      `${requirementsPath}: ${wrapper.line}`,
      'praisonai with the api extra (fastapi and uvicorn, which serve agents imports)',
      `extras [${wrapper.extras.join(', ')}]`,
    );

  const user = facts.user ?? '';
  const uid = /^([0-9]+)(:[0-9]+)?$/.exec(user);
  if (!uid || Number(uid[1]) === 0)
    problem(
      `${dockerfilePath}: USER`,
      'a numeric, non-root user (uid[:gid]) so runAsNonRoot can be verified',
      facts.user ? JSON.stringify(facts.user) : 'no USER (root)',
    );
  else if (Number(uid[1]) !== expect.podUser)
    problem(`${dockerfilePath}: USER`, `the user the pods run as (${expect.podUser})`, JSON.stringify(user));

  if (JSON.stringify(facts.entrypoint) !== JSON.stringify(RUNTIME_ENTRYPOINT))
    problem(
      `${dockerfilePath}: ENTRYPOINT`,
      JSON.stringify(RUNTIME_ENTRYPOINT),
      facts.entrypoint ? JSON.stringify(facts.entrypoint) : 'none',
    );

  const tag = facts.labels[RUNTIME_TAG_LABEL];
  if (tag !== expect.imageTag)
    problem(
      `${dockerfilePath}: LABEL ${RUNTIME_TAG_LABEL}`,
      `the tag config pins (${expect.imageTag})`,
      tag ? JSON.stringify(tag) : 'no such label',
    );
  if (tag && !(contract.data.tags ?? []).includes(tag))
    problem(
      `${dockerfilePath}: LABEL ${RUNTIME_TAG_LABEL}`,
      `a tag ${contract.file} lists under tags (${(contract.data.tags ?? []).join(', ') || 'none'})`,
      JSON.stringify(tag),
    );

  for (const name of ['HOME', 'PRAISONAI_HOME']) {
    const value = facts.env[name];
    if (!value || !(value === RUNTIME_WRITABLE_DIR || value.startsWith(`${RUNTIME_WRITABLE_DIR}/`))) {
      problem(
        `${dockerfilePath}: ENV ${name}`,
        `a path under ${RUNTIME_WRITABLE_DIR}, the one writable directory`,
        value ? JSON.stringify(value) : 'unset',
      );
    }
  }
  return problems;
}
