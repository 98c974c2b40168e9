import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { z } from 'zod';
import { closestMatch } from './closest-match';
import { ConfigError, ConfigIssue, describeFound } from './config-error';
import type { SettingsCheck } from './cross-checks';
import { deepMerge, hasPath, isYamlMap, YamlMap } from './deep-merge';
import { knownKeysAt, pathsOfKey } from './schema-walk';

/** A validated environment: its name (from the file name) and its settings. */
export interface EnvironmentConfig<T> {
  /** Environment name, the basename of its file in `config/` (e.g. `prod`). */
  readonly name: string;
  /** The overlay file this environment was read from. */
  readonly file: string;
  /** The merged and validated settings. */
  readonly settings: T;
}

/**
 * A map whose entries are declared in base.yaml only: an environment may tune an entry but not
 * invent one, so a typo in an overlay is reported as an unknown name, not as a half-defined entry.
 */
export interface ClosedMap {
  /** Path of the map, e.g. `['agents', 'members']`. */
  readonly path: readonly string[];
  /** What an entry is, for messages (`agent`). */
  readonly noun: string;
}

/**
 * A field every environment file sets itself, never inheriting base.yaml's value: what tells
 * environments apart (the namespace, the kube context), where an inherited value would silently
 * aim one environment at another's.
 */
export interface OwnField {
  /** Path of the field, e.g. `['deploy', 'kubeContext']`. */
  readonly path: readonly string[];
  /** Why each environment needs its own, for the message. */
  readonly why: string;
}

/**
 * A field whose value has no effect when something else is configured (replicas under an
 * autoscaler, say). An environment file that sets it anyway is told so, since the value it
 * expects to apply would be silently ignored.
 */
export interface IneffectiveField<T> {
  /** Path of the field that would be ignored. */
  readonly path: readonly string[];
  /** Why it has no effect in these settings (`gateway.autoscaling sets the replica count`), or undefined when it has. */
  readonly ignoredBecause: (settings: T) => string | undefined;
}

/**
 * What an environment's configuration must satisfy. The loader knows no section and no rule of
 * its own: the caller (lib/registry.ts) composes them from the components.
 */
export interface EnvironmentDefinition<T> {
  /** The schema of the merged settings: a strict object, so unknown keys are reported. */
  readonly schema: z.ZodType<T>;
  /** Rules across fields and sections, run once the schema is satisfied, in this order. */
  readonly checks: readonly SettingsCheck<T>[];
  /**
   * Maps only base.yaml may add entries to.
   * @default - none
   */
  readonly closedMaps?: readonly ClosedMap[];
  /**
   * Fields every environment file must set itself.
   * @default - none
   */
  readonly ownFields?: readonly OwnField[];
  /**
   * Fields an environment file may not set when they would have no effect.
   * @default - none
   */
  readonly ineffectiveFields?: readonly IneffectiveField<T>[];
}

/** The file every environment overlays. */
export const BASE_FILE = 'base.yaml';

const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;

/** Environment names: every `*.yaml` in `configDir` except `base.yaml`, sorted. */
export function listEnvironments(configDir: string): string[] {
  return fs
    .readdirSync(configDir)
    .filter((f) => f.endsWith('.yaml') && f !== BASE_FILE)
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A parsed YAML file, or the issues that stopped it from parsing. */
type ParsedFile = { ok: true; doc: YamlMap } | { ok: false; issues: ConfigIssue[] };

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative;
}

/** Reads one YAML map. Duplicate keys, syntax errors and non-map documents become issues. */
function readYamlMap(file: string): ParsedFile {
  const shown = displayPath(file);
  let doc: unknown;
  try {
    doc = yaml.load(fs.readFileSync(file, 'utf8'), { filename: shown, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const line = error.mark ? error.mark.line + 1 : 0;
      const duplicate = /duplicated mapping key/.test(error.reason);
      const key = duplicate && error.mark ? (error.mark.buffer.split('\n')[error.mark.line] ?? '').trim().split(':')[0] : '';
      return {
        ok: false,
        issues: [
          {
            file: `${shown}:${line}`,
            path: key,
            expected: duplicate ? 'each key at most once in a map' : 'valid YAML',
            found: duplicate ? `the key "${key}" a second time` : error.reason,
          },
        ],
      };
    }
    throw error;
  }
  if (doc === undefined || doc === null) return { ok: true, doc: {} };
  if (!isYamlMap(doc)) {
    return { ok: false, issues: [{ file: shown, path: '', expected: 'a YAML map at the top level', found: describeFound(doc) }] };
  }
  return { ok: true, doc };
}

/** Joins a path as `a.b[0].c`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
}

/**
 * The duration key a former number-of-seconds or -days key became, if it is among `known`:
 * `ttlSeconds` → `ttl`, `retentionDays` → `retention`, `batchWriteSeconds` → `batchWriteInterval`.
 */
function renamedDurationKey(key: string, known: readonly string[]): string | undefined {
  const stem = /^(.+)(Seconds|Days)$/.exec(key)?.[1];
  return stem === undefined ? undefined : known.find((k) => k.startsWith(stem));
}

/** Turns one schema issue into config issues (one per unknown key), attributed to the right file. */
function toConfigIssues(schema: z.core.$ZodType, issue: z.core.$ZodIssue, ownerOf: (p: readonly PropertyKey[]) => string): ConfigIssue[] {
  const issuePath = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, issuePath);
    return issue.keys.map((key) => {
      const keyPath = [...issuePath, key];
      const suggestion = closestMatch(key, known) ?? renamedDurationKey(key, known);
      // A key that belongs at another level: name the full path(s) where the schema has it. A key
      // found in many places (`limits`, `image`) says nothing about where it belongs: no hint.
      const places = pathsOfKey(schema, key);
      const elsewhere = places.length <= 2 ? places.map((p) => `\`${p}\``).join(' or ') : '';
      const hint =
        suggestion && elsewhere
          ? ` (did you mean "${suggestion}"? "${key}" itself belongs at ${elsewhere})`
          : suggestion
            ? ` (did you mean "${suggestion}"?)`
            : elsewhere
              ? ` (did you mean ${elsewhere}? "${key}" belongs there)`
              : '';
      return {
        file: ownerOf(keyPath),
        path: formatPath(keyPath),
        expected: `one of the keys [${known.join(', ')}]${hint}`,
        found: `the unknown key "${key}"`,
      };
    });
  }
  const input = (issue as { input?: unknown }).input;
  let expected = issue.message;
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) expected = `a ${issue.expected}`;
  return [{ file: ownerOf(issuePath), path: formatPath(issuePath), expected, found: describeFound(input) }];
}

/**
 * Loads `config/base.yaml` overlaid with `config/<environment>.yaml` (maps merge deeply, lists
 * replace), validates the result against the schema and the cross-field rules, and returns it.
 * Throws a ConfigError listing every problem, each attributed to the file that holds the value.
 */
export function loadEnvironment<T>(configDir: string, environment: string, definition: EnvironmentDefinition<T>): EnvironmentConfig<T> {
  const baseFile = path.join(configDir, BASE_FILE);
  const envFile = path.join(configDir, `${environment}.yaml`);
  const issues: ConfigIssue[] = [];
  if (!ENVIRONMENT_NAME.test(environment)) {
    issues.push({
      file: displayPath(envFile),
      path: '',
      expected: 'a file name that is a DNS-1123 label of at most 32 characters (the environment name)',
      found: JSON.stringify(environment),
    });
  }
  if (!fs.existsSync(envFile)) {
    throw new ConfigError([{ file: displayPath(envFile), path: '', expected: 'an environment file', found: 'no such file' }]);
  }
  const base = fs.existsSync(baseFile) ? readYamlMap(baseFile) : ({ ok: true, doc: {} } as ParsedFile);
  const overlay = readYamlMap(envFile);
  if (!base.ok) issues.push(...base.issues);
  if (!overlay.ok) issues.push(...overlay.issues);
  if (!base.ok || !overlay.ok) throw new ConfigError(issues);

  const unknownEntries = newKeysInClosedMaps(
    definition.closedMaps ?? [],
    base.doc,
    overlay.doc,
    displayPath(envFile),
    displayPath(baseFile),
  );
  issues.push(...unknownEntries);
  const inherited = inheritedOwnFields(definition.ownFields ?? [], base.doc, overlay.doc, displayPath(envFile), displayPath(baseFile));
  issues.push(...inherited);
  // Fields of an unknown entry are not reported again: the entry itself is the problem. Nor is an
  // own field the overlay lacks (base.yaml holds none, so the schema finds it missing too).
  const underUnknownEntry = (p: string) =>
    [...unknownEntries, ...inherited].some((u) => p === u.path || p.startsWith(`${u.path}.`) || p.startsWith(`${u.path}[`));
  const ownerOf = (p: readonly PropertyKey[]) =>
    displayPath(hasPath(overlay.doc, p as (string | number)[]) || !hasPath(base.doc, p as (string | number)[]) ? envFile : baseFile);
  const merged = deepMerge(base.doc, overlay.doc);
  const result = definition.schema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues)
      issues.push(...toConfigIssues(definition.schema, issue, ownerOf).filter((i) => !underUnknownEntry(i.path)));
    throw new ConfigError(issues);
  }
  for (const field of definition.ineffectiveFields ?? []) {
    const reason = field.ignoredBecause(result.data);
    if (reason === undefined || !hasPath(overlay.doc, field.path)) continue;
    issues.push({
      file: displayPath(envFile),
      path: formatPath(field.path),
      expected: `no value here: it has no effect, because ${reason}`,
      found: describeFound(valueAt(overlay.doc, field.path)),
    });
  }
  for (const check of definition.checks) {
    for (const problem of check(result.data, environment)) {
      issues.push({ file: ownerOf(problem.path), path: formatPath(problem.path), expected: problem.expected, found: problem.found });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { name: environment, file: displayPath(envFile), settings: result.data };
}

/** The value at a path of a parsed YAML document, or undefined. */
function valueAt(doc: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (isYamlMap(node) ? node[key] : undefined), doc);
}

/** Own fields (see OwnField) an overlay does not set. */
function inheritedOwnFields(
  ownFields: readonly OwnField[],
  base: YamlMap,
  overlay: YamlMap,
  overlayFile: string,
  baseFile: string,
): ConfigIssue[] {
  return ownFields
    .filter((f) => !hasPath(overlay, f.path))
    .map((f) => {
      const baseValue = valueAt(base, f.path);
      return {
        file: overlayFile,
        path: formatPath(f.path),
        expected: `a value set in the environment's own file (${f.why})`,
        found:
          baseValue === undefined
            ? 'nothing (the field is missing)'
            : `nothing, so it would inherit ${describeFound(baseValue)} from ${baseFile}, which no environment may inherit`,
      };
    });
}

/** Entries an overlay adds to a closed map (see ClosedMap). */
function newKeysInClosedMaps(
  closedMaps: readonly ClosedMap[],
  base: YamlMap,
  overlay: YamlMap,
  overlayFile: string,
  baseFile: string,
): ConfigIssue[] {
  return closedMaps.flatMap(({ path: mapPath, noun }) => {
    const declared = valueAt(base, mapPath);
    const tuned = valueAt(overlay, mapPath);
    if (!isYamlMap(declared) || !isYamlMap(tuned)) return [];
    const known = Object.keys(declared);
    return Object.keys(tuned)
      .filter((key) => !(key in declared))
      .map((key) => {
        const suggestion = closestMatch(key, known);
        return {
          file: overlayFile,
          path: formatPath([...mapPath, key]),
          expected: `a known ${noun} [${known.join(', ')}]${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; new ${noun}s are declared in ${baseFile}`,
          found: `the unknown ${noun} "${key}"`,
        };
      });
  });
}

/** Loads several environments, reporting the problems of all of them together. */
export function loadEnvironments<T>(
  configDir: string,
  environments: readonly string[],
  definition: EnvironmentDefinition<T>,
): EnvironmentConfig<T>[] {
  const loaded: EnvironmentConfig<T>[] = [];
  const issues: ConfigIssue[] = [];
  for (const environment of environments) {
    try {
      loaded.push(loadEnvironment(configDir, environment, definition));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new ConfigError(dedupe(issues));
  return loaded;
}

/** The same base.yaml problem shows up once per environment; report it once. */
function dedupe(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify(i);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
