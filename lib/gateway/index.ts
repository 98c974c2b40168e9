import { cache } from '../cache';
import { database } from '../database';
import { layers } from '../layers';
import { monitoring } from '../monitoring';
import { component, componentRef } from '../platform/component-descriptor';
import { endpointUrl } from '../platform/service-endpoint';
import type { GatewayClients } from './agent-model-groups';
import { gatewaySection } from './config';
import { GatewayChart } from './gateway-chart';
import { gatewayChecks, gatewayCredentials, type GatewayReads } from './gateway-checks';
import { gatewayMonitoring } from './gateway-monitoring';
import { GATEWAY_ENDPOINT } from './litellm-gateway';

export type { GatewayCaller, GatewayClients, GatewayWorkflow } from './agent-model-groups';
export type { GatewaySettings, ModelGroup } from './config';
export { GatewayChart } from './gateway-chart';
export type { LiteLlmGateway } from './litellm-gateway';
export { gatewayModelGroups, workflowGatewayKeyCredential } from './model-groups';

/** The gateway, for the components that call it (its descriptor is made in the registry). */
export const GATEWAY = componentRef<GatewayChart>('gateway');

/**
 * The LiteLLM gateway (`22-litellm-gateway`): every model call of the agents goes through it. It
 * uses the cache and the spend store, reads the global config layer, and is scraped by
 * Prometheus, all by reference. Who calls it is not its to know: `clients` gives the callers and
 * workflows of an environment (the registry passes the agents' function), so the gateway imports
 * no caller.
 */
export function gatewayComponent<S>(clients: (settings: GatewayReads & S) => GatewayClients) {
  return component<GatewayReads & S>()({
    id: 'gateway',
    title: 'LLM gateway (LiteLLM)',
    config: { gateway: gatewaySection },
    checks: gatewayChecks(clients),
    ineffectiveFields: [
      {
        path: ['gateway', 'replicas'],
        ignoredBecause: (s) => (s.gateway.autoscaling ? 'gateway.autoscaling is set: the autoscaler owns the replica count' : undefined),
      },
    ],
    credentials: gatewayCredentials,
    monitoring: [gatewayMonitoring],
    layerData: () => ({ global: { LITELLM_GATEWAY_URL: endpointUrl(GATEWAY_ENDPOINT) } }),
    build: (context) =>
      new GatewayChart(context.scope, context.environment, {
        clients: clients(context.environment.settings),
        layers: context.use(layers).layers,
        cache: context.use(cache).redis,
        database: context.use(database).spendStore,
        scraper: context.use(monitoring).prometheus.peer,
      }),
    // Never `/health`, which calls every model and costs tokens.
    healthChecks: (chart) => [{ label: 'LiteLLM gateway', endpoint: chart.litellm.endpoint, protocol: 'http', path: '/health/readiness' }],
    accessPoints: (chart) => [
      {
        label: 'LiteLLM gateway (OpenAI-compatible API; admin UI at /ui)',
        endpoint: chart.litellm.endpoint,
        credentials: [chart.litellm.masterKeyCredential],
      },
    ],
  });
}
