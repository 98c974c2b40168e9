import type { Kubectl, KubectlResult } from './kubectl';
import type { Requirement } from './preflight';

/** The outcome of one requirement. */
export interface Finding {
  readonly level: 'ok' | 'warning' | 'error';
  /** What was checked, or what is wrong. */
  readonly message: string;
  /** How to fix it (errors and warnings). */
  readonly fix?: string;
}

/** A CustomResourceDefinition as the cluster lists it (the fields the preflight reads). */
interface CrdItem {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: readonly { readonly name: string; readonly served: boolean }[];
  };
}

/** Reads of the cluster, each made once (kubectl through the verified context). */
export class ClusterView {
  private readonly cache = new Map<string, Promise<KubectlResult>>();

  constructor(
    /** kubectl pinned to the verified context. */
    private readonly kubectl: Kubectl,
    /** The same, pinned to the environment's namespace. */
    private readonly namespaced: Kubectl,
  ) {}

  /** One read, cached by its arguments. */
  public read(args: readonly string[], namespaced = false): Promise<KubectlResult> {
    const key = `${namespaced} ${args.join(' ')}`;
    let result = this.cache.get(key);
    if (!result) {
      result = (namespaced ? this.namespaced : this.kubectl).run(args);
      this.cache.set(key, result);
    }
    return result;
  }

  /** `items` of a JSON list, or undefined when the read failed. */
  public async items<T>(resource: string): Promise<T[] | undefined> {
    const result = await this.read(['get', resource, '-o', 'json']);
    if (result.status !== 0) return undefined;
    return (JSON.parse(result.stdout) as { items?: T[] }).items ?? [];
  }
}

/** `1.30` < `1.31`; minor strings of managed clusters may carry a `+` (`30+`). */
export function versionAtLeast(major: string, minor: string, minimum: string): boolean {
  const [wantMajor, wantMinor] = minimum.split('.').map(Number);
  const [gotMajor, gotMinor] = [Number.parseInt(major, 10), Number.parseInt(minor, 10)];
  return gotMajor > wantMajor || (gotMajor === wantMajor && gotMinor >= wantMinor);
}

/** Checks one requirement against the cluster. `context` names the cluster in messages. */
export async function checkRequirement(cluster: ClusterView, requirement: Requirement, context: string): Promise<Finding> {
  switch (requirement.type) {
    case 'kubernetes': {
      const result = await cluster.read(['get', '--raw=/version']);
      if (result.status !== 0)
        return {
          level: 'error',
          message: `cannot read the Kubernetes version of context ${context}: ${result.stderr.trim()}`,
          fix: 'check that kubectl can reach the API server',
        };
      const info = JSON.parse(result.stdout) as { major: string; minor: string; gitVersion?: string };
      const found = info.gitVersion ?? `${info.major}.${info.minor}`;
      return versionAtLeast(info.major, info.minor, requirement.minimum)
        ? { level: 'ok', message: `Kubernetes ${found} (at least ${requirement.minimum})` }
        : {
            level: 'error',
            message: `the cluster runs Kubernetes ${found}, older than ${requirement.minimum}, the oldest this platform supports (contracts: ${requirement.contract})`,
            fix: `upgrade the cluster to Kubernetes ${requirement.minimum} or newer`,
          };
    }
    case 'crd': {
      const crds = await cluster.items<CrdItem>('customresourcedefinitions');
      const what = `${requirement.kind} (${requirement.group}/${requirement.version})`;
      const provider = requirement.provider;
      const install = provider ? `install ${provider.title} or newer` : `install the operator that provides ${requirement.group}`;
      if (crds === undefined)
        return {
          level: 'error',
          message: `cannot list the CustomResourceDefinitions of context ${context}`,
          fix: 'grant list on customresourcedefinitions to your user',
        };
      const crd = crds.find((c) => c.spec.group === requirement.group && c.spec.names.kind === requirement.kind);
      if (!crd)
        return {
          level: 'error',
          message: `${provider ? provider.name : `the operator of ${requirement.group}`} is not installed in context ${context} (no CRD serves ${what})`,
          fix: install,
        };
      const served = crd.spec.versions.filter((v) => v.served).map((v) => v.name);
      return served.includes(requirement.version)
        ? { level: 'ok', message: `CRD of ${what} served` }
        : {
            level: 'error',
            message: `the cluster's CRD of ${requirement.kind} (${requirement.group}) serves ${served.join(', ') || 'no version'}, not ${requirement.version}, which dist/ renders`,
            fix: provider ? `upgrade to ${provider.title} or newer` : `upgrade the operator that provides ${requirement.group}`,
          };
    }
    case 'secret-store': {
      const cluster_scoped = requirement.kind === 'ClusterSecretStore';
      const result = await cluster.read(['get', requirement.kind.toLowerCase(), requirement.name, '-o', 'name'], !cluster_scoped);
      return result.status === 0
        ? { level: 'ok', message: `${requirement.kind} ${requirement.name} exists` }
        : {
            level: 'error',
            message: `the ${requirement.kind} '${requirement.name}' that the ExternalSecrets read from does not exist (security.secretStore in config/)`,
            fix: `create the ${requirement.kind} ${requirement.name}${cluster_scoped ? '' : ` in namespace ${requirement.namespace}`}, or set security.secretStore to the one you have`,
          };
    }
    case 'api-service': {
      const result = await cluster.read(['get', 'apiservice', requirement.name, '-o', 'json']);
      type ApiService = { status?: { conditions?: { type: string; status: string }[] } };
      const conditions = result.status === 0 ? ((JSON.parse(result.stdout) as ApiService).status?.conditions ?? []) : [];
      const available = conditions.find((c) => c.type === requirement.condition);
      if (available?.status === 'True') return { level: 'ok', message: `APIService ${requirement.name} ${requirement.condition}` };
      return {
        level: 'error',
        message:
          result.status === 0
            ? `APIService ${requirement.name} is not ${requirement.condition} (status ${available?.status ?? 'unknown'}); ${requirement.reason}`
            : `no APIService ${requirement.name} in context ${context}: metrics-server is not installed; ${requirement.reason}`,
        fix: `install ${requirement.provider} or newer (kube-system/metrics-server), then check: kubectl --context ${context} get apiservice ${requirement.name}`,
      };
    }
    case 'storage-class': {
      type Item = { metadata: { name: string; annotations?: Record<string, string> } };
      const classes = await cluster.items<Item>('storageclasses');
      const claims = requirement.claims.join(', ');
      if (classes === undefined)
        return {
          level: 'error',
          message: `cannot list the StorageClasses of context ${context}`,
          fix: 'grant list on storageclasses to your user',
        };
      if (requirement.name !== undefined) {
        return classes.some((c) => c.metadata.name === requirement.name)
          ? { level: 'ok', message: `StorageClass ${requirement.name} exists (${claims})` }
          : {
              level: 'error',
              message: `no StorageClass ${requirement.name} in context ${context}, which ${claims} ask for`,
              fix: `create it, or set the storageClassName in config/ to one of: ${classes.map((c) => c.metadata.name).join(', ') || '(none)'}`,
            };
      }
      const defaults = classes.filter((c) => c.metadata.annotations?.[requirement.defaultAnnotation] === 'true');
      return defaults.length > 0
        ? { level: 'ok', message: `default StorageClass ${defaults[0].metadata.name} (${claims})` }
        : {
            level: 'error',
            message: `no default StorageClass in context ${context}, and ${claims} name none`,
            fix: `mark one default: kubectl --context ${context} annotate storageclass <name> ${requirement.defaultAnnotation}=true, or set a storageClassName in config/`,
          };
    }
    case 'cni-warning':
      return {
        level: 'warning',
        message: `${requirement.policies} NetworkPolicies isolate the pods only where the network plugin (CNI) enforces them`,
        fix: "check that the cluster's network plugin enforces NetworkPolicy; without it every pod is reachable from everywhere",
      };
  }
}
