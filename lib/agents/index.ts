import { cache } from '../cache';
import { GATEWAY, type GatewaySettings } from '../gateway';
import { component } from '../platform/component-descriptor';
import { agentChecks } from './agent-checks';
import { agentGlobalLayer, renderAgentLayer } from './agent-layer-data';
import { agentMonitoring } from './agent-monitoring';
import { AgentsChart, type AgentsChartReads } from './agents-chart';
import { agentsSection } from './config';

export { gatewayClients } from './agent-identities';
export { AgentsChart } from './agents-chart';
export type { AgentsSettings } from './config';

/** What the agents read: their section, the log level, and their model groups' defaults and names. */
type AgentsReads = AgentsChartReads & { readonly gateway: GatewaySettings };

/**
 * The agents (`40-agents`): one PraisonAI runtime per workflow, calling the gateway under each
 * caller's own model name. They declare who calls the gateway (gatewayClients, which the registry
 * hands to the gateway), and reach the gateway and their knowledge store by reference.
 */
export const agents = component<AgentsReads>()({
  id: 'agents',
  title: 'Agents and workflows',
  config: { agents: agentsSection },
  // Environments may tune the agents base.yaml declares, not add new ones.
  closedMaps: [{ path: ['agents', 'members'], noun: 'agent' }],
  checks: agentChecks,
  credentials: (s) => [
    {
      id: s.agents.runtime.apiKeyCredential,
      purpose: 'the API key clients present to the workflows',
      field: ['agents', 'runtime', 'apiKeyCredential'],
    },
  ],
  monitoring: [agentMonitoring],
  layerData: (s) => ({ global: agentGlobalLayer(s.agents), agent: renderAgentLayer(s) }),
  build: (context) =>
    new AgentsChart(context.scope, context.environment, {
      gateway: context.use(GATEWAY).litellm,
      knowledgeStore: context.use(cache).redis,
    }),
  accessPoints: (chart) =>
    [...chart.runtimes].map(([id, runtime]) => ({
      label: `Agent workflow ${id} (POST /agents)`,
      endpoint: runtime.endpoint,
      path: '/health',
      credentials: [chart.apiKeyCredential],
    })),
});
