import type { EnvironmentFacts, SecretKeyFact } from './environment-facts';
import { EXIT, stop } from './exit-codes';
import type { Kubectl } from './kubectl';

/** A required Secret key the namespace lacks. */
export interface MissingKey extends SecretKeyFact {
  /** Whether its Secret exists (with other keys); if not, the whole Secret is created at once. */
  readonly secretExists: boolean;
}

/** Secret names and their key names, as `kubectl get secrets` lists them (never a value). */
export type SecretListing = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * The Secrets of the namespace, names and keys only: the go-template never touches a value, so no
 * value enters this process.
 */
export async function listSecretKeys(kubectl: Kubectl, namespace: string): Promise<SecretListing> {
  const result = await kubectl.run([
    'get',
    'secrets',
    '--ignore-not-found',
    '-o',
    'go-template={{range .items}}{{.metadata.name}}{{range $k, $v := .data}} {{$k}}{{end}}{{"\\n"}}{{end}}',
  ]);
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    stop(EXIT.prerequisite, `cannot list the Secrets of namespace ${namespace} (kubectl above); the deploy needs to read their key names`);
  }
  return parseSecretListing(result.stdout);
}

/** `name key key …` lines into a map. */
export function parseSecretListing(text: string): SecretListing {
  const listing = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const [name, ...keys] = line.trim().split(/\s+/);
    if (name) listing.set(name, new Set(keys));
  }
  return listing;
}

/** The required keys the listing lacks, in the order of the facts. */
export function missingKeys(required: readonly SecretKeyFact[], listing: SecretListing): MissingKey[] {
  return required.filter((k) => !listing.get(k.secretName)?.has(k.key)).map((k) => ({ ...k, secretExists: listing.has(k.secretName) }));
}

/**
 * What an operator reads when Secret keys are missing: each key with its purpose, then the command
 * that creates each missing Secret (or patches an existing one), with `"$VAR"` placeholders where
 * the values go. Never a value.
 */
export function missingKeysReport(facts: EnvironmentFacts, missing: readonly MissingKey[]): string[] {
  const lines = [`${missing.length} required Secret key(s) missing in namespace ${facts.namespace}:`];
  for (const k of missing)
    lines.push(`  ${`${k.secretName}/${k.key}`.padEnd(45)} ${k.purpose}${k.secretExists ? '' : ` (no Secret ${k.secretName})`}`);
  lines.push('create them (each value is read from the environment variable named, never typed into the command):');
  const shown = new Set<string>();
  for (const k of missing) {
    if (!k.secretExists && !shown.has(k.secretName)) {
      shown.add(k.secretName);
      const create = facts.createCommands.find((c) => c.secretName === k.secretName);
      if (create) lines.push(`  ${create.command}`);
    } else if (k.secretExists) {
      lines.push(
        `  kubectl --context ${facts.kubeContext} -n ${facts.namespace} patch secret ${k.secretName} --type=merge -p "{\\"stringData\\":{\\"${k.key}\\":\\"$${k.envVar}\\"}}"`,
      );
    }
  }
  return lines;
}
