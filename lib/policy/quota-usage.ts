import type { CrossFieldProblem } from '../config/cross-checks';
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
 * What a pod needs on one side (requests or limits), as the scheduler counts it: its containers
 * together, or its largest init container if that is more (init containers run one at a time,
 * before the others). A sidecar (an init container with `restartPolicy: Always`) keeps running:
 * it adds to the containers, and to every init container after it.
 */
export function podAmount(spec: any, side: 'requests' | 'limits'): ComputeAmount {
  const of = (c: any, r: 'cpu' | 'memory') => quantityValue(c.resources?.[side]?.[r] ?? 0);
  const amount = (r: 'cpu' | 'memory') => {
    let sidecars = 0;
    let initPeak = 0;
    for (const c of spec.initContainers ?? []) {
      if (c.restartPolicy === 'Always') sidecars += of(c, r);
      else initPeak = Math.max(initPeak, sidecars + of(c, r));
    }
    const running = (spec.containers ?? []).reduce((a: number, c: any) => a + of(c, r), sidecars);
    return Math.max(running, initPeak);
  };
  return { cpu: amount('cpu'), memory: amount('memory') };
}

/**
 * Requests of the namespace in its steady state: each workload at its replica count (or its
 * autoscaler's minimum), each Job and CronJob with one pod (they may run at any time).
 */
export function steadyRequests(objects: readonly KubeObject[]): ComputeAmount {
  const minReplicas = new Map(
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((h) => [h.spec.scaleTargetRef.name, (h.spec.minReplicas ?? 1) as number]),
  );
  return objects.reduce<ComputeAmount>(
    (total, o) => {
      const template = podTemplateOf(o);
      if (!template) return total;
      const pods = o.kind === 'Job' || o.kind === 'CronJob' ? 1 : (minReplicas.get(o.metadata.name) ?? o.spec.replicas ?? 1);
      const pod = podAmount(template.spec, 'requests');
      return { cpu: total.cpu + pods * pod.cpu, memory: total.memory + pods * pod.memory };
    },
    { cpu: 0, memory: 0 },
  );
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

/** The quota fields of `namespace.quota` peak usage is held to, with the usage each must cover. */
const QUOTA_FIELDS = [
  { field: 'requestsCpu', need: (p: PeakUsage) => p.requests.cpu, show: cpuText },
  { field: 'requestsMemory', need: (p: PeakUsage) => p.requests.memory, show: bytesText },
  { field: 'limitsCpu', need: (p: PeakUsage) => p.limits.cpu, show: cpuText },
  { field: 'limitsMemory', need: (p: PeakUsage) => p.limits.memory, show: bytesText },
  { field: 'pods', need: (p: PeakUsage) => p.pods, show: String },
] as const;

/** Cores as a CPU quantity (`9.5`, or `1250m` below whole thousandths). */
function cpuText(cores: number): string {
  const millis = Math.ceil(cores * 1000 - 1e-6);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Bytes as a memory quantity, rounded up to whole Mi (`9472Mi`), or Gi when whole. */
function bytesText(bytes: number): string {
  const mi = Math.ceil(bytes / 2 ** 20 - 1e-9);
  return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}

/**
 * The quota fields that cannot hold the namespace at its peak (see peakUsage): the API server
 * refuses a pod that would take the namespace over its ResourceQuota, so a rollout, or an
 * autoscaler scaling out, would stall there.
 */
export function quotaProblems(
  quota: Readonly<Record<(typeof QUOTA_FIELDS)[number]['field'], string | number>>,
  objects: readonly KubeObject[],
): CrossFieldProblem[] {
  const peak = peakUsage(objects);
  return QUOTA_FIELDS.filter(({ field, need }) => need(peak) > quantityValue(quota[field])).map(({ field, need, show }) => ({
    path: ['namespace', 'quota', field],
    expected: `at least ${show(need(peak))}: every workload at its autoscaler maximum, each Job once, plus one rolling-update surge pod of the largest`,
    found: String(quota[field]),
  }));
}
