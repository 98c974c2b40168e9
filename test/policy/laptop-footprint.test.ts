import { podAmount, steadyRequests } from '../../lib/policy/quota-usage';
import { objectsOf } from '../support/environments';

/** What a laptop cluster (kind, k3d, minikube; docs/deploy.md) can give dev: issue 14. */
const LAPTOP = { cpu: 1.5, memory: 3 * 2 ** 30 };

test('dev fits a laptop cluster: at most 1.5 CPU and 3 GiB requested, every pod, Job and sidecar included', () => {
  const total = steadyRequests(objectsOf('dev'));
  expect({ cpu: total.cpu <= LAPTOP.cpu, memory: total.memory <= LAPTOP.memory, total }).toEqual({
    cpu: true,
    memory: true,
    total,
  });
});

test('the check can fail: prod does not fit a laptop', () => {
  expect(steadyRequests(objectsOf('prod')).memory).toBeGreaterThan(LAPTOP.memory);
});

describe('requests are added up as the scheduler does', () => {
  const c = (cpu: string, memory: string, restartPolicy?: string) => ({ restartPolicy, resources: { requests: { cpu, memory } } });

  test('the largest init container counts when it is more than the containers together', () => {
    expect(podAmount({ initContainers: [c('1', '1Gi')], containers: [c('100m', '128Mi'), c('100m', '128Mi')] }, 'requests')).toEqual({
      cpu: 1,
      memory: 2 ** 30,
    });
    expect(podAmount({ initContainers: [c('10m', '32Mi')], containers: [c('100m', '128Mi'), c('100m', '128Mi')] }, 'requests')).toEqual({
      cpu: 0.2,
      memory: 256 * 2 ** 20,
    });
  });

  test('a sidecar (restartPolicy Always) adds to the containers and to the init containers after it', () => {
    const spec = { initContainers: [c('500m', '64Mi', 'Always'), c('1', '1Gi')], containers: [c('100m', '128Mi')] };
    expect(podAmount(spec, 'requests')).toEqual({ cpu: 1.5, memory: 2 ** 30 + 64 * 2 ** 20 });
  });

  test('workloads count their replicas (an autoscaler its minimum), Jobs and CronJobs one pod', () => {
    const template = { spec: { containers: [c('100m', '100Mi')] } };
    const total = steadyRequests([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 3, template } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' }, spec: { template } },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'b' },
        spec: { scaleTargetRef: { name: 'b' }, minReplicas: 2, maxReplicas: 9 },
      },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } },
    ]);
    expect(total.cpu).toBeCloseTo(0.6);
    expect(total.memory).toBe(600 * 2 ** 20);
  });
});
