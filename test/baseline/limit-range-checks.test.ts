import { resourcesBlocks } from '../../lib/baseline/limit-range-checks';
import { loadEnvironment } from '../../lib/registry';
import { problemsWith } from '../support/config-changes';
import { CONFIG_DIR, findObject } from '../support/environments';

const redis = (requests: [string, string], limits: [string, string]) => ({
  redis: { resources: { requests: { cpu: requests[0], memory: requests[1] }, limits: { cpu: limits[0], memory: limits[1] } } },
});

describe('containers within the namespace LimitRange (LimitRanger admission)', () => {
  test('a limit or request above the maximum is refused at its field', () => {
    expect(problemsWith({ merge: { 'dev.yaml': redis(['100m', '512Mi'], ['6', '512Mi']) } })).toEqual([
      'dev.yaml: redis.resources.limits.cpu: expected at most 4 (namespace.limitRange.max.cpu, the LimitRange maximum), found 6',
    ]);
    expect(problemsWith({ merge: { 'dev.yaml': redis(['100m', '9Gi'], ['500m', '9Gi']) } })).toEqual([
      'dev.yaml: redis.resources.requests.memory: expected at most 8Gi (namespace.limitRange.max.memory, the LimitRange maximum), found 9Gi',
      'dev.yaml: redis.resources.limits.memory: expected at most 8Gi (namespace.limitRange.max.memory, the LimitRange maximum), found 9Gi',
    ]);
  });

  test('a request below the minimum is refused', () => {
    const problems = problemsWith({ merge: { 'dev.yaml': { namespace: { limitRange: { min: { cpu: '20m', memory: '32Mi' } } } } } });
    expect(problems).toContain(
      'base.yaml: redis.exporter.resources.requests.cpu: expected at least 20m (namespace.limitRange.min.cpu, the LimitRange minimum), found 10m',
    );
    expect(problems.every((p) => /requests\.cpu: expected at least 20m/.test(p))).toBe(true);
  });

  test('a limit more than maxLimitRequestRatio times the request is refused', () => {
    const problems = problemsWith({
      merge: {
        'dev.yaml': { namespace: { limitRange: { maxLimitRequestRatio: { cpu: 4 } } }, ...redis(['100m', '512Mi'], ['500m', '512Mi']) },
      },
    });
    expect(problems).toContain(
      'dev.yaml: redis.resources.limits.cpu: expected at most 4 × the request 100m (namespace.limitRange.maxLimitRequestRatio.cpu; redis.resources.requests.cpu), found 500m, 5.00 times the request',
    );
  });

  test('the shipped environments are within their LimitRange, and min and ratio render when set', () => {
    expect(() => loadEnvironment(CONFIG_DIR, 'prod')).not.toThrow();
    expect(findObject('dev', 'LimitRange', 'container-limits').spec.limits[0]).not.toHaveProperty('min');
  });

  test('resources blocks are found wherever they are, lists included', () => {
    const block = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    expect(resourcesBlocks({ a: { resources: block }, b: [{ x: block }], c: { requests: 1 } }).map((b) => b.path)).toEqual([
      ['a', 'resources'],
      ['b', 0, 'x'],
    ]);
  });
});
