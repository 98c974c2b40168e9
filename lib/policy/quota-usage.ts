import type { KubeObject } from '../platform/kube-object';
import { podTemplateOf } from '../platform/pod-specs';

/** CPU in cores and memory in bytes. */
export interface ComputeAmount {
  readonly cpu: number;
  readonly memory: number;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity as a number: cores for CPU (`250m` → 0.25), bytes for memory (`1Gi`). */
export function quantityValue(quantity: string | number): number {
  const text = String(quantity);
  const match = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text);
  if (!match) throw new Error(`not a quantity: ${text}`);
  const n = Number(match[1]);
  const suffix = match[2];
  if (suffix === undefined) return n;
  if (suffix === 'm') return n / 1000;
  return n * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/**
 * What a pod needs on one side (requests or limits): its containers together, or its largest
 * init container if that is more (init containers run one at a time, before the others).
 */
function podAmount(spec: any, side: 'requests' | 'limits'): ComputeAmount {
  const of = (c: any, r: 'cpu' | 'memory') => quantityValue(c.resources?.[side]?.[r] ?? 0);
  const sum = (r: 'cpu' | 'memory') => (spec.containers ?? []).reduce((a: number, c: any) => a + of(c, r), 0);
  const init = (r: 'cpu' | 'memory') => Math.max(0, ...(spec.initContainers ?? []).map((c: any) => of(c, r)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}

/** Pods, requests and limits of a namespace at its largest: every autoscaler at its maximum. */
export interface PeakUsage {
  readonly pods: number;
  readonly requests: ComputeAmount;
  readonly limits: ComputeAmount;
}

/**
 * The namespace's usage at peak: each workload at its replica count (or its autoscaler's
 * maximum), each Job and CronJob with one pod, plus one surge pod of the largest workload for a
 * rolling update.
 */
export function peakUsage(objects: readonly KubeObject[]): PeakUsage {
  const maxReplicas = new Map(
    objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((h) => [h.spec.scaleTargetRef.name, h.spec.maxReplicas as number]),
  );
  const workloads = objects.flatMap((o) => {
    const template = podTemplateOf(o);
    if (!template) return [];
    const pods = o.kind === 'Job' || o.kind === 'CronJob' ? 1 : (maxReplicas.get(o.metadata.name) ?? o.spec.replicas ?? 1);
    return [{ pods, requests: podAmount(template.spec, 'requests'), limits: podAmount(template.spec, 'limits') }];
  });
  const largest = workloads.reduce((a, w) => (w.requests.memory > a.requests.memory ? w : a), workloads[0]);
  const all = [...workloads, { ...largest, pods: 1 }];
  const total = (side: 'requests' | 'limits', r: 'cpu' | 'memory') => all.reduce((a, w) => a + w.pods * w[side][r], 0);
  return {
    pods: all.reduce((a, w) => a + w.pods, 0),
    requests: { cpu: total('requests', 'cpu'), memory: total('requests', 'memory') },
    limits: { cpu: total('limits', 'cpu'), memory: total('limits', 'memory') },
  };
}
