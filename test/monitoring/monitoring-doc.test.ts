import { perEnvironment, renderMonitoringDocParts } from '../../lib/monitoring/monitoring-doc';
import type { MonitoringContribution } from '../../lib/platform/monitoring-contribution';
import { loadEnvironment, type EnvironmentSettings } from '../../lib/registry';
import { CONFIG_DIR } from '../support/environments';
import { madeUpComponent } from '../support/made-up-monitoring';

/**
 * The generated alert and dashboard tables of docs/monitoring.md, driven by made-up contributions
 * and overrides, so what they assert comes from the fixtures here and not from config/.
 */

const valid = loadEnvironment(CONFIG_DIR, 'dev').settings;

/** Valid settings with these alert overrides (and nothing else overridden). */
function withOverrides(overrides: EnvironmentSettings['monitoring']['alerts']['overrides']): EnvironmentSettings {
  return { ...valid, monitoring: { ...valid.monitoring, alerts: { ...valid.monitoring.alerts, overrides } } };
}

/** Scraped everywhere, with a threshold on its alert. */
const everywhere: MonitoringContribution<EnvironmentSettings> = {
  ...madeUpComponent('Here', 'here', true, 'here_value'),
  alerts: madeUpComponent('Here', 'here', true, 'here_value').alerts.map((a) => ({
    ...a,
    expr: (t: number) => `here_value < ${t}`,
    threshold: { value: 1, meaning: 'values | below <one>' },
  })),
};
/** Scraped in `one` only. */
const onlyInOne: MonitoringContribution<EnvironmentSettings> = {
  ...madeUpComponent('Some', 'some', true, 'some_value'),
  scrapeTargets: (ctx) => (ctx.environment === 'one' ? madeUpComponent('Some', 'some', true, 'some_value').scrapeTargets(ctx) : []),
};

const environments = [
  { name: 'one', settings: withOverrides({ HereLow: { severity: 'critical', threshold: 2 } }) },
  { name: 'two', settings: withOverrides({}) },
];
const parts = renderMonitoringDocParts(environments, [everywhere, onlyInOne]);
const row = (table: string, first: string) => table.split('\n').find((line) => line.startsWith(`| ${first} |`));

describe('the alert table', () => {
  test('has a row per alert, its own and the generated target alert, each with where it ships', () => {
    expect(parts.alerts.split('\n').slice(0, 2)).toEqual([
      '| alert | component | severity | for | threshold (override with `threshold`) | ships in | summary |',
      '| --- | --- | --- | --- | --- | --- | --- |',
    ]);
    expect(row(parts.alerts, '`HereTargetMissing`')).toBe(
      '| `HereTargetMissing` | Here | warning | 5m | — | one, two | No here target is up |',
    );
    expect(row(parts.alerts, '`SomeLow`')).toBe('| `SomeLow` | Some | warning | 5m | — | one | s |');
  });

  test('a value an override changes is given per environment; cells escape pipes and angle brackets', () => {
    expect(row(parts.alerts, '`HereLow`')).toBe(
      '| `HereLow` | Here | critical (one); warning (two) | 5m | 2 (one); 1 (two): values \\| below &lt;one> | one, two | s |',
    );
  });

  test('an alert switched off everywhere stays listed, with its own settings, shipping nowhere', () => {
    const off = renderMonitoringDocParts([{ name: 'one', settings: withOverrides({ HereLow: { enabled: false } }) }], [everywhere]);
    expect(row(off.alerts, '`HereLow`')).toBe('| `HereLow` | Here | warning | 5m | 1: values \\| below &lt;one> | — | s |');
  });
});

test('the dashboard table lists every dashboard with the environments that provision it', () => {
  expect(parts.dashboards.split('\n')).toEqual([
    '| dashboard (uid) | contributed by | provisioned in | shows |',
    '| --- | --- | --- | --- |',
    '| Here (`here`) | Here | one, two | d |',
    '| Some (`some`) | Some | one | d |',
  ]);
});

test('perEnvironment writes a shared value once, else each value with its environments', () => {
  expect(
    perEnvironment([
      ['a', 'x'],
      ['b', 'x'],
    ]),
  ).toBe('x');
  expect(
    perEnvironment([
      ['a', 'x'],
      ['b', 'y'],
      ['c', 'x'],
    ]),
  ).toBe('x (a, c); y (b)');
  expect(perEnvironment([])).toBe('—');
});
