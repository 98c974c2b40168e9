import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, formatConfigIssue } from '../../lib/config/config-error';
import * as yaml from 'js-yaml';
import { deepMerge, hasPath, isYamlMap, type YamlMap } from '../../lib/config/deep-merge';
import { BASE_FILE, listEnvironments } from '../../lib/config/load-environment';
import { loadEnvironment, REGISTRY } from '../../lib/registry';
import type { EnvironmentSettings } from '../../lib/registry';
import type { KubeObject, RenderedEnvironment } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';

/** The project's config folder. */
export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

const cache = new Map<string, RenderedEnvironment<EnvironmentSettings>>();

/** Renders one environment of the real config, in memory (cached per test file). */
export function rendered(environment: string): RenderedEnvironment<EnvironmentSettings> {
  let result = cache.get(environment);
  if (!result) {
    result = renderEnvironment(loadEnvironment(CONFIG_DIR, environment));
    cache.set(environment, result);
  }
  return result;
}

/**
 * Renders an environment of a fixture: config/ plus `test/fixtures/<fixture>/<environment>.yaml` as
 * that environment's overlay (cached per test file).
 */
export function renderedFixture(fixture: string, environment: string): RenderedEnvironment<EnvironmentSettings> {
  const key = `${fixture}/${environment}`;
  let result = cache.get(key);
  if (!result) {
    const overlay = fs.readFileSync(path.join(__dirname, '..', 'fixtures', fixture, `${environment}.yaml`), 'utf8');
    result = renderEnvironment(loadEnvironment(configCopy({ [`${environment}.yaml`]: overlay }), environment));
    cache.set(key, result);
  }
  return result;
}

/** Names of the real environments. */
export const ENVIRONMENTS = listEnvironments(CONFIG_DIR);

/** Every object of one environment, in file order. */
export function objectsOf(environment: string): KubeObject[] {
  return rendered(environment).files.flatMap((f) => f.objects);
}

/** Finds one object by kind and name, failing loudly when absent. */
export function findObject(environment: string, kind: string, name: string): KubeObject {
  const found = objectsOf(environment).find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${environment}: no ${kind} ${name}`);
  return found;
}

/** The data of a rendered ConfigMap. */
export function configMapData(environment: string, name: string): Record<string, string> {
  return findObject(environment, 'ConfigMap', name).data ?? {};
}

/**
 * A temporary copy of config/ (plus the given file overrides), for tests of bad input. An override
 * of an existing environment file keeps that environment's own fields (namespace.name,
 * deploy.kubeContext: see OwnField) unless it sets them, so a test states only what it is about.
 */
export function configCopy(overrides: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-config-'));
  for (const f of fs.readdirSync(CONFIG_DIR)) fs.copyFileSync(path.join(CONFIG_DIR, f), path.join(dir, f));
  for (const [f, text] of Object.entries(overrides)) fs.writeFileSync(path.join(dir, f), withOwnFields(f, text));
  return dir;
}

/** An override of an existing environment file, with the own fields of the real one it lacks. */
function withOwnFields(file: string, text: string): string {
  const real = path.join(CONFIG_DIR, file);
  if (file === BASE_FILE || !fs.existsSync(real)) return text;
  let override: unknown;
  try {
    override = yaml.load(text, { schema: yaml.CORE_SCHEMA }) ?? {};
  } catch {
    return text; // a test of a YAML error: the loader reports it as written
  }
  const original = yaml.load(fs.readFileSync(real, 'utf8'), { schema: yaml.CORE_SCHEMA });
  const missing = (REGISTRY.definition.ownFields ?? []).filter((f) => !hasPath(override, f.path) && hasPath(original, f.path));
  if (missing.length === 0 || !isYamlMap(override)) return text;
  const kept = missing.reduce<YamlMap>((doc, f) => {
    const value = f.path.reduce<unknown>((node, key) => (node as YamlMap)[key], original);
    return deepMerge(doc, f.path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as YamlMap) as YamlMap;
  }, {});
  return yaml.dump(deepMerge(kept, override));
}

/**
 * The problems of loading an environment from a config copy with the given file overrides, each
 * formatted as the user sees it (file names shortened to their base name). Fails when it loads.
 */
export function configProblems(overrides: Record<string, string>, environment = 'dev'): string[] {
  try {
    loadEnvironment(configCopy(overrides), environment);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => formatConfigIssue({ ...i, file: path.basename(i.file) }));
  }
  throw new Error('expected a ConfigError');
}
