import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { renderRuleTests, ruleFileName } from '../../lib/monitoring/alert-rules';
import { PROMETHEUS_CONFIG_MAP, PROMETHEUS_RULES_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { externalLabels } from '../../lib/monitoring/prometheus-config';
import { planMonitoring } from '../../lib/monitoring/monitoring-plan';
import { CONTRIBUTIONS, loadEnvironment } from '../../lib/registry';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { configCopy, ENVIRONMENTS, rendered, renderedFixture } from '../support/environments';
import { offlinePrometheusConfig, runBatch, tempDir, toolTest } from '../support/external-tools';

/**
 * promtool (Debian `prometheus`, 2.42) on what the synthesized ConfigMaps hold, for every
 * environment, in three invocations for the whole file: `check config` (on the offline variant),
 * `check rules` (alert rules, and every dashboard query as a recording rule so its PromQL is
 * parsed too), and `test rules` (each alert's firing and quiet case, with the environment's overrides).
 */

const work = tempDir('suoke-promtool-');
const configs: string[] = [];
const ruleFiles: string[] = [];
const testFiles: string[] = [];
const dashboardRuleFiles: string[] = [];
const distinct = new Map<string, string>();
const coveredBy = new Map<string, string>();

/**
 * The environments as rendered, and one variant with every optional source on (kube-state-metrics
 * and the kubelets' cAdvisor), so alerts that ship in no environment today are tested too.
 */
const ALL_ON = 'test-all-sources';
const variants = [
  ...ENVIRONMENTS.map((environment) => ({
    environment,
    name: environment,
    objects: rendered(environment).files.flatMap((f) => f.objects),
    settings: rendered(environment).environment.settings,
  })),
  (() => {
    const overlay =
      'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  prometheus:\n    cadvisor: { enabled: true }\n    kubeStateMetrics: { enabled: true }\n';
    const config = loadEnvironment(configCopy({ 'test.yaml': overlay }), 'test');
    return {
      environment: 'test',
      name: ALL_ON,
      objects: renderEnvironment(config).files.flatMap((f) => f.objects),
      settings: config.settings,
    };
  })(),
];
const dataOf = (objects: KubeObject[], name: string): Record<string, string> =>
  objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name)?.data ?? {};

for (const { environment, name: variant, objects, settings } of variants) {
  const dir = path.join(work, variant);
  const ruleDir = path.join(dir, 'rules');
  fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
  fs.mkdirSync(ruleDir);
  for (const [file, text] of Object.entries(dataOf(objects, PROMETHEUS_RULES_CONFIG_MAP))) {
    fs.writeFileSync(path.join(ruleDir, file), text);
    ruleFiles.push(path.join(ruleDir, file));
  }
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, offlinePrometheusConfig(dataOf(objects, PROMETHEUS_CONFIG_MAP)['prometheus.yml'], ruleDir));
  // The variant's kubelet job reads the pod's service-account token, which does not exist here;
  // its rules and their tests are what it is for.
  if (variant !== ALL_ON) configs.push(configFile);

  // Unit tests run per alert, against that alert's rule exactly as rendered in the ConfigMap:
  // promtool evaluates every rule of a file for every test group, so one rule per file keeps the
  // suite fast. Identical (rule, tests) pairs across environments are tested once.
  for (const [component, alerts] of planMonitoring(environment, settings, CONTRIBUTIONS).alerts) {
    const renderedRules = yaml.load(fs.readFileSync(path.join(ruleDir, ruleFileName(component)), 'utf8')) as {
      groups: { name: string; rules: { alert: string }[] }[];
    };
    for (const alert of alerts) {
      const rule = renderedRules.groups[0].rules.find((r) => r.alert === alert.spec.name);
      if (!rule) throw new Error(`${variant}: ${alert.spec.name} is not in the rendered ${ruleFileName(component)}`);
      const ruleText = yaml.dump({ groups: [{ name: renderedRules.groups[0].name, rules: [rule] }] }, { lineWidth: -1 });
      const tests = renderRuleTests('RULES', [alert], '1m');
      const key = `${ruleText}\0${tests}`;
      coveredBy.set(`${variant}/${alert.spec.name}`, key);
      if (distinct.has(key)) continue;
      const base = path.join(dir, 'tests', alert.spec.name);
      fs.writeFileSync(`${base}.rules.yml`, ruleText);
      fs.writeFileSync(`${base}.test.yml`, tests.replace('RULES', `${base}.rules.yml`));
      distinct.set(key, `${base}.test.yml`);
      testFiles.push(`${base}.test.yml`);
    }
  }

  // Dashboard queries, taken from the rendered dashboard ConfigMaps, as recording rules.
  const exprs = objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboard-'))
    .flatMap((cm) => Object.values(cm.data as Record<string, string>))
    .flatMap((json) => (JSON.parse(json).panels as { targets?: { expr: string }[] }[]).flatMap((p) => p.targets ?? []).map((t) => t.expr));
  const dashboardRules = path.join(dir, 'dashboards.rules.yml');
  fs.writeFileSync(
    dashboardRules,
    yaml.dump({
      groups: [
        {
          name: 'dashboard-queries',
          rules: exprs.map((expr, i) => ({
            record: `dashboard:query:${i}`,
            expr: expr.replace(/\$__(rate_interval|range|interval)/g, '5m'),
          })),
        },
      ],
    }),
  );
  dashboardRuleFiles.push(dashboardRules);
}

// Operator mode: the groups of the rendered PrometheusRules, as rule files, with the same unit
// tests (whose expected labels include the external labels each rule carries there).
const OPERATOR = 'operator-mode';
{
  const operator = renderedFixture('operator', 'operator');
  const { name: environment, settings } = operator.environment;
  const dir = path.join(work, OPERATOR);
  fs.mkdirSync(path.join(dir, 'tests'), { recursive: true });
  const groups = operator.files
    .flatMap((f) => f.objects)
    .filter((o) => o.kind === 'PrometheusRule')
    .map((o) => (o.spec as { groups: { name: string; rules: { alert: string }[] }[] }).groups[0]);
  groups.forEach((group, i) => {
    const file = path.join(dir, `prometheusrule-${i}.rules.yml`);
    fs.writeFileSync(file, yaml.dump({ groups: [group] }, { lineWidth: -1 }));
    ruleFiles.push(file);
  });
  for (const alerts of planMonitoring(environment, settings, CONTRIBUTIONS).alerts.values()) {
    for (const alert of alerts) {
      const group = groups.find((g) => g.rules.some((r) => r.alert === alert.spec.name));
      if (!group) throw new Error(`${OPERATOR}: ${alert.spec.name} is in no rendered PrometheusRule`);
      const rule = group.rules.find((r) => r.alert === alert.spec.name);
      const base = path.join(dir, 'tests', alert.spec.name);
      fs.writeFileSync(`${base}.rules.yml`, yaml.dump({ groups: [{ name: group.name, rules: [rule] }] }, { lineWidth: -1 }));
      const tests = renderRuleTests(`${base}.rules.yml`, [alert], '1m', externalLabels(environment, settings.namespace.name));
      fs.writeFileSync(`${base}.test.yml`, tests);
      coveredBy.set(`${OPERATOR}/${alert.spec.name}`, tests);
      distinct.set(tests, `${base}.test.yml`);
      testFiles.push(`${base}.test.yml`);
    }
  }
}

// One firing case turned into a wrong "quiet" expectation: promtool must reject it.
const brokenFile = path.join(work, 'broken.test.yml');
{
  const doc = yaml.load(fs.readFileSync(testFiles[0], 'utf8')) as { tests: { alert_rule_test: { exp_alerts: unknown[] }[] }[] };
  doc.tests = [doc.tests[0]];
  doc.tests[0].alert_rule_test[0].exp_alerts = [];
  fs.writeFileSync(brokenFile, yaml.dump(doc, { lineWidth: -1 }));
}

const runs = runBatch([
  { id: 'check-config', command: `promtool check config ${configs.join(' ')}` },
  { id: 'check-rules', command: `promtool check rules ${[...ruleFiles, ...dashboardRuleFiles].join(' ')}` },
  // Two promtool processes at a time, a dozen files each.
  { id: 'test-rules', command: `printf '%s\\n' ${testFiles.join(' ')} | xargs -P 2 -n 12 promtool test rules` },
  { id: 'broken', command: `command -v promtool >/dev/null || exit 77; promtool test rules ${brokenFile}` },
]);
const promtoolTest = toolTest('promtool', 'prometheus');

promtoolTest('promtool check config: the rendered prometheus.yml of every environment is valid', () => {
  const run = runs.get('check-config')!;
  expect(run.output).not.toMatch(/FAILED/);
  expect(run.code).toBe(0);
  expect(run.output.match(/is valid prometheus config file syntax/g)).toHaveLength(configs.length);
});

promtoolTest('promtool check rules: every rule file and every dashboard query parses', () => {
  const run = runs.get('check-rules')!;
  expect(run.output).not.toMatch(/FAILED/);
  expect(run.code).toBe(0);
  expect(run.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(ruleFiles.length + dashboardRuleFiles.length);
});

promtoolTest('promtool test rules: every alert fires on its firing case and stays quiet on its quiet case', () => {
  const run = runs.get('test-rules')!;
  expect(run.output).not.toMatch(/FAILED/);
  expect(run.code).toBe(0);
  expect(run.output.match(/SUCCESS/g)).toHaveLength(testFiles.length);
});

test('every alert in effect has a firing case, and a quiet case unless it fires by design', () => {
  for (const [where, key] of coveredBy) {
    const file = distinct.get(key)!;
    expect(path.basename(file)).toBe(`${where.split('/')[1]}.test.yml`);
    expect(testFiles).toContain(file);
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as {
      rule_files: string[];
      tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
    };
    const rules = yaml.load(fs.readFileSync(doc.rule_files[0], 'utf8')) as { groups: { rules: { alert: string }[] }[] };
    const cases = doc.tests.flatMap((t) => t.alert_rule_test);
    for (const { alert } of rules.groups[0].rules) {
      const mine = cases.filter((c) => c.alertname === alert);
      expect([alert, mine.filter((c) => c.exp_alerts.length === 1).length]).toEqual([alert, 1]);
      expect([alert, mine.filter((c) => c.exp_alerts.length === 0).length]).toEqual([alert, alert === 'Watchdog' ? 0 : 1]);
    }
  }
});

test('operator mode runs the same unit tests on the rules of its PrometheusRules', () => {
  const operatorAlerts = [...coveredBy.keys()].filter((k) => k.startsWith(`${OPERATOR}/`));
  expect(operatorAlerts).toEqual(expect.arrayContaining([`${OPERATOR}/Watchdog`, `${OPERATOR}/RedisDown`]));
  const doc = yaml.load(fs.readFileSync(distinct.get(coveredBy.get(`${OPERATOR}/RedisDown`)!)!, 'utf8')) as {
    tests: { alert_rule_test: { exp_alerts: { exp_labels: Record<string, string> }[] }[] }[];
  };
  expect(doc.tests[0].alert_rule_test[0].exp_alerts[0].exp_labels).toMatchObject({
    namespace: 'suoke-life-operator',
    environment: 'operator',
  });
});

test('the variant with every source on tests the alerts no environment ships today', () => {
  for (const name of ['KubeletCadvisorTargetMissing', 'ContainerMemoryNearLimit', 'KubeStateMetricsTargetMissing'])
    expect(coveredBy.has(`${ALL_ON}/${name}`)).toBe(true);
});

test('a wrong expectation makes promtool fail (the unit tests can fail)', () => {
  const run = runs.get('broken')!;
  if (run.code === 77) return; // promtool missing: reported by the tests above
  expect(run.code).toBe(1);
  expect(run.output).toMatch(/FAILED:[\s\S]*exp:\[\]/);
});
