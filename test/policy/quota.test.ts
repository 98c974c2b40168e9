import { containersOf, podTemplateOf } from '../../lib/platform/pod-specs';
import { peakUsage, quantityValue } from '../../lib/policy/quota-usage';
import { ENVIRONMENTS, objectsOf } from '../support/environments';

describe.each(ENVIRONMENTS)('ResourceQuota of %s', (env) => {
  test('covers every workload at its maximum scale, plus a rolling-update surge pod', () => {
    const objects = objectsOf(env);
    const hard = objects.find((o) => o.kind === 'ResourceQuota')!.spec.hard;
    const peak = peakUsage(objects);
    const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)}Gi`;
    const over = [
      ['requests.cpu', peak.requests.cpu, quantityValue(hard['requests.cpu']), String],
      ['requests.memory', peak.requests.memory, quantityValue(hard['requests.memory']), gib],
      ['limits.cpu', peak.limits.cpu, quantityValue(hard['limits.cpu']), String],
      ['limits.memory', peak.limits.memory, quantityValue(hard['limits.memory']), gib],
      ['pods', peak.pods, quantityValue(hard.pods), String],
    ]
      .filter(([, need, quota]) => (need as number) > (quota as number))
      .map(
        ([name, need, quota, show]) =>
          `${name}: peak ${(show as (n: number) => string)(need as number)} > quota ${(show as (n: number) => string)(quota as number)}`,
      );
    expect(over).toEqual([]);
  });
});

describe.each(ENVIRONMENTS)('LimitRange of %s', (env) => {
  test('admits every container: none asks more than the maximum', () => {
    const objects = objectsOf(env);
    const max = objects.find((o) => o.kind === 'LimitRange')!.spec.limits[0].max;
    const too = objects.flatMap((o) => {
      const template = podTemplateOf(o);
      return template
        ? containersOf(template.spec)
            .filter(({ container }) => ['cpu', 'memory'].some((r) => quantityValue(container.resources.limits[r]) > quantityValue(max[r])))
            .map(({ container }) => `${o.kind}/${o.metadata.name} ${container.name}`)
        : [];
    });
    expect(too).toEqual([]);
  });
});

test('quantities are read as Kubernetes reads them', () => {
  expect(quantityValue('250m')).toBe(0.25);
  expect(quantityValue('2')).toBe(2);
  expect(quantityValue('1Gi')).toBe(2 ** 30);
  expect(quantityValue('1024Mi')).toBe(2 ** 30);
  expect(quantityValue('87040M')).toBe(87040e6);
});

test('the peak counts autoscaler maxima, jobs once, and one surge pod', () => {
  const pod = (cpu: string, memory: string) => ({ containers: [{ resources: { requests: { cpu, memory }, limits: { cpu, memory } } }] });
  const peak = peakUsage([
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, template: { spec: pod('1', '1Gi') } } },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { name: 'web' }, maxReplicas: 5 },
    },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: { spec: pod('500m', '512Mi') } } },
  ]);
  expect(peak).toEqual({ pods: 7, requests: { cpu: 6.5, memory: 6.5 * 2 ** 30 }, limits: { cpu: 6.5, memory: 6.5 * 2 ** 30 } });
});
