import { App } from 'cdk8s';
import { CacheChart } from '../../lib/cache/cache-chart';
import { redisChecks } from '../../lib/cache/redis-checks';
import { redisMaxmemoryBytes } from '../../lib/cache/redis-conf';
import { renderCharts, type KubeObject } from '../../lib/synth/render-environment';
import { cacheFixture, fixtureEnvironment, redisFixture, type Overrides } from '../support/fixture-settings';
import type { RedisSettings } from '../../lib/cache/config';
import { findGatewaySide } from '../support/gateway-side';

/**
 * The cache chart, rendered from small fixture settings (test/support/fixture-settings.ts): what
 * it asserts follows from the fixture here, never from config/. Only the NetworkPolicy test, about
 * how the real components are wired to Redis, renders a real environment.
 */

/** The objects of the cache chart for fixture settings with these overrides. */
function renderCache(overrides: Overrides<RedisSettings> = {}): { settings: ReturnType<typeof cacheFixture>; objects: KubeObject[] } {
  const settings = cacheFixture(overrides);
  const environment = fixtureEnvironment(settings);
  const chart = new CacheChart(new App(), environment, { scraper: { podLabels: { 'fixture/scraper': 'yes' } } });
  return { settings, objects: renderCharts(environment, [chart]).files.flatMap((f) => f.objects) };
}

const fixture = renderCache();
const findObject = (kind: string, name: string, objects = fixture.objects): KubeObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const redis = (objects = fixture.objects) => findObject('Deployment', 'redis', objects);
const container = (d: KubeObject, name: string) => d.spec.template.spec.containers.find((c: any) => c.name === name);
const redisConf = (objects: KubeObject[]): string => {
  const volume = redis(objects).spec.template.spec.volumes.find((v: any) => v.name === 'config');
  return findObject('ConfigMap', volume.configMap.name, objects).data['redis.conf'];
};

describe('Redis', () => {
  test('redis-service:6379 in front of the configured image, with its pull policy', () => {
    const service = findObject('Service', 'redis-service');
    expect(service.spec.ports[0]).toEqual({ name: 'redis', port: 6379, targetPort: 'redis', protocol: 'TCP' });
    const image = fixture.settings.redis.image;
    expect(container(redis(), 'redis').image).toBe(`${image.repository}:${image.tag}`);
    expect(container(redis(), 'redis').imagePullPolicy).toBe(image.pullPolicy);
    expect(container(redis(), 'redis').command).toEqual(['redis-server', '/etc/redis/redis.conf']);
  });

  test('redis.conf from a ConfigMap: maxmemory at the configured share of the limit, the policy and client cap, no persistence, ACL users', () => {
    const conf = redisConf(fixture.objects);
    expect(conf).toContain(`maxmemory ${Math.floor((1024 ** 3 * 60) / 100)}\n`); // 60% of the fixture's 1Gi
    expect(conf).toContain('maxmemory-policy allkeys-lfu\n');
    expect(conf).toContain('maxclients 500\n');
    expect(conf).toContain('save ""\nappendonly no\n');
    expect(conf).toContain('aclfile /run/redis-acl/users.acl\n');
    expect(conf).not.toMatch(/requirepass|password/);
  });

  test('another share or limit changes maxmemory', () => {
    const conf = redisConf(renderCache({ maxmemoryPercent: 80, resources: { limits: { memory: '2Gi' } } }).objects);
    expect(conf).toContain(`maxmemory ${Math.floor((2 * 1024 ** 3 * 80) / 100)}\n`);
  });

  test('auth from the Secrets its credentials name; probes that fail on auth errors', () => {
    const d = redis();
    const init = d.spec.template.spec.initContainers[0];
    expect(init.env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'fixture-redis', key: 'gateway' },
      { name: 'fixture-redis', key: 'exporter' },
    ]);
    const c = container(d, 'redis');
    expect(c.readinessProbe.exec.command).toEqual(['redis-cli', '-e', '-h', '127.0.0.1', '-p', '6379', 'ping']);
    expect(c.livenessProbe.exec.command).toContain('-e');
    expect(c.env).toEqual([{ name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'fixture-redis', key: 'gateway' } } }]);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true });
  });

  test('a redis_exporter sidecar on 9121, with scrape annotations', () => {
    const d = redis();
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
    const policy = findGatewaySide('test', 'NetworkPolicy', 'redis');
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

  test('a maxmemory larger than 90% of the container limit is a config error; up to 90% is not', () => {
    const check = (maxmemory: string) =>
      redisChecks.flatMap((rule) => rule({ redis: redisFixture({ maxmemory }) }, { environment: 'fixture', contributions: [] }));
    expect(check('1000Mi')).toEqual([
      {
        path: ['redis', 'maxmemory'],
        expected: 'at most 90% of redis.resources.limits.memory (1Gi), i.e. 966367641 bytes; about 75-80% is usual',
        found: '1000Mi (1048576000 bytes)',
      },
    ]);
    expect(check('900Mi')).toEqual([]);
  });

  test('an explicit maxmemory within the limit is used as is', () => {
    expect(redisMaxmemoryBytes(redisFixture({ maxmemory: '400Mi' }))).toBe(400 * 1024 * 1024);
    expect(redisConf(renderCache({ maxmemory: '400Mi' }).objects)).toContain(`maxmemory ${400 * 1024 * 1024}\n`);
  });
});
