import type { KubeObject } from './kube-object';

/** A pod template found in an object, with where it sits. */
export interface PodTemplateRef {
  /** The object holding the template. */
  readonly owner: KubeObject;
  /** Pod template metadata (labels, annotations). */
  readonly metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** The pod spec. */
  readonly spec: any;
  /** True for controllers of long-running pods (probes are required there). */
  readonly longRunning: boolean;
}

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** The pod template of a workload object, if it has one. */
export function podTemplateOf(obj: KubeObject): PodTemplateRef | undefined {
  if (obj.kind === 'Pod') return { owner: obj, metadata: obj.metadata, spec: obj.spec, longRunning: true };
  if (obj.kind === 'CronJob') {
    const t = obj.spec?.jobTemplate?.spec?.template;
    return t ? { owner: obj, metadata: t.metadata ?? {}, spec: t.spec, longRunning: false } : undefined;
  }
  const t = obj.spec?.template;
  if (!t?.spec?.containers) return undefined;
  return { owner: obj, metadata: t.metadata ?? {}, spec: t.spec, longRunning: LONG_RUNNING.has(obj.kind) };
}

/** Every container of a pod spec, init containers included, with its kind. */
export function containersOf(spec: any): { container: any; init: boolean }[] {
  return [
    ...(spec.initContainers ?? []).map((container: any) => ({ container, init: true })),
    ...(spec.containers ?? []).map((container: any) => ({ container, init: false })),
  ];
}

/** `Kind/namespace/name` of an object. */
export function objectId(obj: KubeObject): string {
  return `${obj.kind}/${obj.metadata.namespace ?? '-'}/${obj.metadata.name}`;
}

/** True when every `matchLabels` pair is in `labels` (and matchExpressions are absent). */
export function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  if (selector.matchExpressions?.length) return false;
  return Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}
