import type { KubeObject } from '../../lib/synth/render-environment';
import { redisMaxmemoryBytes } from '../../lib/cache/redis-conf';
import { loadChanged, problemsWith } from '../gateway/config-problems';
import { findGatewaySide as findObject } from '../gateway/render-charts';

const redis = (env: string) => findObject(env, 'Deployment', 'redis');
const container = (d: KubeObject, name: string) => d.spec.template.spec.containers.find((c: any) => c.name === name);

describe('Redis', () => {
  test('redis-service:6379 in front of the official image, pinned', () => {
    const service = findObject('dev', 'Service', 'redis-service');
    expect(service.spec.ports[0]).toEqual({ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' });
    expect(container(redis('dev'), 'redis').image).toBe('docker.io/redis:7.2.11');
    expect(container(redis('dev'), 'redis').command).toEqual(['redis-server', '/etc/redis/redis.conf']);
  });

  test('redis.conf from a ConfigMap: maxmemory at 75% of the limit, allkeys-lru, no persistence, ACL users', () => {
    const volume = redis('prod').spec.template.spec.volumes.find((v: any) => v.name === 'config');
    const conf: string = findObject('prod', 'ConfigMap', volume.configMap.name).data['redis.conf'];
    expect(conf).toContain(`maxmemory ${Math.floor(2 * 1024 ** 3 * 0.75)}\n`);
    expect(conf).toContain('maxmemory-policy allkeys-lru\n');
    expect(conf).toContain('save ""\nappendonly no\n');
    expect(conf).toContain('aclfile /run/redis-acl/users.acl\n');
    expect(conf).not.toMatch(/requirepass|password/);
  });

  test('auth from Secrets; probes that fail on auth errors', () => {
    const d = redis('dev');
    const init = d.spec.template.spec.initContainers[0];
    expect(init.env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'redis-auth', key: 'gateway-password' },
      { name: 'redis-auth', key: 'exporter-password' },
    ]);
    const c = container(d, 'redis');
    expect(c.readinessProbe.exec.command).toEqual(['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', 'ping']);
    expect(c.livenessProbe.exec.command).toContain('-e');
    expect(c.env).toEqual([{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'gateway-password' } } }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true });
  });

  test('a redis_exporter sidecar on 9121, with scrape annotations', () => {
    const d = redis('dev');
    const exporter = container(d, 'exporter');
    expect(exporter.ports).toEqual([{ containerPort: 9121, name: 'metrics', protocol: 'TCP' }]);
    expect(exporter.env.find((e: any) => e.name === 'REDIS_USER').value).toBe('exporter');
    // It does not send LATENCY HISTOGRAM, which its ACL user is not granted.
    expect(exporter.env.find((e: any) => e.name === 'REDIS_EXPORTER_EXCLUDE_LATENCY_HISTOGRAM_METRICS').value).toBe('true');
    expect(d.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9121',
      'prometheus.io/path': '/metrics',
    });
  });

  test('only the gateway, the agents and Prometheus may connect', () => {
    const policy = findObject('test', 'NetworkPolicy', 'redis');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'litellm-gateway', 'app.kubernetes.io/instance': 'suoke-life-test' } },
          },
          { podSelector: { matchLabels: { 'suoke.life/agent-client': 'true' } } },
        ],
        ports: [{ port: 6379, protocol: 'TCP' }],
      },
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'suoke-life-test' } } },
        ],
        ports: [{ port: 9121, protocol: 'TCP' }],
      },
    ]);
  });

  test('a maxmemory larger than the container limit is a config error', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { redis: { maxmemory: '1Gi' } } } })).toEqual([
      'dev.yaml: redis.maxmemory: expected at most 90% of redis.resources.limits.memory (256Mi), i.e. 241591910 bytes; about 75-80% is usual, found 1Gi (1073741824 bytes)',
    ]);
  });

  test('an explicit maxmemory within the limit is used as is', () => {
    const settings = loadChanged({ merge: { 'dev.yaml': { redis: { maxmemory: '200Mi' } } } }).settings.redis;
    expect(redisMaxmemoryBytes(settings)).toBe(200 * 1024 * 1024);
  });
});
