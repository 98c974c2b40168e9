import { Construct } from 'constructs';
import {
  AlertmanagerConfig,
  AlertmanagerConfigSpecInhibitRulesSourceMatchMatchType as SourceMatchType,
  AlertmanagerConfigSpecInhibitRulesTargetMatchMatchType as TargetMatchType,
  type AlertmanagerConfigSpec,
  type AlertmanagerConfigSpecReceivers,
} from '../../imports/alertmanagerconfig-monitoring.coreos.com';
import { Credentials } from '../platform/credentials';
import { childRoutes, GROUP_BY, INHIBIT_RULE, type RouteMatcher } from './alertmanager-config';
import type { AlertReceiverConfig, MonitoringSettings } from './config';
import { BLACKHOLE_RECEIVER } from './monitoring-checks';

/**
 * The routing tree and receivers of `alertmanager.yml` as an AlertmanagerConfig
 * (monitoring.coreos.com/v1alpha1), for a team's prometheus-operator Alertmanager. The operator
 * makes its route a first-level route of the team's configuration, matching only this namespace's
 * alerts (its default `OnNamespace` strategy) and always continuing to the team's own routes; receiver
 * secrets are Secret key references in this namespace, never values (contracts/prometheus-operator).
 */

/** A Secret key, as the operator reads it. */
export interface SecretKey {
  readonly name: string;
  readonly key: string;
}

/** The receiver of one configured receiver, its secrets given by `secretOf`. */
export function operatorReceiver(r: AlertReceiverConfig, secretOf: (credential: string) => SecretKey): AlertmanagerConfigSpecReceivers {
  return {
    name: r.name,
    webhookConfigs: r.webhook && [{ urlSecret: secretOf(r.webhook.urlCredential), sendResolved: r.webhook.sendResolved ?? true }],
    slackConfigs: r.slack && [
      { apiUrl: secretOf(r.slack.urlCredential), channel: r.slack.channel, sendResolved: r.slack.sendResolved ?? true },
    ],
    emailConfigs: r.email && [
      {
        to: r.email.to,
        from: r.email.from,
        smarthost: r.email.smarthost,
        authUsername: r.email.authUsername,
        authPassword: secretOf(r.email.passwordCredential),
        requireTls: true,
        sendResolved: true,
      },
    ],
  };
}

/** An equality matcher of a child route (raw JSON: the operator's Matcher, `matchType` `=`). */
const matcher = (m: RouteMatcher) => ({ name: m.name, value: m.value, matchType: '=' });

/** The AlertmanagerConfig spec: the bundled routing tree, inhibition and receivers (plus `blackhole`). */
export function alertmanagerConfigSpec(
  alertmanager: MonitoringSettings['alertmanager'],
  secretOf: (credential: string) => SecretKey,
): AlertmanagerConfigSpec {
  const r = alertmanager.routing;
  return {
    route: {
      receiver: r.default,
      groupBy: [...GROUP_BY],
      groupWait: r.groupWait,
      groupInterval: r.groupInterval,
      repeatInterval: r.repeatInterval,
      // Child routes are raw JSON in the CRD, decoded by the operator as its Route type.
      routes: childRoutes(r).map((route) => ({
        receiver: route.receiver,
        matchers: [matcher(route.matcher)],
        ...route.timing,
        ...(route.continue ? { continue: true } : {}),
      })),
    },
    inhibitRules: [
      {
        sourceMatch: [{ ...INHIBIT_RULE.source, matchType: SourceMatchType.VALUE_EQUALS }],
        targetMatch: [{ ...INHIBIT_RULE.target, matchType: TargetMatchType.VALUE_EQUALS }],
        equal: [...INHIBIT_RULE.equal],
      },
    ],
    receivers: [...alertmanager.receivers.map((x) => operatorReceiver(x, secretOf)), { name: BLACKHOLE_RECEIVER }],
  };
}

/** Name of the AlertmanagerConfig. */
export const ALERT_ROUTING_NAME = 'alert-routing';

/** Properties of AlertRouting. */
export interface AlertRoutingProps {
  /** The `monitoring.alertmanager` settings: receivers and routing. */
  readonly alertmanager: MonitoringSettings['alertmanager'];
  /** Labels the team's Alertmanager selects AlertmanagerConfigs by (`alertmanagerConfigSelector`). */
  readonly selectorLabels: Readonly<Record<string, string>>;
}

/** The namespace's AlertmanagerConfig. */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, props: AlertRoutingProps) {
    super(scope, id);
    const credentials = Credentials.of(this);
    new AlertmanagerConfig(this, 'Resource', {
      metadata: { name: ALERT_ROUTING_NAME, labels: { ...props.selectorLabels } },
      spec: alertmanagerConfigSpec(props.alertmanager, (id) => ({ name: credentials.ref(id).secretName, key: credentials.ref(id).key })),
    });
  }
}
