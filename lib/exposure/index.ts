import { ConfigError } from '../config/config-error';
import { GATEWAY } from '../gateway';
import { monitoring, type MonitoringChart } from '../monitoring';
import { component } from '../platform/component-descriptor';
import type { AccessPoint } from '../platform/deploy-targets';
import type { NetworkPeer } from '../platform/pod-network-policy';
import { exposureSection } from './config';
import { ExposureChart } from './exposure-chart';
import { exposureChecks, type ExposureReads } from './exposure-checks';
import type { ExposedService } from './exposed-service';

export type { ExposureSettings } from './config';
export type { ExposedService } from './exposed-service';

/** A peer's pod labels; never none, which would select every pod of the namespace. */
function podsOf(peer: NetworkPeer, what: string): Readonly<Record<string, string>> {
  if (!peer.podLabels || Object.keys(peer.podLabels).length === 0) throw new Error(`${what} names no pod labels to expose`);
  return peer.podLabels;
}

/** What the exposure built: how each exposed service is reached from outside (empty when nothing is). */
export interface Exposure {
  readonly accessPoints: readonly AccessPoint[];
}

/**
 * The way in from outside the cluster (`50-exposure`), off by default: an Ingress or a Gateway API
 * HTTPRoute per exposed service (the gateway, Grafana), TLS from cert-manager or an existing Secret,
 * and NetworkPolicies that let the ingress controller in. It reaches the services by reference:
 * the gateway's, and Grafana where the monitoring component deploys one.
 */
export const exposure = component<ExposureReads>()({
  id: 'exposure',
  title: 'Exposure (Ingress or HTTPRoute)',
  config: { exposure: exposureSection },
  checks: exposureChecks,
  build: (context): Exposure => {
    const { settings, file } = context.environment;
    const hosts = settings.exposure.mode === 'none' ? undefined : settings.exposure.hosts;
    if (!hosts) return { accessPoints: [] };
    const services: ExposedService[] = [];
    if (hosts.gateway) {
      const litellm = context.use(GATEWAY).litellm;
      services.push({
        label: 'LiteLLM gateway',
        name: litellm.identity.name,
        endpoint: litellm.endpoint,
        podLabels: podsOf(litellm.peer, 'the LiteLLM gateway'),
        host: hosts.gateway,
        credentials: [litellm.masterKeyCredential],
      });
    }
    if (hosts.grafana) {
      // Absent where monitoring deploys no Grafana of its own.
      const stack: { readonly grafana?: MonitoringChart['grafana'] } = context.use(monitoring);
      const grafana = stack.grafana;
      if (!grafana) {
        throw new ConfigError([
          {
            file,
            path: 'exposure.hosts.grafana',
            expected: 'no Grafana host: this environment deploys no Grafana',
            found: JSON.stringify(hosts.grafana),
          },
        ]);
      }
      services.push({
        label: 'Grafana',
        name: grafana.workload.name,
        endpoint: grafana.endpoint,
        podLabels: grafana.workload.selector,
        host: hosts.grafana,
        credentials: grafana.adminCredentials,
      });
    }
    return new ExposureChart(context.scope, context.environment, { services });
  },
  accessPoints: (built) => built.accessPoints,
});
