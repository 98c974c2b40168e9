import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as yaml from 'js-yaml';
import { metricCatalogue } from '../../lib/monitoring/contributions';
import { jobCoverage, scrapeJobNames, uncoveredReasons } from '../../lib/monitoring/coverage';
import { planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { podMonitorJob } from '../../lib/monitoring/pod-monitors';
import { PROMETHEUS_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { ALERTMANAGER_NAME, GRAFANA_NAME, PROMETHEUS_NAME } from '../../lib/monitoring/stack-monitoring';
import { selectorLabels } from '../../lib/platform/labels';
import { CONTRIBUTIONS, loadEnvironment } from '../../lib/registry';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { configCopy, configProblems, renderedFixture } from '../support/environments';

/**
 * An environment with `monitoring: { mode: operator }` in its overlay (test/fixtures/operator/)
 * against the same overlay in bundled mode: every scrape job and alert of bundled mode is a
 * PodMonitor or a PrometheusRule rule (except the jobs of the bundled stack itself, which operator mode
 * does not run, and the alerts that read only them), no Prometheus, Alertmanager or Grafana runs, and
 * the same guarantees hold (no dead signal, NetworkPolicies, secrets by reference).
 */

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'operator', 'operator.yaml');
const operator = renderedFixture('operator', 'operator');
const objects = operator.files.flatMap((f) => f.objects);
const settings = operator.environment.settings;
const NAMESPACE = settings.namespace.name;

/** The same environment in bundled mode. */
const bundled = (() => {
  const overlay = fs.readFileSync(FIXTURE, 'utf8').replace('mode: operator', 'mode: bundled');
  const config = loadEnvironment(configCopy({ 'operator.yaml': overlay }), 'operator');
  return { config, objects: renderEnvironment(config).files.flatMap((f) => f.objects) };
})();
const bundledPlan = planMonitoring('operator', bundled.config.settings, CONTRIBUTIONS);
const operatorPlan = planMonitoring('operator', settings, CONTRIBUTIONS);
const STACK_JOBS = [PROMETHEUS_NAME, ALERTMANAGER_NAME, GRAFANA_NAME];

const ofKind = (kind: string, from: KubeObject[] = objects) => from.filter((o) => o.kind === kind);
const monitors = ofKind('PodMonitor');
const monitorByJob = new Map(monitors.map((m) => [podMonitorJob(m.spec), m]));
const rules = ofKind('PrometheusRule').flatMap((r) =>
  (r.spec.groups as { name: string; rules: { alert: string; expr: string; for: string; labels: Record<string, string> }[] }[]).flatMap(
    (g) => g.rules,
  ),
);
const bundledConfig = yaml.load(
  ofKind('ConfigMap', bundled.objects).find((o) => o.metadata.name === PROMETHEUS_CONFIG_MAP)!.data['prometheus.yml'],
) as { scrape_configs: { job_name: string; metrics_path?: string; honor_labels?: boolean; relabel_configs: Record<string, unknown>[] }[] };

test('the fixture is in operator mode and its bundled twin runs the stack', () => {
  expect(settings.monitoring.mode).toBe('operator');
  expect(ofKind('Deployment', bundled.objects).map((d) => d.metadata.name)).toEqual(expect.arrayContaining(STACK_JOBS));
});

describe('no Prometheus, Alertmanager or Grafana', () => {
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
  const images = JSON.stringify(workloads).match(/"image":"[^"]+"/g) ?? [];

  test('no workload of theirs, nor their config reloader', () => {
    expect(workloads.map((w) => w.metadata.name)).toEqual(expect.not.arrayContaining(STACK_JOBS));
    expect(images.filter((i) => /prometheus\/prometheus|alertmanager|grafana\/grafana|config-reloader/.test(i))).toEqual([]);
  });

  test('none of their Services, claims, ConfigMaps or RBAC', () => {
    const theirs = objects.filter(
      (o) => /^(prometheus|alertmanager|grafana)(-|$)/.test(o.metadata.name) && !o.metadata.name.startsWith('grafana-dashboard-'),
    );
    expect(theirs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  test('the global layer does not point at them', () => {
    const global = ofKind('ConfigMap').find((o) => o.metadata.name.startsWith('global-config-'))!;
    expect(Object.keys(global.data)).toEqual(expect.not.arrayContaining(['PROMETHEUS_URL', 'ALERTMANAGER_URL', 'GRAFANA_URL']));
  });
});

describe('scrape targets: one PodMonitor per bundled scrape job', () => {
  const bundledJobs = bundledConfig.scrape_configs.map((j) => j.job_name);

  test('every bundled job but the stack’s own is a monitor with that job label', () => {
    expect([...monitorByJob.keys()].sort()).toEqual(bundledJobs.filter((j) => !STACK_JOBS.includes(j)).sort());
  });

  test.each(bundledConfig.scrape_configs.filter((j) => !STACK_JOBS.includes(j.job_name)).map((j) => [j.job_name, j] as const))(
    '%s: same pods, port, path, honor_labels and relabelling',
    (job, config) => {
      const monitor = monitorByJob.get(job)!;
      const endpoint = monitor.spec.podMetricsEndpoints[0];
      expect(monitor.metadata.labels).toMatchObject({ release: 'team-monitoring' });
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [NAMESPACE] });
      expect(endpoint.path ?? '/metrics').toBe(config.metrics_path ?? '/metrics');
      expect(endpoint.honorLabels ?? false).toBe(config.honor_labels ?? false);
      // The bundled keep rules on pod labels and port are the monitor's selector and port.
      const keepPort = config.relabel_configs.find((r) => (r.source_labels as string[])[0] === '__meta_kubernetes_pod_container_port_name');
      expect(endpoint.port).toBe(keepPort?.regex);
      // The catch-all drops the pods of dedicated jobs: the stack's own are not there in operator mode.
      const stackPods = (r: Record<string, unknown>) => r.action === 'drop' && STACK_JOBS.some((j) => r.regex === `${NAMESPACE};${j}`);
      const rest = config.relabel_configs.filter(
        (r, i) => r !== keepPort && !stackPods(r) && !(i === 0 && r.action === 'keep' && job !== 'annotated-pods'),
      );
      const asRelabelings = rest.map((r) => ({
        sourceLabels: r.source_labels,
        regex: r.regex,
        replacement: r.replacement,
        targetLabel: r.target_label,
        action: r.action,
      }));
      const strip = (x: object) => JSON.parse(JSON.stringify(x));
      expect(strip(endpoint.relabelings.slice(0, asRelabelings.length))).toEqual(strip(asRelabelings));
      expect(endpoint.relabelings.slice(asRelabelings.length)).toEqual([
        { targetLabel: 'job', replacement: job },
        { action: 'labeldrop', regex: 'container|endpoint' },
      ]);
    },
  );
});

describe('alerts: one PrometheusRule per rule group', () => {
  const bundledAlerts = [...bundledPlan.alerts.values()].flat();
  const names = rules.map((r) => r.alert);
  const onStackOnly = (name: string) =>
    operatorPlan.gated
      .filter((g) => g.what === `alert ${name}`)
      .every((g) => g.reasons.every((r) => STACK_JOBS.some((j) => r.includes(`job ${j} `) || r.includes(`job "${j}"`))));

  test('a PrometheusRule per group, named after its component, labelled for the ruleSelector', () => {
    const prometheusRules = ofKind('PrometheusRule');
    expect(prometheusRules.map((r) => r.metadata.name)).toEqual([...bundledPlan.alerts.keys()].map((c) => `${c}-rules`));
    for (const r of prometheusRules) {
      expect(r.metadata.labels).toMatchObject({ release: 'team-monitoring' });
      expect(r.spec.groups).toHaveLength(1);
      expect(r.spec.groups[0].interval).toBe(settings.monitoring.prometheus.evaluationInterval);
    }
  });

  test('every bundled alert is a rule, unless it reads only the bundled stack’s own series', () => {
    const missing = bundledAlerts.map((a) => a.spec.name).filter((n) => !names.includes(n));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.filter((n) => !onStackOnly(n))).toEqual([]);
    expect(missing).toEqual(expect.arrayContaining(['PrometheusTargetMissing', 'AlertmanagerTargetMissing', 'GrafanaTargetMissing']));
  });

  test('same expression, for and labels, plus the labels the bundled Prometheus adds to alerts', () => {
    for (const alert of bundledAlerts.filter((a) => names.includes(a.spec.name))) {
      const rule = rules.find((r) => r.alert === alert.spec.name)!;
      expect({ name: alert.spec.name, expr: rule.expr, for: rule.for, labels: rule.labels }).toEqual({
        name: alert.spec.name,
        expr: alert.expr,
        for: alert.for,
        labels: { severity: alert.severity, component: alert.component, environment: 'operator', namespace: NAMESPACE },
      });
    }
  });

  test('per-rule overrides apply as in bundled mode', () => {
    const overlay = `${fs.readFileSync(FIXTURE, 'utf8')}  alerts:\n    overrides:\n      RedisDown: { for: 7m, severity: warning }\n      TargetDown: { enabled: false }\n`;
    const config = loadEnvironment(configCopy({ 'operator.yaml': overlay }), 'operator');
    const overridden = renderEnvironment(config)
      .files.flatMap((f) => f.objects)
      .filter((o) => o.kind === 'PrometheusRule')
      .flatMap((r) => r.spec.groups[0].rules as { alert: string; for: string; labels: Record<string, string> }[]);
    expect(overridden.find((r) => r.alert === 'RedisDown')).toMatchObject({ for: '7m', labels: { severity: 'warning' } });
    expect(overridden.map((r) => r.alert)).not.toContain('TargetDown');
  });
});

describe('no dead signal: every rule and panel reads series a rendered monitor collects', () => {
  const coverage = jobCoverage([...monitorByJob.keys()] as string[], metricCatalogue(CONTRIBUTIONS), settings);
  const panels = ofKind('ConfigMap')
    .filter((o) => o.metadata.name.startsWith('grafana-dashboard-'))
    .flatMap((cm) => Object.values(cm.data as Record<string, string>))
    .flatMap((json) => (JSON.parse(json).panels as { targets?: { expr: string }[] }[]).flatMap((p) => p.targets ?? []).map((t) => t.expr));

  test('alert rules', () => {
    expect(rules.flatMap((r) => uncoveredReasons(r.expr, coverage).map((why) => `${r.alert}: ${why}`))).toEqual([]);
  });

  test('dashboard panels', () => {
    expect(panels.length).toBeGreaterThan(0);
    expect(panels.flatMap((expr) => uncoveredReasons(expr, coverage))).toEqual([]);
  });

  test('the plan’s jobs are the monitors’ jobs', () => {
    expect(scrapeJobNames(operatorPlan.prometheusConfig).sort()).toEqual([...monitorByJob.keys()].sort());
  });
});

describe('dashboards for the Grafana sidecar', () => {
  const dashboards = ofKind('ConfigMap').filter((o) => o.metadata.name.startsWith('grafana-dashboard-'));

  test('every dashboard, with the sidecar label and folder annotation', () => {
    expect(dashboards.map((d) => d.metadata.name)).toEqual(
      ofKind('ConfigMap', bundled.objects)
        .filter((o) => o.metadata.name.startsWith('grafana-dashboard-'))
        .map((d) => d.metadata.name),
    );
    for (const d of dashboards) {
      expect(d.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
      expect(d.metadata.annotations).toEqual({ 'k8s-sidecar-target-directory': 'suoke-life' });
    }
  });

  test('queries read the configured datasource uid', () => {
    const uids = new Set(
      dashboards.flatMap((d) => [...Object.values(d.data as Record<string, string>)[0].matchAll(/"uid": "([^"]+)"/g)].map((m) => m[1])),
    );
    expect(uids.has('team-prometheus')).toBe(true);
    expect(uids.has('prometheus')).toBe(false);
  });
});

describe('routes and receivers as an AlertmanagerConfig', () => {
  const [routing] = ofKind('AlertmanagerConfig');

  test('one, labelled for the alertmanagerConfigSelector', () => {
    expect(ofKind('AlertmanagerConfig')).toHaveLength(1);
    expect(routing.metadata.labels).toMatchObject({ alertmanagerConfig: 'suoke-life' });
  });

  test('the bundled routing tree', () => {
    const r = settings.monitoring.alertmanager.routing;
    expect(routing.spec.route).toMatchObject({
      receiver: r.default,
      groupBy: ['alertname', 'component', 'namespace'],
      groupWait: r.groupWait,
    });
    expect(routing.spec.route.routes.map((x: { receiver: string }) => x.receiver)).toEqual([r.watchdog, r.critical]);
    expect(routing.spec.receivers.map((x: { name: string }) => x.name)).toEqual([
      ...settings.monitoring.alertmanager.receivers.map((x) => x.name),
      'blackhole',
    ]);
  });

  test('receiver secrets are Secret key references of security.credentials, never values', () => {
    const credentials = settings.security.credentials;
    const webhook = routing.spec.receivers.find((x: { name: string }) => x.name === 'oncall').webhookConfigs[0];
    expect(webhook.urlSecret).toEqual({ name: credentials['alert-webhook-url'].secretName, key: credentials['alert-webhook-url'].key });
    expect(webhook.url).toBeUndefined();
    expect(JSON.stringify(routing.spec)).not.toMatch(/https?:\/\//);
  });
});

describe('NetworkPolicies: only the team’s Prometheus namespace may scrape', () => {
  const policies = ofKind('NetworkPolicy');
  const teamPrometheus = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } },
    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
  };

  type Ingress = { from: unknown[]; ports: unknown[] };
  const ingressFrom = (policy: KubeObject, peer: unknown) =>
    (policy.spec.ingress as Ingress[]).find((i) => i.from.some((f) => isDeepStrictEqual(f, peer)));

  test.each(['redis', 'postgres', 'litellm-gateway', 'kube-state-metrics'])(
    '%s lets it in on the ports bundled mode opens to Prometheus',
    (name) => {
      const mine = ingressFrom(
        policies.find((p) => p.metadata.name === name)!,
        teamPrometheus,
      );
      const twin = ingressFrom(
        ofKind('NetworkPolicy', bundled.objects).find((p) => p.metadata.name === name)!,
        {
          podSelector: { matchLabels: selectorLabels(PROMETHEUS_NAME, 'operator') },
        },
      );
      expect(twin).toBeDefined();
      expect(mine?.ports).toEqual(twin!.ports);
    },
  );

  test('no policy names a Prometheus pod of the namespace itself', () => {
    const ownPrometheus = JSON.stringify({ ...selectorLabels(PROMETHEUS_NAME, 'operator') }, [
      'app.kubernetes.io/instance',
      'app.kubernetes.io/name',
    ]);
    const naming = (from: KubeObject[]) => from.filter((p) => JSON.stringify(p.spec).includes(ownPrometheus)).map((p) => p.metadata.name);
    expect(naming(ofKind('NetworkPolicy', bundled.objects))).toEqual(expect.arrayContaining(['redis', 'postgres']));
    expect(naming(policies)).toEqual([]);
  });
});

describe('config', () => {
  const overlay = fs.readFileSync(FIXTURE, 'utf8');

  test('refuses kubelet cAdvisor scraping in operator mode', () => {
    expect(configProblems({ 'operator.yaml': `${overlay}  prometheus:\n    cadvisor: { enabled: true }\n` }, 'operator')).toEqual([
      "operator.yaml: monitoring.prometheus.cadvisor.enabled: expected false in operator mode (the team's stack scrapes the kubelets; a PodMonitor cannot), found true",
    ]);
  });

  test('refuses an unknown mode', () => {
    expect(configProblems({ 'operator.yaml': overlay.replace('mode: operator', 'mode: kube-prometheus') }, 'operator')).toEqual([
      expect.stringContaining('monitoring.mode: expected one of: bundled, operator'),
    ]);
  });
});
