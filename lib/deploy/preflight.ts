import * as fs from 'node:fs';
import type { Contract, ContractSet } from '../contracts/contract';
import { CLUSTER_REQUIREMENTS } from '../platform/cluster-requirements';
import type { KubeObject } from '../platform/kube-object';

/**
 * What the rendered objects need of the cluster beyond what they create themselves, derived from
 * the objects (not a hand list): a new custom resource, autoscaler or volume is covered by itself.
 */
export type Requirement =
  | { readonly type: 'kubernetes'; readonly minimum: string; readonly contract: string }
  | {
      readonly type: 'crd';
      readonly group: string;
      readonly version: string;
      readonly kind: string;
      /** The program that provides the CRD and the oldest version supported, from the contracts. */
      readonly provider?: { readonly name: string; readonly title: string };
    }
  | { readonly type: 'secret-store'; readonly kind: string; readonly name: string; readonly namespace: string }
  | { readonly type: 'api-service'; readonly name: string; readonly condition: string; readonly provider: string; readonly reason: string }
  | { readonly type: 'storage-class'; readonly name?: string; readonly defaultAnnotation: string; readonly claims: readonly string[] }
  | { readonly type: 'cni-warning'; readonly policies: number };

/** Facts the requirements are read from: the contracts of the cluster software we support. */
export interface PreflightFacts {
  /** `apiVersion Kind` of every core kind in the Kubernetes schema (the rest are custom resources). */
  readonly coreKinds: ReadonlySet<string>;
  /** `group Kind` to the contract that ships its CRD. */
  readonly crdProviders: ReadonlyMap<string, { readonly name: string; readonly title: string }>;
  /** The metrics-server APIService name (`v1beta1.metrics.k8s.io`) and its program. */
  readonly metricsApiService: { readonly name: string; readonly title: string };
  /** The APIService condition type that says it is served (`Available`). */
  readonly availableCondition: string;
  /** The annotation marking the default StorageClass. */
  readonly defaultStorageClassAnnotation: string;
  readonly kubernetes: { readonly minimum: string; readonly title: string };
  /**
   * cert-manager's certificate shim: the annotations that make it create a Certificate for an
   * Ingress, and the served API version of that Certificate kind.
   */
  readonly certificateShim: {
    readonly annotations: readonly string[];
    readonly group: string;
    readonly version: string;
    readonly kind: string;
  };
}

/** The program name of a contract title: `External Secrets Operator v0.17.0` → `External Secrets Operator`. */
function programName(title: string): string {
  return title.replace(/\s+v?\d[\w.+-]*$/, '');
}

/** The custom kinds a contract records under `apiVersions` (`"external-secrets.io/v1 ExternalSecret"`): group, version, kind. */
function customKinds(contract: Contract): { group: string; version: string; kind: string }[] {
  return contract.names('apiVersions').flatMap((name) => {
    const match = /^([^/\s]+\.[^/\s]+)\/(\S+) (\S+)$/.exec(name);
    return match ? [{ group: match[1], version: match[2], kind: match[3] }] : [];
  });
}

/** Reads the preflight facts from the contracts of CLUSTER_REQUIREMENTS and of the programs that ship CRDs. */
export function preflightFacts(contracts: ContractSet): PreflightFacts {
  const kubernetes = contracts.require(CLUSTER_REQUIREMENTS.kubernetes.program, CLUSTER_REQUIREMENTS.kubernetes.version);
  const { kinds } = JSON.parse(fs.readFileSync(kubernetes.schemaFile('definitions'), 'utf8')) as { kinds: Record<string, string> };
  // A program whose contract records the API version of a custom kind provides its CRD
  // (`apiVersions: { "external-secrets.io/v1 ExternalSecret": … }`).
  const crdProviders = new Map<string, { name: string; title: string }>();
  for (const contract of contracts.all) {
    for (const { group, kind } of customKinds(contract)) {
      if (!crdProviders.has(`${group} ${kind}`))
        crdProviders.set(`${group} ${kind}`, { name: programName(contract.title), title: contract.title });
    }
  }
  const metrics = contracts.require(CLUSTER_REQUIREMENTS.metricsServer.program, CLUSTER_REQUIREMENTS.metricsServer.version);
  const [apiService] = metrics.names('apiService');
  const [available] = kubernetes.names('apiServiceConditions');
  const [defaultAnnotation] = kubernetes.names('annotations').filter((a) => a.startsWith('storageclass.kubernetes.io/'));
  const certManager = contracts.require(CLUSTER_REQUIREMENTS.certManager.program, CLUSTER_REQUIREMENTS.certManager.version);
  const certificate = customKinds(certManager).find((k) => k.kind === 'Certificate');
  if (!certificate) throw new Error(`${certManager.title}: its contract records no apiVersions entry for Certificate`);
  return {
    certificateShim: {
      annotations: certManager.names('annotations').filter((a) => a === 'cert-manager.io/issuer' || a === 'cert-manager.io/cluster-issuer'),
      ...certificate,
    },
    coreKinds: new Set(Object.keys(kinds)),
    crdProviders,
    metricsApiService: { name: apiService, title: metrics.title },
    availableCondition: available,
    defaultStorageClassAnnotation: defaultAnnotation,
    kubernetes: { minimum: CLUSTER_REQUIREMENTS.kubernetes.version, title: kubernetes.title },
  };
}

/** The claims of the rendered objects: PersistentVolumeClaims and StatefulSets' volumeClaimTemplates. */
function claims(objects: readonly KubeObject[]): { id: string; storageClassName?: string }[] {
  type Claim = { metadata?: { name?: string }; spec?: { storageClassName?: string } };
  return objects.flatMap((o) => {
    if (o.apiVersion === 'v1' && o.kind === 'PersistentVolumeClaim')
      return [{ id: `PersistentVolumeClaim ${o.metadata.name}`, storageClassName: (o as Claim).spec?.storageClassName }];
    if (o.apiVersion === 'apps/v1' && o.kind === 'StatefulSet') {
      const templates = ((o as { spec?: { volumeClaimTemplates?: Claim[] } }).spec?.volumeClaimTemplates ?? []) as Claim[];
      return templates.map((t) => ({
        id: `StatefulSet ${o.metadata.name} volume ${t.metadata?.name}`,
        storageClassName: t.spec?.storageClassName,
      }));
    }
    return [];
  });
}

/** The cluster requirements of a set of rendered objects. */
export function clusterRequirements(
  objects: readonly KubeObject[],
  facts: PreflightFacts,
  secretStore: { readonly kind: string; readonly name: string; readonly namespace: string } | undefined,
): Requirement[] {
  const requirements: Requirement[] = [{ type: 'kubernetes', minimum: facts.kubernetes.minimum, contract: facts.kubernetes.title }];
  // Every custom kind rendered, and the Certificate that cert-manager's shim creates for an object
  // carrying an issuer annotation: each needs its CRD served.
  const shim = facts.certificateShim;
  const kinds = [
    ...objects
      .filter((o) => o.apiVersion.includes('/') && !facts.coreKinds.has(`${o.apiVersion} ${o.kind}`))
      .map((o) => ({ group: o.apiVersion.split('/')[0], version: o.apiVersion.split('/')[1], kind: o.kind })),
    ...(objects.some((o) => Object.keys(o.metadata.annotations ?? {}).some((a) => shim.annotations.includes(a))) ? [shim] : []),
  ];
  const custom = new Map<string, Requirement>(
    kinds.map(({ group, version, kind }) => [
      `${group}/${version} ${kind}`,
      { type: 'crd', group, version, kind, provider: facts.crdProviders.get(`${group} ${kind}`) },
    ]),
  );
  requirements.push(...[...custom.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, r]) => r));
  if (secretStore && objects.some((o) => o.apiVersion.startsWith('external-secrets.io/') && o.kind === 'ExternalSecret'))
    requirements.push({ type: 'secret-store', ...secretStore });
  const autoscalers = objects.filter((o) => o.apiVersion.startsWith('autoscaling/') && o.kind === 'HorizontalPodAutoscaler');
  if (autoscalers.length > 0)
    requirements.push({
      type: 'api-service',
      name: facts.metricsApiService.name,
      condition: facts.availableCondition,
      provider: facts.metricsApiService.title,
      reason: `HorizontalPodAutoscaler ${autoscalers.map((a) => a.metadata.name).join(', ')} read pod metrics from it`,
    });
  const byClass = new Map<string | undefined, string[]>();
  for (const c of claims(objects)) byClass.set(c.storageClassName, [...(byClass.get(c.storageClassName) ?? []), c.id]);
  for (const [name, ids] of byClass)
    requirements.push({ type: 'storage-class', name, defaultAnnotation: facts.defaultStorageClassAnnotation, claims: ids });
  const policies = objects.filter((o) => o.apiVersion === 'networking.k8s.io/v1' && o.kind === 'NetworkPolicy').length;
  if (policies > 0) requirements.push({ type: 'cni-warning', policies });
  return requirements;
}
