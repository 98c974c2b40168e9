import { quantityNumber } from '../../lib/config/fields';
import { problemsWith } from '../support/config-changes';

describe('a resources block', () => {
  test('a limit below its request is refused, at the limit, naming the request', () => {
    const problems = problemsWith({
      merge: {
        'dev.yaml': { redis: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '250m', memory: '512Mi' } } } },
      },
    });
    expect(problems).toEqual([
      'dev.yaml: redis.resources.limits.cpu: expected a limit at least the request (requests.cpu: 500m), found "250m"',
      'dev.yaml: redis.resources.limits.memory: expected a limit at least the request (requests.memory: 1Gi), found "512Mi"',
    ]);
  });

  test('every block is checked, nested ones too (a sidecar under monitoring)', () => {
    const problems = problemsWith({
      merge: {
        'dev.yaml': {
          monitoring: {
            configReloader: { resources: { requests: { cpu: '10m', memory: '128Mi' }, limits: { cpu: '50m', memory: '64Mi' } } },
          },
        },
      },
    });
    expect(problems).toEqual([
      'dev.yaml: monitoring.configReloader.resources.limits.memory: expected a limit at least the request (requests.memory: 128Mi), found "64Mi"',
    ]);
  });

  test('a limit equal to its request, in other units, is accepted', () => {
    expect(quantityNumber('1')).toBe(quantityNumber('1000m'));
    expect(quantityNumber('1Gi')).toBe(quantityNumber('1024Mi'));
    expect(() =>
      problemsWith({
        merge: {
          'dev.yaml': { redis: { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1000m', memory: '1024Mi' } } } },
        },
      }),
    ).toThrow('expected a ConfigError');
  });
});
