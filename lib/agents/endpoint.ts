import type { ServiceEndpoint } from '../platform/service-endpoint';

/** The PraisonAI workflow orchestrator's Service. */
export const ORCHESTRATOR_ENDPOINT: ServiceEndpoint = { serviceName: 'agent-orchestrator-service', port: 8000, portName: 'http' };
