import type { ServiceEndpoint } from '../platform/service-endpoint';

/** The LiteLLM gateway's Service: the one address every model call goes to. */
export const GATEWAY_ENDPOINT: ServiceEndpoint = { serviceName: 'litellm-gateway-service', port: 4000, portName: 'http' };
