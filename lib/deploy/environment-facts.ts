import type { EnvironmentConfig as LoadedEnvironment } from '../config/load-environment';
import { createSecretCommand, requiredSecrets, secretValueVariable, type SecuritySettings } from '../layers';
import type { ComponentRegistry } from '../platform/component-registry';
import type { HealthProtocol } from '../platform/deploy-targets';
import type { KubeObject } from '../platform/kube-object';
import { instanceOf, PART_OF } from '../platform/labels';
import type { DeploySettings, PlatformSettings } from '../platform/platform-settings';
import { type EnvironmentSettings, REGISTRY } from '../registry';
import type { ManifestFile } from '../review/manifests';
import { groupVersionKind, KEPT_WHILE_REFERENCED_KINDS, kubectlName, kubectlType, pruneKinds } from './prune-scope';

/** What deploy reads of an environment's settings. */
type DeployEnvironment = LoadedEnvironment<PlatformSettings & { readonly deploy: DeploySettings; readonly security: SecuritySettings }>;

/** One key of a required Secret, and the environment variable the printed commands read it from. */
export interface SecretKeyFact {
  readonly secretName: string;
  readonly key: string;
  /** Credential id in `security.credentials`. */
  readonly credential: string;
  /** `openai-api-key` → `SUOKE_OPENAI_API_KEY`: the variable `createSecretCommand` and dev creation read. */
  readonly envVar: string;
  readonly purpose: string;
}

/** Everything `scripts/deploy.sh` needs to know about one environment; plain data. */
export interface EnvironmentFacts {
  readonly environment: string;
  readonly namespace: string;
  readonly kubeContext: string;
  /** Label selector that matches exactly this environment's objects (the prune scope). */
  readonly selector: string;
  readonly requireConfirmation: boolean;
  readonly rolloutTimeout: string;
  readonly createMissingSecrets: boolean;
  readonly secretsMode: 'external' | 'external-secrets';
  readonly secretStore?: { readonly kind: string; readonly name: string };
  /** Manifest file names, in apply order. */
  readonly files: readonly string[];
  readonly objectCount: number;
  /** `kubectl get` types listed (with the selector) to find objects removed from the manifests. */
  readonly pruneTypes: readonly string[];
  /** Of those, the types whose objects stay while something references them (ConfigMaps). */
  readonly keptWhileReferencedTypes: readonly string[];
  /** Every object of the manifests as `kubectl get -o name` prints it; what is not here gets pruned. */
  readonly objectNames: readonly string[];
  /** Controllers to wait for, in file order. */
  readonly rollouts: readonly { readonly kind: 'deployment' | 'statefulset' | 'daemonset' | 'job'; readonly name: string }[];
  /** ExternalSecrets the manifests define, waited for after apply. */
  readonly externalSecrets: readonly string[];
  readonly secretKeys: readonly SecretKeyFact[];
  /** The `kubectl create secret` command of each required Secret, with `"$VAR"` placeholders. */
  readonly createCommands: readonly { readonly secretName: string; readonly command: string }[];
  readonly healthChecks: readonly {
    readonly label: string;
    readonly service: string;
    readonly port: number;
    readonly protocol: HealthProtocol;
    readonly path?: string;
  }[];
  readonly access: readonly {
    readonly label: string;
    readonly service: string;
    readonly port: number;
    readonly url: string;
    /** Its address outside the cluster, where it is exposed; then no port-forward is printed. */
    readonly externalUrl?: string;
    readonly credentials: readonly SecretKeyFact[];
  }[];
  /** The environment's Namespace object exactly as the manifests define it. */
  readonly namespaceObject: KubeObject;
}

/** Manifests that the deploy script must not apply. */
export class DistProblem extends Error {}

const ROLLOUT_KINDS: Readonly<Record<string, EnvironmentFacts['rollouts'][number]['kind']>> = {
  'apps/v1/Deployment': 'deployment',
  'apps/v1/StatefulSet': 'statefulset',
  'apps/v1/DaemonSet': 'daemonset',
  'batch/v1/Job': 'job',
};

/**
 * Refuses manifests that reach outside the environment: every object must carry the platform's
 * `part-of` and this environment's `instance` label (the prune selector), and live in the
 * environment's namespace; the only object without a namespace is that Namespace itself.
 */
export function checkScope(environment: LoadedEnvironment<PlatformSettings>, files: readonly ManifestFile[]): void {
  const namespace = environment.settings.namespace.name;
  const instance = instanceOf(environment.name);
  const problems: string[] = [];
  for (const file of files) {
    for (const obj of file.objects) {
      const id = `${file.fileName}: ${obj.kind} ${obj.metadata.name}`;
      const labels = obj.metadata.labels ?? {};
      if (labels['app.kubernetes.io/part-of'] !== PART_OF)
        problems.push(
          `${id}: label app.kubernetes.io/part-of is ${JSON.stringify(labels['app.kubernetes.io/part-of'])}, expected "${PART_OF}"`,
        );
      if (labels['app.kubernetes.io/instance'] !== instance)
        problems.push(
          `${id}: label app.kubernetes.io/instance is ${JSON.stringify(labels['app.kubernetes.io/instance'])}, expected "${instance}"`,
        );
      const isOwnNamespace = obj.apiVersion === 'v1' && obj.kind === 'Namespace' && obj.metadata.name === namespace;
      if (isOwnNamespace) continue;
      if (obj.metadata.namespace !== namespace)
        problems.push(`${id}: namespace is ${JSON.stringify(obj.metadata.namespace ?? null)}, expected "${namespace}"`);
    }
  }
  if (files.length === 0) problems.push('no *.k8s.yaml files: run `npm run synth`');
  if (problems.length > 0)
    throw new DistProblem(`the manifests of ${environment.name} reach outside the environment:\n  ${problems.join('\n  ')}`);
}

/**
 * Describes one environment from its validated config and its manifests (`dist/<env>/`). Health
 * checks and access points are the components' (their descriptors', from what they build), kept
 * for the Services the manifests contain.
 */
export function describeEnvironment(environment: LoadedEnvironment<EnvironmentSettings>, files: readonly ManifestFile[]): EnvironmentFacts;
export function describeEnvironment<S extends PlatformSettings & { readonly deploy: DeploySettings; readonly security: SecuritySettings }>(
  environment: LoadedEnvironment<S>,
  files: readonly ManifestFile[],
  registry: ComponentRegistry<S>,
): EnvironmentFacts;
export function describeEnvironment(
  environment: DeployEnvironment,
  files: readonly ManifestFile[],
  registry: ComponentRegistry<EnvironmentSettings> = REGISTRY,
): EnvironmentFacts {
  checkScope(environment, files);
  const platform = registry.build(environment as LoadedEnvironment<EnvironmentSettings>);
  const namespaceObj = namespaceObject(environment, files);
  const { namespace, deploy, security } = environment.settings;
  const objects: KubeObject[] = files.flatMap((f) => f.objects);
  const services = new Set(objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Service').map((o) => o.metadata.name));
  const secrets = requiredSecrets(environment);
  const secretKeys: SecretKeyFact[] = secrets.flatMap((s) =>
    s.keys.map((k) => ({
      secretName: s.secretName,
      key: k.key,
      credential: k.credential,
      envVar: secretValueVariable(k.credential),
      purpose: k.purpose,
    })),
  );
  const byCredential = new Map(secretKeys.map((k) => [k.credential, k]));
  return {
    environment: environment.name,
    namespace: namespace.name,
    kubeContext: deploy.kubeContext,
    selector: `app.kubernetes.io/part-of=${PART_OF},app.kubernetes.io/instance=${instanceOf(environment.name)}`,
    requireConfirmation: deploy.requireConfirmation,
    rolloutTimeout: deploy.rolloutTimeout,
    createMissingSecrets: deploy.createMissingSecrets,
    secretsMode: security.secretsMode,
    secretStore:
      security.secretsMode === 'external-secrets' && security.secretStore
        ? { kind: security.secretStore.kind, name: security.secretStore.name }
        : undefined,
    files: files.map((f) => f.fileName),
    objectCount: objects.length,
    pruneTypes: pruneKinds(objects).map(kubectlType),
    keptWhileReferencedTypes: KEPT_WHILE_REFERENCED_KINDS.map(kubectlType),
    objectNames: objects.map(kubectlName),
    rollouts: objects
      .filter((o) => ROLLOUT_KINDS[groupVersionKind(o)])
      .map((o) => ({ kind: ROLLOUT_KINDS[groupVersionKind(o)], name: o.metadata.name })),
    externalSecrets: objects
      .filter((o) => o.apiVersion.startsWith('external-secrets.io/') && o.kind === 'ExternalSecret')
      .map((o) => o.metadata.name)
      .sort(),
    secretKeys,
    // The verified context is named, so a command pasted later cannot create the Secret elsewhere.
    createCommands: secrets.map((s) => ({
      secretName: s.secretName,
      command: createSecretCommand(namespace.name, s).replace(/^kubectl /, `kubectl --context ${deploy.kubeContext} `),
    })),
    healthChecks: platform.healthChecks
      .filter((c) => services.has(c.endpoint.serviceName))
      .map((c) => ({
        label: c.label,
        service: c.endpoint.serviceName,
        port: c.endpoint.port,
        protocol: c.protocol,
        path: c.path,
      })),
    access: platform.accessPoints
      .filter((a) => services.has(a.endpoint.serviceName))
      .map((a) => {
        const scheme = a.endpoint.scheme ?? 'http';
        return {
          label: a.label,
          service: a.endpoint.serviceName,
          port: a.endpoint.port,
          url: `${scheme}://localhost:${a.endpoint.port}${scheme === 'http' ? (a.path ?? '/') : ''}`,
          externalUrl: a.url,
          credentials: (a.credentials ?? []).flatMap((id) => byCredential.get(id) ?? []),
        };
      }),
    namespaceObject: namespaceObj,
  };
}

/**
 * The environment's Namespace object exactly as the manifests define it; the deploy script applies
 * it alone first when the namespace does not exist yet, so that Secrets can be created in it.
 */
function namespaceObject(environment: LoadedEnvironment<PlatformSettings>, files: readonly ManifestFile[]): KubeObject {
  const name = environment.settings.namespace.name;
  const found = files.flatMap((f) => f.objects).find((o) => o.apiVersion === 'v1' && o.kind === 'Namespace' && o.metadata.name === name);
  if (!found) throw new DistProblem(`the manifests of ${environment.name} do not define the Namespace ${name}`);
  return found;
}

/** One tab-separated record; fields may not contain tabs or line breaks, and empty fields become `-`. */
function record(...fields: (string | number)[]): string {
  return fields
    .map((f) => {
      const text = String(f);
      if (/[\t\r\n]/.test(text))
        throw new DistProblem(`cannot describe ${JSON.stringify(text)}: tabs and line breaks are not allowed in names, keys or purposes`);
      return text === '' ? '-' : text;
    })
    .join('\t');
}

/**
 * The facts as tab-separated records, one a line, the record type first, for bash
 * (`while IFS=$'\t' read -r type a b c d`). Record types: see `scripts/describe-environment.ts`.
 */
export function renderFactRecords(facts: EnvironmentFacts): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  const lines = [
    record('environment', facts.environment),
    record('namespace', facts.namespace),
    record('context', facts.kubeContext),
    record('selector', facts.selector),
    record('confirm', yesNo(facts.requireConfirmation)),
    record('timeout', facts.rolloutTimeout),
    record('create-secrets', yesNo(facts.createMissingSecrets)),
    record('secrets-mode', facts.secretsMode),
    ...(facts.secretStore ? [record('secret-store', facts.secretStore.kind, facts.secretStore.name)] : []),
    record('objects', facts.objectCount),
    ...facts.files.map((f) => record('file', f)),
    ...facts.pruneTypes.map((t) => record('prune-type', t)),
    ...facts.keptWhileReferencedTypes.map((t) => record('keep-referenced', t)),
    ...facts.objectNames.map((n) => record('object', n)),
    ...facts.rollouts.map((r) => record('rollout', r.kind, r.name)),
    ...facts.externalSecrets.map((e) => record('externalsecret', e)),
    ...facts.secretKeys.map((k) => record('secret', k.secretName, k.key, k.envVar, k.purpose)),
    ...facts.createCommands.map((c) => record('create', c.secretName, c.command)),
    ...facts.healthChecks.map((h) => record('health', h.label, h.service, h.port, h.protocol, h.path ?? '')),
    record('namespace-manifest', JSON.stringify(facts.namespaceObject)),
    // The access block, line by line ("-" is an empty line), so the script prints it without a second run.
    ...renderAccessInfo(facts)
      .trimEnd()
      .split('\n')
      .map((line) => record('access', line)),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * What an operator needs to reach the platform after a deploy: a port-forward command and URL per
 * service, and where each credential is stored, with a command that reads it. Never a value.
 */
export function renderAccessInfo(facts: EnvironmentFacts): string {
  const kubectl = `kubectl --context ${facts.kubeContext} -n ${facts.namespace}`;
  const lines: string[] = [];
  if (facts.access.length === 0) {
    lines.push('Access: no user-facing Service in this environment yet.');
  } else {
    const exposed = facts.access.some((a) => a.externalUrl);
    lines.push(
      exposed
        ? 'Access (each port-forward in its own terminal; the services with an address are exposed outside the cluster):'
        : 'Access (each port-forward in its own terminal; nothing is exposed outside the cluster):',
    );
    for (const a of facts.access) {
      lines.push(`  ${a.label}`);
      if (a.externalUrl) {
        lines.push(`    open ${a.externalUrl}`);
      } else {
        lines.push(`    ${kubectl} port-forward svc/${a.service} ${a.port}:${a.port}`);
        lines.push(`    then open ${a.url}`);
      }
      for (const c of a.credentials) lines.push(`    ${c.purpose}: Secret ${c.secretName}, key ${c.key}`);
    }
  }
  lines.push('', 'Credentials (where each is stored; values are never printed):');
  const width = Math.max(0, ...facts.secretKeys.map((k) => `${k.secretName}/${k.key}`.length));
  for (const k of facts.secretKeys) lines.push(`  ${`${k.secretName}/${k.key}`.padEnd(width)}  ${k.purpose}`);
  lines.push(`  read one: ${kubectl} get secret <name> -o go-template='{{index .data "<key>" | base64decode}}'`);
  if (facts.secretsMode === 'external-secrets' && facts.secretStore) {
    lines.push(
      `  source of truth: ${facts.secretStore.kind} ${facts.secretStore.name} (rotate values there; ExternalSecrets copy them in)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
