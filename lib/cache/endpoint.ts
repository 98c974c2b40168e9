import type { ServiceEndpoint } from '../platform/service-endpoint';

/** The Redis cache's Service (the original name, `redis-service`). */
export const REDIS_ENDPOINT: ServiceEndpoint = { serviceName: 'redis-service', port: 6379, portName: 'redis', scheme: 'redis' };
