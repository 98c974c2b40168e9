import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { CONTRIBUTIONS, loadEnvironment } from '../../lib/registry';
import { effectiveAlerts, renderRuleFile } from '../../lib/monitoring/alert-rules';
import { shippedAlerts } from '../../lib/monitoring/contributions';
import { configCopy, ENVIRONMENTS, rendered } from '../support/environments';
import { problemsWith } from '../support/config-changes';

type Rule = { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> };
const gateway = CONTRIBUTIONS.find((c) => c.component === 'gateway')!;
const rulesOf = (overrides: Parameters<typeof effectiveAlerts>[1]) =>
  (yaml.load(renderRuleFile('gateway', effectiveAlerts(gateway, overrides))) as { groups: { rules: Rule[] }[] }).groups[0].rules;

/** The rules that differ between two renderings, by name. */
function changed(a: Rule[], b: Rule[]): string[] {
  const byName = new Map(b.map((r) => [r.alert, r]));
  return [...new Set([...a.map((r) => r.alert), ...b.map((r) => r.alert)])].filter(
    (name) => JSON.stringify(a.find((r) => r.alert === name)) !== JSON.stringify(byName.get(name)),
  );
}

test('a threshold override changes exactly that rule, and only its threshold', () => {
  const shipped = rulesOf({});
  const tuned = rulesOf({ GatewayHighErrorRatio: { threshold: 0.2 } });
  expect(changed(shipped, tuned)).toEqual(['GatewayHighErrorRatio']);
  const before = shipped.find((r) => r.alert === 'GatewayHighErrorRatio')!;
  const after = tuned.find((r) => r.alert === 'GatewayHighErrorRatio')!;
  expect(before.expr).toMatch(/> 0\.05$/);
  expect(after).toEqual({ ...before, expr: before.expr.replace(/0\.05$/, '0.2') });
});

test('for and severity overrides change exactly that rule', () => {
  const shipped = rulesOf({});
  const tuned = rulesOf({ GatewayDeploymentOutage: { for: '15m', severity: 'warning' } });
  expect(changed(shipped, tuned)).toEqual(['GatewayDeploymentOutage']);
  const before = shipped.find((r) => r.alert === 'GatewayDeploymentOutage')!;
  expect(tuned.find((r) => r.alert === 'GatewayDeploymentOutage')).toEqual({
    ...before,
    for: '15m',
    labels: { ...before.labels, severity: 'warning' },
  });
});

test('enabled: false removes exactly that rule', () => {
  const shipped = rulesOf({});
  const tuned = rulesOf({ GatewayFallbacksFrequent: { enabled: false } });
  expect(shipped.map((r) => r.alert).filter((n) => !tuned.some((r) => r.alert === n))).toEqual(['GatewayFallbacksFrequent']);
  expect(tuned).toHaveLength(shipped.length - 1);
});

test('alert names are unique across contributions, and each alert has severity, summary, description and runbook', () => {
  const alerts = [...shippedAlerts(CONTRIBUTIONS).values()];
  expect(alerts.length).toBeGreaterThanOrEqual(30);
  for (const a of alerts) {
    expect([a.name, a.summary.length > 0, a.description.length > 0, a.runbook.length > 0]).toEqual([a.name, true, true, true]);
    expect(['critical', 'warning', 'info', 'none']).toContain(a.severity);
  }
});

test('the issue’s alert list is covered', () => {
  const names = [...shippedAlerts(CONTRIBUTIONS).keys()];
  expect(names).toEqual(
    expect.arrayContaining([
      'TargetDown',
      'Watchdog',
      'PrometheusConfigReloadFailed',
      'AlertmanagerConfigReloadFailed',
      'PrometheusNotificationsFailing',
      'AlertmanagerNotificationsFailing',
      'RedisDown',
      'RedisMemoryNearMax',
      'RedisEvicting',
      'RedisRejectedConnections',
      'GatewayHighErrorRatio',
      'GatewayHighLatencyP95',
      'GatewayDeploymentOutage',
      'GatewayFallbacksFrequent',
      'GatewayFallbacksFailing',
      'GatewayDeploymentCooldowns',
      'LlmSpendBurnRateHigh',
      'LlmBudgetRemainingLow',
      'WorkflowSpendBurnHigh',
      'WorkflowBudgetRemainingLow',
      // PraisonAI reports no task or run metrics: the agents' alerts read the gateway's series.
      'AgentLlmErrorRatioHigh',
      'AgentLlmLatencyHigh',
      'WorkflowLlmErrorRatioHigh',
      'PodRestartingFrequently',
    ]),
  );
});

describe('override validation', () => {
  const load = (overlay: string) => () => loadEnvironment(configCopy({ 'test.yaml': overlay }), 'test');
  const overrides = (body: string) =>
    `namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  alerts:\n    overrides:\n${body}`;

  test('an unknown alert name is an error naming the file, the field and the closest name', () => {
    expect(load(overrides('      GatewayHighErorRatio: { threshold: 0.1 }\n'))).toThrow(
      /test\.yaml: monitoring\.alerts\.overrides\.GatewayHighErorRatio: expected the name of a shipped alert \(did you mean "GatewayHighErrorRatio"\?\), found "GatewayHighErorRatio"/,
    );
  });
  test('a threshold on an alert without one is an error', () => {
    expect(load(overrides('      RedisDown: { threshold: 1 }\n'))).toThrow(
      /monitoring\.alerts\.overrides\.RedisDown\.threshold: expected no threshold: RedisDown has a fixed condition, found 1/,
    );
  });
  test('a ratio threshold outside (0, 1) is an error', () => {
    expect(load(overrides('      GatewayHighErrorRatio: { threshold: 5 }\n'))).toThrow(
      /GatewayHighErrorRatio\.threshold: expected a number above 0 and below 1 \(share of failed requests/,
    );
  });
  test('an unknown field in an override is an error', () => {
    expect(load(overrides('      RedisDown: { severty: info }\n'))).toThrow(/monitoring\.alerts\.overrides\.RedisDown/);
  });
  test('a route to an undefined receiver is an error', () => {
    const overlay =
      'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  alertmanager:\n    routing:\n      critical: pager\n';
    expect(load(overlay)).toThrow(
      /monitoring\.alertmanager\.routing\.critical: expected a receiver name \(one of oncall, team-slack, blackhole\), found "pager"/,
    );
  });
  test('production needs its dead-man’s switch: a webhook heartbeat receiver that hears only the Watchdog, which stays on', () => {
    const routing = (r: Record<string, string>) => ({ merge: { 'prod.yaml': { monitoring: { alertmanager: { routing: r } } } } });
    expect(problemsWith(routing({ watchdog: 'blackhole' }), 'prod')).toEqual([
      'prod.yaml: monitoring.alertmanager.routing.watchdog: expected in production, a webhook receiver of a dead-man\'s-switch service (the Watchdog heartbeat must reach someone), found "blackhole"',
    ]);
    expect(problemsWith(routing({ watchdog: 'team-slack' }), 'prod')).toEqual([
      'prod.yaml: monitoring.alertmanager.routing.watchdog: expected in production, a webhook receiver of a dead-man\'s-switch service (the Watchdog heartbeat must reach someone), found "team-slack"',
      'prod.yaml: monitoring.alertmanager.routing.byComponent.gateway: expected a receiver other than the watchdog\'s "team-slack" (the heartbeat service must hear only the Watchdog), found "team-slack"',
      'prod.yaml: monitoring.alertmanager.routing.byComponent.agents: expected a receiver other than the watchdog\'s "team-slack" (the heartbeat service must hear only the Watchdog), found "team-slack"',
      'prod.yaml: monitoring.alertmanager.routing.byComponent.cache: expected a receiver other than the watchdog\'s "team-slack" (the heartbeat service must hear only the Watchdog), found "team-slack"',
    ]);
    expect(problemsWith(routing({ critical: 'heartbeat' }), 'prod')).toEqual([
      'prod.yaml: monitoring.alertmanager.routing.critical: expected a receiver other than the watchdog\'s "heartbeat" (the heartbeat service must hear only the Watchdog), found "heartbeat"',
    ]);
    expect(
      problemsWith({ merge: { 'prod.yaml': { monitoring: { alerts: { overrides: { Watchdog: { enabled: false } } } } } } }, 'prod'),
    ).toEqual([
      "prod.yaml: monitoring.alerts.overrides.Watchdog.enabled: expected true in production (the dead-man's switch needs the heartbeat), found false",
    ]);
  });
  test('outside production the Watchdog may go to the blackhole (dev also switches it off)', () => {
    expect(
      load(
        'namespace:\n  name: suoke-life-test\ndeploy:\n  kubeContext: suoke-test\nmonitoring:\n  alertmanager:\n    routing:\n      watchdog: blackhole\n',
      )().settings.monitoring.alertmanager.routing.watchdog,
    ).toBe('blackhole');
  });
  test('a valid override loads', () => {
    expect(
      load(overrides('      RedisEvicting: { threshold: 50, for: 30m, severity: info }\n'))().settings.monitoring.alerts.overrides
        .RedisEvicting,
    ).toEqual({ threshold: 50, for: '30m', severity: 'info' });
  });
});

test('docs/monitoring.md lists every shipped alert (those generated for each environment’s scrape jobs too) and every dashboard', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'monitoring.md'), 'utf8');
  const contexts = ENVIRONMENTS.map((environment) => {
    const { settings } = rendered(environment).environment;
    return { environment, namespace: settings.namespace.name, settings };
  });
  const missing = [
    ...[...shippedAlerts(CONTRIBUTIONS, contexts).keys()].filter((name) => !readme.includes(`| \`${name}\` |`)),
    ...CONTRIBUTIONS.flatMap((c) => c.dashboards)
      .map((d) => d.uid)
      .filter((uid) => !readme.includes(`(\`${uid}\`)`)),
  ];
  expect(missing).toEqual([]);
});
