import type { EnvironmentConfig } from '../config/load-environment';
import { envVarName } from '../platform/env-var-name';
import type { SecuritySettings } from './config';

/** What the required Secrets are read from: the credentials, the secrets mode and store. */
type SecretsEnvironment = EnvironmentConfig<{ readonly security: SecuritySettings; readonly namespace: { readonly name: string } }>;

/** One Kubernetes Secret the platform reads, with its keys. */
export interface RequiredSecret {
  /** Secret name. */
  readonly secretName: string;
  /** Its keys, each with the credential id and what it is for. */
  readonly keys: readonly {
    readonly key: string;
    readonly credential: string;
    readonly purpose: string;
    readonly remoteKey?: string;
    readonly remoteProperty?: string;
  }[];
}

/** The Secrets an environment needs, grouped by Secret name, sorted. */
export function requiredSecrets(environment: EnvironmentConfig<{ readonly security: SecuritySettings }>): RequiredSecret[] {
  const security = environment.settings.security;
  const bySecret = new Map<string, RequiredSecret['keys'][number][]>();
  for (const [credential, ref] of Object.entries(security.credentials)) {
    const keys = bySecret.get(ref.secretName) ?? [];
    const remoteKey = security.secretStore ? (ref.remoteKey ?? `${security.secretStore.remoteKeyPrefix}/${ref.secretName}`) : undefined;
    keys.push({
      key: ref.key,
      credential,
      purpose: ref.purpose,
      remoteKey,
      remoteProperty: remoteKey ? (ref.remoteProperty ?? ref.key) : undefined,
    });
    bySecret.set(ref.secretName, keys);
  }
  return [...bySecret.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([secretName, keys]) => ({ secretName, keys: keys.sort((a, b) => a.key.localeCompare(b.key)) }));
}

/**
 * The shell variable an operator puts a credential's value in before creating its Secret:
 * `openai-api-key` → `SUOKE_OPENAI_API_KEY`. Prefixed so an unrelated variable of the same name
 * (a developer's own `DATABASE_URL`, say) never ends up in a cluster.
 */
export function secretValueVariable(credential: string): string {
  return `SUOKE_${envVarName(credential)}`;
}

/** The `kubectl create secret` command for one Secret, with placeholders instead of values. */
export function createSecretCommand(namespace: string, secret: RequiredSecret): string {
  const literals = secret.keys.map((k) => `--from-literal=${k.key}="$${secretValueVariable(k.credential)}"`);
  return `kubectl -n ${namespace} create secret generic ${secret.secretName} ${literals.join(' ')}`;
}

/**
 * `docs/required-secrets.md`: what operators must create (or map) in each environment. `notes`
 * gives the lines the components add to an environment's section (lib/registry.ts).
 */
export function renderRequiredSecretsDoc<E extends SecretsEnvironment>(
  environments: readonly E[],
  notes: (environment: E) => readonly string[],
): string {
  const lines = [
    '# Required secrets',
    '',
    'Generated from `security.credentials` in `config/` by `npm run generate`; do not edit.',
    'Values never live in git or in `dist/`. In `external` mode create each Secret out of band',
    '(the deploy script checks them and prints these commands); in `external-secrets` mode the',
    'ExternalSecret objects in `dist/<env>/` create them from the secret manager.',
    '',
  ];
  for (const environment of environments) {
    const security = environment.settings.security;
    const namespace = environment.settings.namespace.name;
    lines.push(`## ${environment.name} (namespace \`${namespace}\`, mode \`${security.secretsMode}\`)`, '');
    if (security.secretStore)
      lines.push(
        `Store: ${security.secretStore.kind} \`${security.secretStore.name}\`, refreshed every ${security.secretStore.refreshInterval}.`,
        '',
      );
    lines.push(
      '| Secret | key | credential | purpose |' + (security.secretStore ? ' remote key / property |' : ''),
      '|---|---|---|---|' + (security.secretStore ? '---|' : ''),
    );
    for (const secret of requiredSecrets(environment)) {
      for (const k of secret.keys) {
        const remote = security.secretStore ? ` \`${k.remoteKey}\` / \`${k.remoteProperty}\` |` : '';
        lines.push(`| \`${secret.secretName}\` | \`${k.key}\` | ${k.credential} | ${k.purpose} |${remote}`);
      }
    }
    if (security.secretsMode === 'external') {
      lines.push('', '```sh', ...requiredSecrets(environment).map((s) => createSecretCommand(namespace, s)), '```');
    }
    lines.push('');
    lines.push(...notes(environment));
  }
  return lines.join('\n');
}
