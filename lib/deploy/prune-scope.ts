import type { KubeObject } from '../synth/render-environment';

/**
 * Kinds the deploy script prunes (deletes when they disappear from `dist/<env>/`), as
 * `<group>/<version>/<Kind>` (`core` for the core group). Listed even when no object of the kind is
 * rendered today, so removing the last one of a kind still prunes it.
 */
export const PRUNABLE_KINDS: readonly string[] = [
  'core/v1/ConfigMap',
  'core/v1/Service',
  'core/v1/ServiceAccount',
  'core/v1/ResourceQuota',
  'core/v1/LimitRange',
  'apps/v1/Deployment',
  'apps/v1/StatefulSet',
  'apps/v1/DaemonSet',
  'batch/v1/Job',
  'batch/v1/CronJob',
  'networking.k8s.io/v1/NetworkPolicy',
  'networking.k8s.io/v1/Ingress',
  'policy/v1/PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/v1/RoleBinding',
  'autoscaling/v2/HorizontalPodAutoscaler',
];

/**
 * Kinds never pruned. The Namespace holds everything (deleting it deletes all); Secrets are created
 * out of band or owned by their ExternalSecret; PersistentVolumeClaims hold data.
 */
export const NEVER_PRUNED_KINDS: readonly string[] = ['core/v1/Namespace', 'core/v1/Secret', 'core/v1/PersistentVolumeClaim'];

/**
 * Kinds pruned only once nothing references them: an old hashed ConfigMap stays while a ReplicaSet
 * (a Deployment's revision history), ControllerRevision, Job or pod names it, so
 * `kubectl rollout undo` still finds its config.
 */
export const KEPT_WHILE_REFERENCED_KINDS: readonly string[] = ['core/v1/ConfigMap'];

/** `<group>/<version>/<Kind>` of an object. */
export function groupVersionKind(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return obj.apiVersion.includes('/') ? `${obj.apiVersion}/${obj.kind}` : `core/${obj.apiVersion}/${obj.kind}`;
}

/**
 * The kinds to prune for a set of manifests: the prunable built-in kinds plus every other kind the
 * manifests contain (custom resources such as ExternalSecret, whose CRDs the apply needs anyway),
 * minus the kinds that are never pruned. Sorted, so command lines are stable.
 */
export function pruneKinds(objects: readonly KubeObject[]): string[] {
  const kinds = new Set([...PRUNABLE_KINDS, ...objects.map(groupVersionKind)]);
  for (const never of NEVER_PRUNED_KINDS) kinds.delete(never);
  return [...kinds].sort();
}

/**
 * The type argument `kubectl get` resolves to exactly this kind: `Deployment.v1.apps` (kind,
 * version, group), or the lowercase kind for the core group (`service`), which kubectl always
 * resolves to the core group first.
 */
export function kubectlType(gvk: string): string {
  const [group, version, kind] = gvk.split('/');
  return group === 'core' ? kind.toLowerCase() : `${kind}.${version}.${group}`;
}

/** An object as `kubectl get -o name` prints it: `deployment.apps/litellm-gateway`, `service/redis-service`. */
export function kubectlName(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `${obj.kind.toLowerCase()}${group ? `.${group}` : ''}/${obj.metadata.name}`;
}
