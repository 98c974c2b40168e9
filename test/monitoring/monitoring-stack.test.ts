import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { CONTRIBUTIONS, loadEnvironment } from '../../lib/registry';
import { bytesOf } from '../../lib/platform/container-resources';
import { checkPolicy } from '../../lib/policy/policy-rules';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { buildDashboard, dashboardJson, layoutGrid } from '../../lib/monitoring/dashboard-json';
import { planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { PROMETHEUS_CONFIG_MAP, PROMETHEUS_RULES_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { configCopy, configMapData, ENVIRONMENTS, findObject as objectOf, objectsOf } from '../support/environments';
import { renderedQueries } from '../support/rendered-queries';
import { metricNames } from '../../lib/monitoring/promql-names';

const podSpec = (o: KubeObject) => o.spec.template.spec;
const container = (o: KubeObject, name: string) => podSpec(o).containers.find((c: { name: string }) => c.name === name);

describe.each(ENVIRONMENTS)('monitoring stack: %s', (environment) => {
  const deployment = (name: string) => objectOf(environment, 'Deployment', name);

  test('Prometheus, Alertmanager and Grafana are rendered behind their Services', () => {
    const services = Object.fromEntries(
      objectsOf(environment)
        .filter((o) => o.kind === 'Service')
        .map((o) => [o.metadata.name, o.spec.ports.map((p: { port: number }) => p.port)]),
    );
    expect(services).toMatchObject({ 'prometheus-service': [9090], 'alertmanager-service': [9093], 'grafana-service': [3000] });
    for (const name of ['prometheus', 'alertmanager', 'grafana']) expect(deployment(name).kind).toBe('Deployment');
  });

  test('every rule_files entry, and the config file itself, is a file mounted in the Prometheus pod', () => {
    const prom = deployment('prometheus');
    const c = container(prom, 'prometheus');
    const config = yaml.load(configMapData(environment, PROMETHEUS_CONFIG_MAP)['prometheus.yml']) as { rule_files: string[] };
    const configFile = /--config\.file=(\S+)/.exec(c.args.join(' '))![1];
    const files = [configFile, ...config.rule_files];
    expect(config.rule_files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const mount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === path.dirname(file));
      expect([file, mount?.subPath]).toEqual([file, undefined]);
      const volume = podSpec(prom).volumes.find((v: { name: string }) => v.name === mount.name);
      expect(Object.keys(configMapData(environment, volume.configMap.name))).toContain(path.basename(file));
    }
    expect(Object.keys(configMapData(environment, PROMETHEUS_RULES_CONFIG_MAP)).sort()).toEqual(
      config.rule_files.map((f) => path.basename(f)).sort(),
    );
  });

  test('no monitoring container mounts through subPath (updates would never arrive)', () => {
    for (const name of ['prometheus', 'alertmanager', 'grafana']) {
      const mounts = podSpec(deployment(name)).containers.flatMap((c: { volumeMounts?: { subPath?: string }[] }) => c.volumeMounts ?? []);
      expect(mounts.filter((m: { subPath?: string }) => m.subPath)).toEqual([]);
    }
  });

  test('Prometheus runs as 65534 with health, readiness and startup probes, and a reloading sidecar', () => {
    const prom = deployment('prometheus');
    expect(podSpec(prom).securityContext).toMatchObject({ runAsUser: 65534, runAsNonRoot: true });
    const c = container(prom, 'prometheus');
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual([
      '/-/healthy',
      '/-/ready',
      '/-/ready',
    ]);
    expect(c.args).toContain('--web.enable-lifecycle');
    expect(c.args.join(' ')).not.toMatch(/admin-api/);
    expect(container(prom, 'config-reloader').args).toEqual(
      expect.arrayContaining([
        '--watched-dir=/etc/prometheus/config',
        '--watched-dir=/etc/prometheus/rules',
        '--reload-url=http://127.0.0.1:9090/-/reload',
      ]),
    );
  });

  test('TSDB: a claim where storage is persistent (always in prod), an emptyDir otherwise', () => {
    const { settings } = loadEnvironment(path.join(__dirname, '..', '..', 'config'), environment);
    const volume = podSpec(deployment('prometheus')).volumes.find(
      (v: { name: string; persistentVolumeClaim?: unknown }) => v.name === 'data' || v.name === 'prometheus-prometheus',
    );
    if (settings.monitoring.prometheus.storage.persistent) {
      expect(volume.persistentVolumeClaim.claimName).toBe('prometheus-data');
      expect(objectOf(environment, 'PersistentVolumeClaim', 'prometheus-data').spec.resources.requests.storage).toBe(
        settings.monitoring.prometheus.storage.size,
      );
      expect(deployment('prometheus').spec.strategy.type).toBe('Recreate');
    } else {
      expect(bytesOf(volume.emptyDir.sizeLimit)).toBe(bytesOf(settings.monitoring.prometheus.storage.size));
    }
    if (environment === 'prod') expect(settings.monitoring.prometheus.storage.persistent).toBe(true);
  });

  test('discovery needs only a namespaced Role; no ClusterRole unless cAdvisor is on', () => {
    const role = objectOf(environment, 'Role', 'prometheus-discovery');
    expect(role.rules.flatMap((r: { resources: string[] }) => r.resources).sort()).toEqual([
      'endpoints',
      'endpointslices',
      'pods',
      'services',
    ]);
    expect(objectsOf(environment).filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
  });

  test('Alertmanager: an HA cluster with peers when replicated, clustering off with one replica', () => {
    const am = deployment('alertmanager');
    const args: string[] = container(am, 'alertmanager').args;
    if (am.spec.replicas > 1) {
      expect(args).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^--cluster\.peer=alertmanager-cluster\.[a-z-]+\.svc:9094$/),
          '--cluster.listen-address=0.0.0.0:9094',
        ]),
      );
      expect(objectOf(environment, 'Service', 'alertmanager-cluster').spec).toMatchObject({
        clusterIP: 'None',
        publishNotReadyAddresses: true,
      });
    } else {
      expect(args).toContain('--cluster.listen-address=');
      expect(args.some((a) => a.startsWith('--cluster.peer'))).toBe(false);
    }
    if (environment === 'prod') expect(am.spec.replicas).toBe(3);
    if (environment === 'dev') expect(am.spec.replicas).toBe(1);
  });

  test('Grafana: pinned grafana/grafana, admin from Secret files, no password anywhere, anonymous access and sign-up off', () => {
    const g = deployment('grafana');
    const c = container(g, 'grafana');
    expect(c.image).toMatch(/^docker\.io\/grafana\/grafana:\d+\.\d+\.\d+$/);
    const env = Object.fromEntries(c.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env).toMatchObject({
      GF_AUTH_ANONYMOUS_ENABLED: 'false',
      GF_USERS_ALLOW_SIGN_UP: 'false',
      GF_SECURITY_ADMIN_PASSWORD__FILE: '/etc/grafana-admin/grafana-admin-password',
    });
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toBeUndefined();
    const admin = podSpec(g).volumes.find((v: { name: string }) => v.name === 'grafana-admin');
    expect(admin.secret.items.map((i: { path: string }) => i.path).sort()).toEqual(['grafana-admin-password', 'grafana-admin-user']);
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts.map((m: { mountPath: string }) => m.mountPath)).toEqual(expect.arrayContaining(['/var/lib/grafana', '/tmp']));
  });

  test('Grafana provisions a Prometheus datasource with a fixed uid, and mounts every dashboard from a ConfigMap that exists', () => {
    const g = deployment('grafana');
    const provisioning = podSpec(g).volumes.find((v: { name: string }) => v.name === 'provisioning-datasources').configMap.name;
    const ds = yaml.load(configMapData(environment, provisioning)['datasources.yaml']) as { datasources: { uid: string; url: string }[] };
    expect(ds.datasources).toEqual([expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus-service:9090' })]);
    const dashboardVolumes = podSpec(g).volumes.filter((v: { name: string }) => v.name.startsWith('dashboard-'));
    const { settings } = loadEnvironment(path.join(__dirname, '..', '..', 'config'), environment);
    expect(dashboardVolumes.length).toBe(planMonitoring(environment, settings, CONTRIBUTIONS).dashboards.length);
    expect(dashboardVolumes.length).toBeGreaterThanOrEqual(5);
    for (const v of dashboardVolumes) {
      const data = configMapData(environment, v.configMap.name);
      const [file] = Object.keys(data);
      const dashboard = JSON.parse(data[file]);
      expect(`${dashboard.uid}.json`).toBe(file);
      expect(
        c(g).volumeMounts.some(
          (m: { name: string; mountPath: string }) => m.name === v.name && m.mountPath === `/var/lib/grafana-dashboards/${dashboard.uid}`,
        ),
      ).toBe(true);
    }
  });

  test('every scrape target selects rendered pods that expose its port (or its scrape annotations)', () => {
    const { settings } = loadEnvironment(path.join(__dirname, '..', '..', 'config'), environment);
    const templates = objectsOf(environment).filter((o) => o.spec?.template?.spec?.containers);
    for (const target of planMonitoring(environment, settings, CONTRIBUTIONS).targets) {
      const pods = templates.filter((o) => Object.entries(target.podLabels).every(([k, v]) => o.spec.template.metadata.labels?.[k] === v));
      expect([target.job, pods.length > 0]).toEqual([target.job, true]);
      for (const pod of pods) {
        const ports = pod.spec.template.spec.containers.flatMap((x: { ports?: { name: string }[] }) => (x.ports ?? []).map((p) => p.name));
        if (target.portName) expect([target.job, ports]).toEqual([target.job, expect.arrayContaining([target.portName])]);
        else expect(pod.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
      }
    }
  });

  test('each monitoring pod has its NetworkPolicy; Prometheus may reach its targets, Grafana only Prometheus', () => {
    const policies = Object.fromEntries(
      objectsOf(environment)
        .filter((o) => o.kind === 'NetworkPolicy')
        .map((o) => [o.metadata.name, o.spec]),
    );
    for (const name of ['prometheus', 'alertmanager', 'grafana'])
      expect(policies[name].podSelector.matchLabels['app.kubernetes.io/name']).toBe(name);
    const egressTo = (name: string) =>
      policies[name].egress.flatMap((r: { to: object[]; ports: { port: string | number }[] }) =>
        r.to.map((peer) => ({ peer, ports: r.ports.map((p) => p.port) })),
      );
    const prometheus = egressTo('prometheus');
    const toApp = (app: string) =>
      prometheus.find(
        (x: { peer: { podSelector?: { matchLabels: Record<string, string> } } }) =>
          x.peer.podSelector?.matchLabels['app.kubernetes.io/name'] === app,
      );
    expect(toApp('litellm-gateway').ports).toEqual(['http']);
    expect(toApp('redis').ports).toEqual(['metrics']);
    expect(toApp('alertmanager').ports).toEqual(['http']);
    // PraisonAI serves no metrics: Prometheus has no way to the agent pods.
    expect(
      prometheus.some(
        (x: { peer: { podSelector?: { matchLabels: Record<string, string> } } }) =>
          x.peer.podSelector?.matchLabels['suoke.life/agent-client'] === 'true',
      ),
    ).toBe(false);
    expect(egressTo('grafana')).toEqual([
      { peer: { podSelector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'prometheus' }) } }, ports: ['http'] },
    ]);
    expect(egressTo('alertmanager').some((x: { peer: { ipBlock?: unknown } }) => x.peer.ipBlock)).toBe(true);
  });
});

const c = (o: KubeObject) => container(o, 'grafana');

describe('kube-state-metrics (test, where it runs)', () => {
  const ksm = () => objectOf('test', 'Deployment', 'kube-state-metrics');

  test('it watches exactly the resources whose metrics a rendered alert or panel reads', () => {
    // kube_pod_* come from pods, kube_deployment_* from deployments, and so on.
    const plural: Record<string, string> = {
      pod: 'pods',
      deployment: 'deployments',
      statefulset: 'statefulsets',
      persistentvolumeclaim: 'persistentvolumeclaims',
    };
    const read = new Set(
      renderedQueries('test')
        .flatMap((q) => metricNames(q.expr))
        .filter((n) => n.startsWith('kube_'))
        .map((n) => plural[n.split('_')[1]] ?? `unknown resource of ${n}`),
    );
    const flag = container(ksm(), 'kube-state-metrics')
      .args.find((a: string) => a.startsWith('--resources='))
      .split('=')[1]
      .split(',');
    expect([...flag].sort()).toEqual([...read].sort());
    const role = objectOf('test', 'Role', 'kube-state-metrics');
    expect(role.rules.flatMap((r: { resources: string[] }) => r.resources).sort()).toEqual([...read].sort());
  });

  test('readiness asks /readyz on the telemetry port, the only port that serves it', () => {
    const k = container(ksm(), 'kube-state-metrics');
    const telemetry = k.ports.find((p: { name: string }) => p.name === 'telemetry').containerPort;
    expect(k.args).toContain(`--telemetry-port=${telemetry}`);
    expect(k.readinessProbe.httpGet).toEqual({ path: '/readyz', port: telemetry, scheme: 'HTTP' });
    expect(k.livenessProbe.httpGet.path).toBe('/healthz');
  });
});

test('an environment override changes exactly that rule in the rendered rule files', () => {
  const test = configMapData('test', PROMETHEUS_RULES_CONFIG_MAP)['gateway.rules.yml'];
  const prod = configMapData('prod', PROMETHEUS_RULES_CONFIG_MAP)['gateway.rules.yml'];
  type Rules = { groups: { rules: { alert: string }[] }[] };
  const [a, b] = [test, prod].map((t) => (yaml.load(t) as Rules).groups[0].rules);
  const differing = a.filter((r, i) => JSON.stringify(r) !== JSON.stringify(b[i])).map((r) => r.alert);
  expect(differing).toEqual(['LlmSpendBurnRateHigh']);
});

test('switching cAdvisor on adds a ClusterRole for kubelet metrics, cluster-scoped, and the kubelet scrape job', () => {
  const config = configCopy({
    'test.yaml':
      'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  prometheus:\n    cadvisor: { enabled: true }\n',
  });
  const objects = renderEnvironment(loadEnvironment(config, 'test')).files.flatMap((f) => f.objects);
  const role = objects.find((o) => o.kind === 'ClusterRole')!;
  expect(role.metadata).toMatchObject({ name: 'suoke-life-test-prometheus-kubelet' });
  expect(role.metadata.namespace).toBeUndefined();
  expect(role.rules.flatMap((r: { resources: string[] }) => r.resources)).toEqual(['nodes', 'nodes/metrics']);
  const prometheusYml = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === PROMETHEUS_CONFIG_MAP)!.data['prometheus.yml'];
  expect(prometheusYml).toMatch(/job_name: kubelet-cadvisor/);
  expect(checkPolicy(objects).map((v) => `${v.rule} ${v.object}`)).toEqual([]);
  // Its container panels and alert appear with it (test/test.yaml leaves them out without it).
  const infrastructure = JSON.parse(
    objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'grafana-dashboard-infrastructure')!.data['infrastructure.json'],
  );
  expect(infrastructure.panels.map((p: { title: string }) => p.title)).toEqual(
    expect.arrayContaining(['Container CPU', 'Container memory', 'Memory against limit', 'Received', 'Sent']),
  );
  const rules = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === PROMETHEUS_RULES_CONFIG_MAP)!.data[
    'infrastructure.rules.yml'
  ];
  expect(rules).toMatch(/alert: ContainerMemoryNearLimit/);
  const shipped = JSON.parse(configMapData('test', 'grafana-dashboard-infrastructure')['infrastructure.json']);
  expect(shipped.panels.map((p: { title: string }) => p.title)).not.toContain('Container CPU');
});

describe('dashboards', () => {
  const specs = CONTRIBUTIONS.flatMap((x) => x.dashboards);

  test('the five required dashboards (and the overview) exist', () => {
    expect(specs.map((d) => d.uid).sort()).toEqual([
      'agent-collaboration',
      'infrastructure',
      'llm-gateway',
      'platform-overview',
      'postgresql',
      'redis',
    ]);
  });

  test('the same input gives the same bytes; no database id or version; keys in canonical order', () => {
    for (const spec of specs) {
      const text = dashboardJson(spec);
      expect(dashboardJson(spec)).toBe(text);
      const json = JSON.parse(text);
      expect(json.id).toBeUndefined();
      expect(json.version).toBeUndefined();
      const sortedEverywhere = (v: unknown): boolean =>
        Array.isArray(v)
          ? v.every(sortedEverywhere)
          : v && typeof v === 'object'
            ? Object.keys(v).join() === Object.keys(v).sort().join() && Object.values(v).every(sortedEverywhere)
            : true;
      expect(sortedEverywhere(json)).toBe(true);
    }
  });

  test('panels have unique ids, use the provisioned datasource, and never overlap on the grid', () => {
    for (const spec of specs) {
      const panels = buildDashboard(spec).panels as {
        id: number;
        type: string;
        datasource?: { uid: string };
        gridPos: { x: number; y: number; w: number; h: number };
      }[];
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
      expect(panels.filter((p) => p.type !== 'row').every((p) => p.datasource?.uid === 'prometheus')).toBe(true);
      const cells = new Set<string>();
      const problems: string[] = [];
      for (const { id, gridPos: g } of panels) {
        if (g.x + g.w > 24) problems.push(`panel ${id} is wider than the grid`);
        for (let x = g.x; x < g.x + g.w; x++) {
          for (let y = g.y; y < g.y + g.h; y++) {
            if (cells.has(`${x},${y}`)) problems.push(`panel ${id} overlaps at ${x},${y}`);
            cells.add(`${x},${y}`);
          }
        }
      }
      expect([spec.uid, problems]).toEqual([spec.uid, []]);
    }
  });

  test('the grid wraps panels at 24 columns and starts each row below the tallest panel', () => {
    const [first, second] = layoutGrid([
      { panels: [{ kind: 'stat' }, { kind: 'timeseries', width: 20 }] },
      { panels: [{ kind: 'timeseries' }] },
    ]);
    expect(first.panels).toEqual([
      { x: 0, y: 1, w: 6, h: 4 },
      { x: 0, y: 5, w: 20, h: 8 },
    ]);
    expect(second.row).toEqual({ x: 0, y: 13, w: 24, h: 1 });
  });
});
