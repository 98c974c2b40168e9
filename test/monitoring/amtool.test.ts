import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { ALERTMANAGER_CONFIG_MAP } from '../../lib/monitoring/alertmanager';
import { configMapData, ENVIRONMENTS, rendered } from '../support/environments';
import { runBatch, tempDir, toolTest } from '../support/external-tools';

/**
 * amtool (Debian `prometheus-alertmanager`, 0.25) on the rendered `alertmanager.yml` of every
 * environment: `check-config`, and `config routes test` for the routing tree, all in one shell.
 *
 * amtool 0.25 predates the webhook `url_file` field (the pinned Alertmanager has it); its copy
 * swaps `url_file` for a placeholder `url`, the only difference. Slack `api_url_file` and e-mail
 * `auth_password_file` are checked as rendered.
 */

const work = tempDir('suoke-amtool-');
const files = new Map<string, string>();
for (const environment of ENVIRONMENTS) {
  const text = configMapData(environment, ALERTMANAGER_CONFIG_MAP)['alertmanager.yml'];
  const file = path.join(work, `${environment}.yml`);
  fs.writeFileSync(file, text.replace(/^(\s*)(- )?url_file: .*$/gm, '$1$2url: https://webhook.invalid/'));
  files.set(environment, file);
}

/** Expected receivers (comma-separated, in order) for a label set, per environment. */
function expectations(environment: string): { labels: string; receivers: string }[] {
  const routing = rendered(environment).environment.settings.monitoring.alertmanager.routing;
  const team = (component: string) => routing.byComponent[component] ?? routing.default;
  return [
    { labels: 'alertname=Watchdog severity=none component=monitoring', receivers: routing.watchdog },
    {
      labels: 'alertname=RedisDown severity=critical component=cache',
      receivers: [routing.critical, ...(routing.byComponent.cache ? [routing.byComponent.cache] : [])].join(','),
    },
    { labels: 'alertname=GatewayHighErrorRatio severity=warning component=gateway', receivers: team('gateway') },
    { labels: 'alertname=PostgresDeadlocks severity=warning component=database', receivers: team('database') },
    { labels: 'alertname=TargetDown severity=warning component=monitoring', receivers: team('monitoring') },
    { labels: 'alertname=Something severity=info', receivers: routing.default },
  ];
}

const steps = [
  { id: 'check-config', command: `amtool check-config ${[...files.values()].join(' ')}` },
  ...ENVIRONMENTS.flatMap((environment) =>
    expectations(environment).map((e, i) => ({
      id: `route-${environment}-${i}`,
      command: `amtool config routes test --config.file=${files.get(environment)} --verify.receivers=${e.receivers} ${e.labels}`,
    })),
  ),
];
const runs = runBatch(steps);
const amtoolTest = toolTest('amtool', 'prometheus-alertmanager');

amtoolTest('amtool check-config: the rendered alertmanager.yml of every environment is valid', () => {
  const run = runs.get('check-config')!;
  expect(run.code).toBe(0);
  expect(run.output.match(/SUCCESS/g)).toHaveLength(files.size);
});

describe.each(ENVIRONMENTS)('amtool config routes test: %s', (environment) => {
  amtoolTest.each(expectations(environment).map((e, i) => [e.labels, e.receivers, i] as const))('%s → %s', (_labels, receivers, i) => {
    const run = runs.get(`route-${environment}-${i}`)!;
    expect(
      run.output
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('Warning'))[0],
    ).toBe(receivers);
    expect(run.code).toBe(0);
  });
});

test('receiver URLs and passwords are files from Secrets, never inline', () => {
  for (const environment of ENVIRONMENTS) {
    const config = yaml.load(configMapData(environment, ALERTMANAGER_CONFIG_MAP)['alertmanager.yml']) as {
      receivers: Record<string, { [k: string]: unknown }[] | string>[];
    };
    for (const receiver of config.receivers) {
      for (const [kind, list] of Object.entries(receiver)) {
        if (kind === 'name') continue;
        for (const c of list as Record<string, unknown>[]) {
          expect(Object.keys(c).filter((k) => ['url', 'api_url', 'auth_password'].includes(k))).toEqual([]);
          expect(Object.keys(c).some((k) => k.endsWith('_file'))).toBe(true);
        }
      }
    }
  }
});

test('a critical alert inhibits the warning of the same alert', () => {
  const config = yaml.load(configMapData('prod', ALERTMANAGER_CONFIG_MAP)['alertmanager.yml']) as { inhibit_rules: unknown[] };
  expect(config.inhibit_rules).toEqual([
    { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['component', 'namespace'] },
  ]);
});

test('the Watchdog route: at once, then every watchdogInterval; in prod to a heartbeat webhook that hears nothing else', () => {
  for (const environment of ENVIRONMENTS) {
    const config = yaml.load(configMapData(environment, ALERTMANAGER_CONFIG_MAP)['alertmanager.yml']) as {
      route: { receiver: string; routes: Record<string, unknown>[] };
      receivers: Record<string, any>[];
    };
    const routing = rendered(environment).environment.settings.monitoring.alertmanager.routing;
    const watchdog = config.route.routes[0];
    expect(watchdog).toEqual({
      matchers: ['alertname="Watchdog"'],
      receiver: routing.watchdog,
      group_wait: '0s',
      group_interval: routing.watchdogInterval,
      repeat_interval: routing.watchdogInterval,
    });
    if (environment !== 'prod') continue;
    const heartbeat = config.receivers.find((r) => r.name === watchdog.receiver)!;
    expect(heartbeat.webhook_configs).toEqual([
      { url_file: '/etc/alertmanager/secrets/alertmanager-receivers/alert-heartbeat-url', send_resolved: false },
    ]);
    const others = [config.route.receiver, ...config.route.routes.slice(1).map((r) => r.receiver)];
    expect(others).not.toContain(watchdog.receiver);
  }
});
