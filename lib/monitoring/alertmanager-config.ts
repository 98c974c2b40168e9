import * as yaml from 'js-yaml';
import type { AlertReceiverConfig, MonitoringSettings } from './config';
import { BLACKHOLE_RECEIVER } from './monitoring-checks';

/**
 * Renders `alertmanager.yml` from config: receivers whose URLs and passwords are read from
 * mounted Secret files (`url_file`, `api_url_file`, `auth_password_file`, never inline), a routing
 * tree by severity and component, and inhibition: a critical alert of a component (RedisDown, say)
 * silences that component's warnings in the same namespace, which are its symptoms.
 */

/** Input of `alertmanagerConfig`. */
export interface AlertmanagerConfigInput {
  /** Receivers from config. */
  readonly receivers: readonly AlertReceiverConfig[];
  /** Routing from config. */
  readonly routing: MonitoringSettings['alertmanager']['routing'];
  /** Path of the file a credential is mounted at. */
  readonly credentialFile: (id: string) => string;
}

/** Labels that group alerts into one notification. */
export const GROUP_BY = ['alertname', 'component', 'namespace'];

/** Labels a critical alert and the warnings it silences share: same component, same namespace. */
export const INHIBIT_EQUAL = ['component', 'namespace'];

function receiver(r: AlertReceiverConfig, file: (id: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { name: r.name };
  if (r.webhook) out.webhook_configs = [{ url_file: file(r.webhook.urlCredential), send_resolved: r.webhook.sendResolved ?? true }];
  if (r.slack)
    out.slack_configs = [
      { api_url_file: file(r.slack.urlCredential), channel: r.slack.channel, send_resolved: r.slack.sendResolved ?? true },
    ];
  if (r.email) {
    out.email_configs = [
      {
        to: r.email.to,
        from: r.email.from,
        smarthost: r.email.smarthost,
        auth_username: r.email.authUsername,
        auth_password_file: file(r.email.passwordCredential),
        require_tls: true,
        send_resolved: true,
      },
    ];
  }
  return out;
}

/** An equality matcher `name="value"`. */
export interface RouteMatcher {
  readonly name: string;
  readonly value: string;
}

/** A child route of the routing tree, independent of how it is written. */
export interface ChildRoute {
  readonly matcher: RouteMatcher;
  readonly receiver: string;
  /** Timings of the Watchdog route; unset inherits the parent's. */
  readonly timing?: { readonly groupWait: string; readonly groupInterval: string; readonly repeatInterval: string };
  /** Go on matching the next routes. */
  readonly continue?: boolean;
}

/** The child routes of the routing tree: the Watchdog heartbeat, critical alerts, then warnings by component. */
export function childRoutes(r: MonitoringSettings['alertmanager']['routing']): ChildRoute[] {
  return [
    // The heartbeat goes only to its dead-man switch, at once and then every watchdogInterval:
    // a repeat is sent only on a group_interval tick, so both are that interval.
    {
      matcher: { name: 'alertname', value: 'Watchdog' },
      receiver: r.watchdog,
      timing: { groupWait: '0s', groupInterval: r.watchdogInterval, repeatInterval: r.watchdogInterval },
    },
    // Critical alerts page, and continue to their component's receiver.
    { matcher: { name: 'severity', value: 'critical' }, receiver: r.critical, continue: true },
    ...Object.keys(r.byComponent)
      .sort()
      .map((component) => ({ matcher: { name: 'component', value: component }, receiver: r.byComponent[component] })),
  ];
}

/** A critical alert silences the warnings of the same component and namespace. */
export const INHIBIT_RULE = {
  source: { name: 'severity', value: 'critical' },
  target: { name: 'severity', value: 'warning' },
  equal: INHIBIT_EQUAL,
} as const;

const matcherText = (m: RouteMatcher) => `${m.name}="${m.value}"`;

/** The `alertmanager.yml` object. */
export function alertmanagerConfig(input: AlertmanagerConfigInput): Record<string, unknown> {
  const r = input.routing;
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: r.default,
      group_by: GROUP_BY,
      group_wait: r.groupWait,
      group_interval: r.groupInterval,
      repeat_interval: r.repeatInterval,
      routes: childRoutes(r).map((route) => ({
        matchers: [matcherText(route.matcher)],
        receiver: route.receiver,
        ...(route.timing
          ? { group_wait: route.timing.groupWait, group_interval: route.timing.groupInterval, repeat_interval: route.timing.repeatInterval }
          : {}),
        ...(route.continue ? { continue: true } : {}),
      })),
    },
    inhibit_rules: [
      { source_matchers: [matcherText(INHIBIT_RULE.source)], target_matchers: [matcherText(INHIBIT_RULE.target)], equal: INHIBIT_EQUAL },
    ],
    receivers: [...input.receivers.map((x) => receiver(x, input.credentialFile)), { name: BLACKHOLE_RECEIVER }],
  };
}

/** `alertmanager.yml` as text. */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
  return yaml.dump(alertmanagerConfig(input), { lineWidth: -1, noRefs: true, quotingType: '"' });
}
