import { loadEnvironment } from '../../lib/registry';
import type { EnvironmentSettings } from '../../lib/registry';
import type { KubeObject, RenderedEnvironment } from '../../lib/synth/render-environment';
import type { GatewaySettings } from '../../lib/gateway/config';
import { CONFIG_DIR } from '../support/environments';
import { loadWithGatewayAgentsFixture } from '../support/config-changes';
import type { Overrides } from '../support/fixture-settings';
import { findGatewaySide, objectIn, objectsIn, renderGatewaySide } from '../support/gateway-side';

/**
 * The gateway as rendered from the gateway and agents fixtures (test/support/fixture-settings.ts)
 * in a dev-like and a prod-like environment: what these tests assert follows from the fixture or
 * from the settings of the other components it is wired to, never from config/'s gateway section.
 * The last two tests are about the shipped environments themselves.
 */
const PROD_AUTOSCALING = { autoscaling: { minReplicas: 4, maxReplicas: 7, targetCpuUtilization: 55 } };
const renderFixture = (overrides: Overrides<GatewaySettings> = {}, environment = 'dev') =>
  renderGatewaySide(loadWithGatewayAgentsFixture(overrides, {}, environment));
const fixtures: Record<string, RenderedEnvironment<EnvironmentSettings>> = {
  dev: renderFixture(),
  prod: renderFixture(PROD_AUTOSCALING, 'prod'),
};
const rendered = (env: string) => fixtures[env];
const settingsOf = (env: string) => rendered(env).environment.settings;
const objectsOf = (env: string) => objectsIn(rendered(env));
const findObject = (env: string, kind: string, name: string) => objectIn(rendered(env), kind, name);
const objectsWith = (overrides: Overrides<GatewaySettings>) => objectsIn(renderFixture(overrides));
const secretRefOf = (env: string, id: string) => {
  const credential = settingsOf(env).security.credentials[id];
  return { name: credential.secretName, key: credential.key };
};

const deployment = (env: string) => findObject(env, 'Deployment', 'litellm-gateway');
const gatewayDeploymentIn = (objects: KubeObject[]) =>
  objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'litellm-gateway')!;
const pod = (d: KubeObject) => d.spec.template.spec;
const container = (d: KubeObject, name = 'litellm') => pod(d).containers.find((c: any) => c.name === name);
const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);

describe('LiteLLM gateway', () => {
  test('Deployment litellm-gateway behind litellm-gateway-service:4000', () => {
    const service = findObject('dev', 'Service', 'litellm-gateway-service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 4000, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment('dev').spec.selector.matchLabels);
  });

  test('started with --config, the whole config directory mounted (no subPath), one worker', () => {
    const d = deployment('dev');
    const c = container(d);
    expect(c.image).toBe('ghcr.io/berriai/litellm-non_root:main-v1.81.0-stable');
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.args).toEqual(['--config', '/etc/litellm/config.yaml', '--port', '4000', '--num_workers', '1']);
    const mount = c.volumeMounts.find((m: any) => m.mountPath === '/etc/litellm');
    expect(mount).toEqual({ mountPath: '/etc/litellm', name: 'config', readOnly: true });
    const volume = pod(d).volumes.find((v: any) => v.name === 'config');
    const configMap = findObject('dev', 'ConfigMap', volume.configMap.name);
    expect(Object.keys(configMap.data)).toEqual(['config.yaml']);
    expect(JSON.stringify(d)).not.toContain('subPath');
    expect(JSON.stringify(d)).not.toContain('LITELLM_CONFIG_PATH');
  });

  test('probes: liveliness, readiness and a generous startup probe; never /health', () => {
    const c = container(deployment('dev'));
    expect(c.livenessProbe.httpGet).toMatchObject({ path: '/health/liveliness', port: 4000 });
    expect(c.readinessProbe.httpGet).toMatchObject({ path: '/health/readiness', port: 4000 });
    expect(c.startupProbe.httpGet.path).toBe('/health/readiness');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    const gatewayFile = rendered('prod').files.find((f) => f.fileName === '22-litellm-gateway.k8s.yaml')!;
    const paths = (JSON.stringify(gatewayFile.objects).match(/"path":"[^"]*"/g) ?? []).map((p) => p.slice(8, -1));
    expect(paths.filter((p) => p.startsWith('/health'))).toEqual(['/health/liveliness', '/health/readiness', '/health/readiness']);
  });

  test("the image's own user, read-only root, emptyDirs only where LiteLLM writes, graceful shutdown", () => {
    const d = deployment('dev');
    expect(pod(d).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 });
    const c = container(d);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    const writable = c.volumeMounts
      .filter((m: any) => !m.readOnly)
      .map((m: any) => m.mountPath)
      .sort();
    // The proxy writes only /tmp; the migration step also its migrations directory. Nothing covers
    // /app/.cache, where the image bakes the Prisma CLI and engines.
    expect(writable).toEqual(['/tmp']);
    const migrate = pod(d).initContainers.find((i: any) => i.name === 'migrate-database');
    expect(
      migrate.volumeMounts
        .filter((m: any) => !m.readOnly)
        .map((m: any) => m.mountPath)
        .sort(),
    ).toEqual(['/tmp', '/var/lib/litellm-migrations']);
    expect(JSON.stringify(d)).not.toContain('/app/.cache');
    expect(JSON.stringify(d)).not.toContain('PRISMA_BINARY_CACHE_DIR');
    expect(pod(d).terminationGracePeriodSeconds).toBe(90);
    expect(c.lifecycle.preStop.exec.command[0]).toBe('python');
  });

  test('resources come from config', () => {
    expect(container(deployment('dev')).resources).toEqual({
      requests: { cpu: '30m', memory: '96Mi' },
      limits: { cpu: '300m', memory: '192Mi' },
    });
    const bigger = objectsWith({ resources: { limits: { memory: '512Mi' } } });
    expect(container(gatewayDeploymentIn(bigger)).resources.limits).toEqual({ cpu: '300m', memory: '512Mi' });
  });

  test('secrets only by reference: keys, master key, database URL, Redis password', () => {
    const c = container(deployment('prod'));
    const settings = settingsOf('prod');
    expect(env(c, 'LITELLM_MASTER_KEY').valueFrom.secretKeyRef).toEqual({ name: 'fixture-keys', key: 'fixture-master-key' });
    expect(env(c, 'FIXTURE_API_KEY').valueFrom.secretKeyRef).toEqual({ name: 'fixture-keys', key: 'fixture-api-key' });
    expect(env(c, 'OPENAI_API_KEY')).toBeUndefined();
    expect(env(c, 'DATABASE_URL').valueFrom.secretKeyRef).toEqual(secretRefOf('prod', settings.database.external.urlCredential));
    expect(env(c, 'REDIS_PASSWORD').valueFrom.secretKeyRef).toEqual(secretRefOf('prod', settings.redis.passwordCredential));
    expect(env(c, 'DISABLE_SCHEMA_UPDATE').value).toBe('true');
  });

  test('in-cluster database: the URL is built from the password Secret, defined after it', () => {
    const c = container(deployment('dev'));
    const names = c.env.map((e: any) => e.name);
    expect(names.indexOf('DATABASE_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'));
    const { user, database } = settingsOf('dev').database.inCluster;
    expect(env(c, 'DATABASE_URL').value).toBe(`postgresql://${user}:$(DATABASE_PASSWORD)@postgres-service:5432/${database}`);
  });

  test('migrations run before the proxy: wait for the database, migrate, then start', () => {
    const init = pod(deployment('prod')).initContainers;
    expect(init.map((c: any) => c.name)).toEqual(['wait-for-database', 'migrate-database']);
    // Our script, which exits 1 when LiteLLM reports failed migrations (upstream's exits 0).
    expect(init[1].command).toEqual(['python', '/etc/litellm-scripts/migrate_database.py']);
    expect(env(init[1], 'LITELLM_MIGRATION_DIR').value).toBe('/var/lib/litellm-migrations');
    expect(env(init[0], 'WAIT_SECONDS').value).toBe('35');
  });

  test('an image-only upgrade changes the migration step, so it runs again', () => {
    // A rebuilt image under the same tag, pinned by its digest (a new tag needs its own contract).
    const digest = `sha256:${'ab'.repeat(32)}`;
    const d = gatewayDeploymentIn(objectsWith({ image: { digest } }));
    expect(pod(d).initContainers.find((c: any) => c.name === 'migrate-database').image).toBe(
      `ghcr.io/berriai/litellm-non_root:main-v1.81.0-stable@${digest}`,
    );
  });

  test('pods roll when the config changes: a new ConfigMap name and version annotation', () => {
    const before = deployment('dev');
    const after = gatewayDeploymentIn(objectsWith({ cache: { ttl: '60s' } }));
    const version = (d: KubeObject) => d.spec.template.metadata.annotations['suoke.life/litellm-config-version'];
    expect(version(after)).not.toBe(version(before));
    expect(pod(after).volumes.find((v: any) => v.name === 'config').configMap.name).toBe(`litellm-config-${version(after)}`);
  });

  test('scraped at /metrics/ on port 4000', () => {
    expect(deployment('dev').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '4000',
      'prometheus.io/path': '/metrics/',
    });
  });

  test('autoscaling: the configured CPU autoscaler, a disruption budget and topology spread', () => {
    const d = deployment('prod');
    expect(d.spec.replicas).toBeUndefined();
    const hpa = findObject('prod', 'HorizontalPodAutoscaler', 'litellm-gateway');
    expect(hpa.spec).toMatchObject({ minReplicas: 4, maxReplicas: 7, scaleTargetRef: { kind: 'Deployment', name: 'litellm-gateway' } });
    expect(hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 55 } });
    expect(findObject('prod', 'PodDisruptionBudget', 'litellm-gateway').spec).toEqual({
      selector: { matchLabels: d.spec.selector.matchLabels },
      maxUnavailable: 1,
    });
    expect(pod(d).topologySpreadConstraints).toHaveLength(2);
    // Without an autoscaler: the configured replicas, a disruption budget from 2 pods on.
    expect(deployment('dev').spec.replicas).toBe(2);
    expect(objectsOf('dev').some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(objectsOf('dev').some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
    const single = objectsWith({ replicas: 1 });
    expect(gatewayDeploymentIn(single).spec.replicas).toBe(1);
    expect(single.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });

  test('network: ingress from agents, key job and Prometheus; egress to Redis, the database and HTTPS', () => {
    const policy = findObject('prod', 'NetworkPolicy', 'litellm-gateway');
    const from = policy.spec.ingress[0].from.map((p: any) => p.podSelector?.matchLabels);
    expect(from).toEqual([
      { 'suoke.life/agent-client': 'true' },
      { 'app.kubernetes.io/name': 'litellm-agent-keys', 'app.kubernetes.io/instance': 'suoke-life-prod' },
      { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'suoke-life-prod' },
    ]);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 4000, protocol: 'TCP' }]);
    const egress = policy.spec.egress;
    expect(egress[0]).toEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'suoke-life-prod' } } }],
      ports: [{ port: 6379, protocol: 'TCP' }],
    });
    const external = settingsOf('prod').database.external;
    expect(egress[1]).toEqual({ to: [{ ipBlock: { cidr: external.cidr } }], ports: [{ port: external.port, protocol: 'TCP' }] });
    expect(egress[2].to[0].ipBlock).toEqual({
      cidr: '0.0.0.0/0',
      except: ['169.254.0.0/16', '192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8'],
    });
    expect(egress[2].ports).toEqual([{ port: 443, protocol: 'TCP' }]);
    expect(
      findObject('dev', 'NetworkPolicy', 'litellm-gateway').spec.egress[1].to[0].podSelector.matchLabels['app.kubernetes.io/name'],
    ).toBe('postgres');
  });

  test('an ingress-controller namespace named in config may reach the gateway', () => {
    const policyIn = (objects: KubeObject[]) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'litellm-gateway')!;
    const ingressFrom = policyIn(objectsWith({ network: { ingressControllerNamespace: 'fixture-ingress' } })).spec.ingress[0].from;
    expect(ingressFrom).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'fixture-ingress' } } });
    expect(JSON.stringify(policyIn(objectsOf('dev')))).not.toContain('namespaceSelector');
  });
});

describe('per-workflow virtual keys', () => {
  const job = () => objectsOf('dev').find((o) => o.kind === 'Job' && o.metadata.name.startsWith('litellm-agent-keys-'))!;

  test('a Job registers one key per workflow from its Secret, reaching only the gateway', () => {
    const c = job().spec.template.spec.containers[0];
    expect(c.env.filter((e: any) => /^WORKFLOW_.*_GATEWAY_KEY$/.test(e.name)).map((e: any) => e.valueFrom.secretKeyRef)).toEqual([
      { name: 'fixture-keys', key: 'workflow-alpha-flow-gateway-key' },
      { name: 'fixture-keys', key: 'workflow-beta-flow-gateway-key' },
    ]);
    expect(env(c, 'GATEWAY_URL').value).toBe('http://litellm-gateway-service:4000');
    expect(job().spec.template.spec.restartPolicy).toBe('Never');
    const policy = findObject('dev', 'NetworkPolicy', 'litellm-agent-keys');
    expect(policy.spec.egress).toEqual([
      {
        to: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'litellm-gateway', 'app.kubernetes.io/instance': 'suoke-life-dev' } } },
        ],
        ports: [{ port: 4000, protocol: 'TCP' }],
      },
    ]);
  });

  test('budgets come from config, and a budget change gives the Job a new name', () => {
    const volume = job().spec.template.spec.volumes.find((v: any) => v.name === 'script');
    const keys = JSON.parse(findObject('dev', 'ConfigMap', volume.configMap.name).data['keys.json']);
    expect(keys.find((k: any) => k.client === 'alpha_flow')).toMatchObject({
      key_alias: 'alpha_flow',
      max_budget: 12,
      budget_duration: '7d',
      metadata: { workflow: 'alpha_flow' },
    });
    const name = objectsWith({ workflowKeys: { alpha_flow: { maxBudget: 50 } } }).find((o) => o.kind === 'Job')!.metadata.name;
    expect(name).toMatch(/^litellm-agent-keys-[0-9a-f]{10}$/);
    expect(name).not.toBe(job().metadata.name);
  });
});

test('every shipped environment renders the gateway', () => {
  for (const e of ['dev', 'test', 'prod'])
    expect(loadEnvironment(CONFIG_DIR, e) && findGatewaySide(e, 'Deployment', 'litellm-gateway').metadata.name).toBe('litellm-gateway');
});

test('the rendered provider egress of every shipped environment excludes private and link-local ranges', () => {
  for (const environment of ['dev', 'test', 'prod']) {
    const egress = findGatewaySide(environment, 'NetworkPolicy', 'litellm-gateway').spec.egress;
    const open = egress
      .flatMap((rule: any) => (rule.to ?? []).map((peer: any) => peer.ipBlock).filter(Boolean))
      .filter((block: any) => block.cidr === '0.0.0.0/0');
    expect(open).toEqual([{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] }]);
  }
});
