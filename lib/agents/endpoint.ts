import type { ServiceEndpoint } from '../platform/service-endpoint';

/** The PraisonAI workflow orchestrator's Service. */
export const ORCHESTRATOR_ENDPOINT: ServiceEndpoint = { serviceName: 'agent-orchestrator-service', port: 8000, portName: 'http' };

/**
 * The per-agent services, by agent id (ports as in the original agent-services README). An agent
 * added to config gets a service only once its endpoint is added here.
 */
export const AGENT_SERVICE_ENDPOINTS: Readonly<Record<string, ServiceEndpoint>> = {
  xiaoai: { serviceName: 'xiaoai-service', port: 8001, portName: 'http' },
  xiaoke: { serviceName: 'xiaoke-service', port: 8002, portName: 'http' },
  laoke: { serviceName: 'laoke-service', port: 8003, portName: 'http' },
  soer: { serviceName: 'soer-service', port: 8004, portName: 'http' },
};

/** The endpoint of an agent's own service, if it has one. */
export function agentServiceEndpoint(agentId: string): ServiceEndpoint | undefined {
  return Object.prototype.hasOwnProperty.call(AGENT_SERVICE_ENDPOINTS, agentId) ? AGENT_SERVICE_ENDPOINTS[agentId] : undefined;
}
