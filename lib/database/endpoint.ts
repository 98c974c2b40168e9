import type { ServiceEndpoint } from '../platform/service-endpoint';

/** The in-cluster PostgreSQL spend store's Service (when the database is not external). */
export const POSTGRES_ENDPOINT: ServiceEndpoint = { serviceName: 'postgres-service', port: 5432, portName: 'postgres', scheme: 'postgresql' };
