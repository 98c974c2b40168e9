import { closestMatch } from '../config/closest-match';
import type { CrossFieldProblem } from '../config/cross-checks';
import type { CredentialRequirement, CrossCheck } from '../platform/component-descriptor';
import type { PlatformSettings } from '../platform/platform-settings';
import { durationMinutes } from './alert-rules';
import type { MonitoringSettings } from './config';
import { shippedAlerts } from './contributions';

/** What the monitoring rules read: its section, the platform tier and the credentials. */
export type MonitoringChecksReads = PlatformSettings & { readonly monitoring: MonitoringSettings };

/** Receiver name that drops alerts; always defined. */
export const BLACKHOLE_RECEIVER = 'blackhole';
/** Longest `for` an override may set: each alert's unit test must still see it fire. */
export const MAX_FOR_MINUTES = 180;

/** Overrides name shipped alerts and change only what each alert allows. */
const alertOverrides: CrossCheck<MonitoringChecksReads> = (settings, { environment, contributions }) => {
  const shipped = shippedAlerts(contributions, [{ environment, namespace: settings.namespace.name, settings }]);
  const names = [...shipped.keys()];
  return Object.entries(settings.monitoring.alerts.overrides).flatMap(([name, override]): CrossFieldProblem[] => {
    const path = ['monitoring', 'alerts', 'overrides', name];
    const spec = shipped.get(name);
    if (!spec) {
      const suggestion = closestMatch(name, names);
      return [
        {
          path,
          expected: `the name of a shipped alert${suggestion ? ` (did you mean "${suggestion}"?)` : ' (see the alert table in README.md)'}`,
          found: JSON.stringify(name),
        },
      ];
    }
    const problems: CrossFieldProblem[] = [];
    if (override.threshold !== undefined) {
      if (!spec.threshold) {
        problems.push({
          path: [...path, 'threshold'],
          expected: `no threshold: ${name} has a fixed condition`,
          found: String(override.threshold),
        });
      } else if (!(override.threshold > 0) || (spec.threshold.max !== undefined && !(override.threshold < spec.threshold.max))) {
        problems.push({
          path: [...path, 'threshold'],
          expected: `a number above 0${spec.threshold.max !== undefined ? ` and below ${spec.threshold.max}` : ''} (${spec.threshold.meaning})`,
          found: String(override.threshold),
        });
      }
    }
    if (override.for !== undefined && durationMinutes(override.for) > MAX_FOR_MINUTES) {
      problems.push({
        path: [...path, 'for'],
        expected: `a duration of at most ${MAX_FOR_MINUTES / 60}h`,
        found: JSON.stringify(override.for),
      });
    }
    return problems;
  });
};

/**
 * Receivers are well-formed and routes name defined receivers (their credentials are checked with
 * the other credentials: monitoringCredentials).
 */
const alertReceivers: CrossCheck<MonitoringChecksReads> = (settings, { contributions }) => {
  const am = settings.monitoring.alertmanager;
  const problems: CrossFieldProblem[] = [];
  const seen = new Set<string>();
  am.receivers.forEach((r, i) => {
    const path = ['monitoring', 'alertmanager', 'receivers', i];
    if (r.name === BLACKHOLE_RECEIVER || seen.has(r.name)) {
      problems.push({
        path: [...path, 'name'],
        expected: `a receiver name used once and not "${BLACKHOLE_RECEIVER}" (built in)`,
        found: JSON.stringify(r.name),
      });
    }
    seen.add(r.name);
    const kinds = (['webhook', 'slack', 'email'] as const).filter((k) => r[k] !== undefined);
    if (kinds.length !== 1)
      problems.push({ path, expected: 'exactly one of webhook, slack or email', found: kinds.length ? kinds.join(' and ') : 'none' });
  });
  const known = [...seen, BLACKHOLE_RECEIVER];
  const route = (path: (string | number)[], name: string) => {
    if (!known.includes(name))
      problems.push({ path, expected: `a receiver name (one of ${known.join(', ')})`, found: JSON.stringify(name) });
  };
  const routing = am.routing;
  route(['monitoring', 'alertmanager', 'routing', 'default'], routing.default);
  route(['monitoring', 'alertmanager', 'routing', 'critical'], routing.critical);
  route(['monitoring', 'alertmanager', 'routing', 'watchdog'], routing.watchdog);
  const components = contributions.map((c) => c.component);
  for (const [component, receiver] of Object.entries(routing.byComponent)) {
    const path = ['monitoring', 'alertmanager', 'routing', 'byComponent', component];
    if (!components.includes(component))
      problems.push({ path, expected: `an alert component (one of ${components.join(', ')})`, found: JSON.stringify(component) });
    route(path, receiver);
  }
  return problems;
};

/**
 * Production has a dead-man's switch: the Watchdog is shipped and goes to a webhook receiver (the
 * heartbeat service) that gets nothing else, so a heartbeat that stops means the alerting path
 * itself died, not that other alerts stopped firing.
 */
const productionHeartbeat: CrossCheck<MonitoringChecksReads> = (settings) => {
  if (!settings.platform.production) return [];
  const am = settings.monitoring.alertmanager;
  const routing = am.routing;
  const path = ['monitoring', 'alertmanager', 'routing', 'watchdog'];
  const problems: CrossFieldProblem[] = [];
  const receiver = am.receivers.find((r) => r.name === routing.watchdog);
  if (routing.watchdog === BLACKHOLE_RECEIVER || (receiver && !receiver.webhook)) {
    problems.push({
      path,
      expected: "in production, a webhook receiver of a dead-man's-switch service (the Watchdog heartbeat must reach someone)",
      found: JSON.stringify(routing.watchdog),
    });
  }
  const others = [
    ['default', routing.default],
    ['critical', routing.critical],
    ...Object.entries(routing.byComponent).map(([c, r]) => [`byComponent.${c}`, r]),
  ].filter(([, r]) => r === routing.watchdog);
  for (const [field] of others) {
    problems.push({
      path: ['monitoring', 'alertmanager', 'routing', ...field.split('.')],
      expected: `a receiver other than the watchdog's "${routing.watchdog}" (the heartbeat service must hear only the Watchdog)`,
      found: JSON.stringify(routing.watchdog),
    });
  }
  if (settings.monitoring.alerts.overrides.Watchdog?.enabled === false) {
    problems.push({
      path: ['monitoring', 'alerts', 'overrides', 'Watchdog', 'enabled'],
      expected: "true in production (the dead-man's switch needs the heartbeat)",
      found: 'false',
    });
  }
  return problems;
};

/** Production keeps its metrics on a volume. */
const prodStorage: CrossCheck<MonitoringChecksReads> = (settings, { environment }) =>
  environment === 'prod' && !settings.monitoring.prometheus.storage.persistent
    ? [
        {
          path: ['monitoring', 'prometheus', 'storage', 'persistent'],
          expected: 'true in prod (metrics must survive a pod restart)',
          found: 'false',
        },
      ]
    : [];

/**
 * In operator mode the kubelets' cAdvisor cannot be scraped: they are not pods, so no PodMonitor
 * reaches them (kube-prometheus-stack's own kubelet ServiceMonitor collects cAdvisor).
 */
const operatorCadvisor: CrossCheck<MonitoringChecksReads> = (settings) =>
  settings.monitoring.mode === 'operator' && settings.monitoring.prometheus.cadvisor.enabled
    ? [
        {
          path: ['monitoring', 'prometheus', 'cadvisor', 'enabled'],
          expected: "false in operator mode (the team's stack scrapes the kubelets; a PodMonitor cannot)",
          found: 'true',
        },
      ]
    : [];

/** The monitoring section's cross-field rules. */
export const monitoringChecks: readonly CrossCheck<MonitoringChecksReads>[] = [
  alertOverrides,
  alertReceivers,
  productionHeartbeat,
  prodStorage,
  operatorCadvisor,
];

/**
 * The credentials the monitoring stack reads: Grafana's admin account (fixed ids: there is no
 * default password) and each receiver's webhook URL or SMTP password. Outside production the
 * receivers' are optional: Alertmanager reads those files only when it sends a notification
 * (contracts/alertmanager), so a dev or test stack runs without them and just cannot notify.
 */
export function monitoringCredentials(
  settings: { readonly monitoring: MonitoringSettings; readonly platform: { readonly production: boolean } },
  grafanaAdmin: readonly string[],
): CredentialRequirement[] {
  const optional = receiversOptional(settings);
  const receivers = settings.monitoring.alertmanager.receivers.flatMap((r, i) => {
    const at = (...field: string[]) => ['monitoring', 'alertmanager', 'receivers', i, ...field];
    return [
      ...(r.webhook
        ? [
            {
              id: r.webhook.urlCredential,
              purpose: `the webhook URL of alert receiver ${r.name}`,
              field: at('webhook', 'urlCredential'),
              optional,
            },
          ]
        : []),
      ...(r.slack
        ? [
            {
              id: r.slack.urlCredential,
              purpose: `the Slack webhook URL of alert receiver ${r.name}`,
              field: at('slack', 'urlCredential'),
              optional,
            },
          ]
        : []),
      ...(r.email
        ? [
            {
              id: r.email.passwordCredential,
              purpose: `the SMTP password of alert receiver ${r.name}`,
              field: at('email', 'passwordCredential'),
              optional,
            },
          ]
        : []),
    ];
  });
  return [...grafanaAdmin.map((id) => ({ id, purpose: "Grafana's admin account; there is no default password" })), ...receivers];
}

/** Receivers' credentials are optional outside production (a stack that cannot notify still runs). */
export function receiversOptional(settings: { readonly platform: { readonly production: boolean } }): boolean {
  return !settings.platform.production;
}
