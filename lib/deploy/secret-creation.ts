import type { EnvironmentFacts } from './environment-facts';
import type { Kubectl } from './kubectl';
import type { MissingKey } from './secret-keys';
import { generateValue, secretManifest } from './secret-values';

/** Where the values of missing keys come from, in order. */
export interface ValueSources {
  /** The process environment (`SUOKE_<CREDENTIAL>` variables). */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The git-ignored `.env` file, read only when a value is needed. */
  readonly envFile: () => ReadonlyMap<string, string>;
}

/**
 * Creates each wholly missing Secret whose every needed key has a value: from the environment, the
 * `.env` file, or, for an internal credential, a fresh random one (optional keys go in when given). A Secret that exists is never touched,
 * and `kubectl create` itself refuses to overwrite one. Values travel on kubectl's stdin, never on a
 * command line, and are never printed. Returns the lines to print.
 */
export async function createMissingSecrets(
  kubectl: Kubectl,
  facts: EnvironmentFacts,
  missing: readonly MissingKey[],
  sources: ValueSources,
): Promise<string[]> {
  const wanted = [...new Set(missing.filter((k) => !k.secretExists).map((k) => k.secretName))].sort();
  if (wanted.length === 0) return [];
  let envFile: ReadonlyMap<string, string> | undefined;
  const fromFile = (name: string) => (envFile ??= sources.envFile()).get(name);
  const lines: string[] = [];
  for (const secretName of wanted) {
    const values = new Map<string, string>();
    const variables: string[] = [];
    const generated: string[] = [];
    for (const k of facts.secretKeys.filter((key) => key.secretName === secretName)) {
      const given = sources.environment[k.envVar] || fromFile(k.envVar);
      if (given) {
        values.set(k.key, given);
        variables.push(k.envVar);
      } else if (k.generate) {
        values.set(k.key, generateValue(k.generate));
        generated.push(k.key);
      }
    }
    // Complete when every key the components need has a value; optional keys go in when given.
    const needed = facts.secretKeys.filter((key) => key.secretName === secretName && !key.optional);
    if (values.size === 0 || needed.some((key) => !values.has(key.key))) continue;
    const result = await kubectl.run(['create', '-f', '-'], { input: secretManifest(secretName, facts.namespace, values) });
    if (result.status !== 0) {
      lines.push(`could not create Secret ${secretName}: ${result.stderr.trim()}`);
      continue;
    }
    const from = [variables.length ? `from ${variables.join(' ')}` : '', generated.length ? `with generated ${generated.join(', ')}` : ''];
    lines.push(`created Secret ${secretName} ${from.filter(Boolean).join(', ')}`);
  }
  if (!lines.some((l) => l.startsWith('created '))) lines.push('no Secret created: set the variables named below (environment or .env)');
  return lines;
}
