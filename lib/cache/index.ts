import type { AppSettings } from '../layers';
import { monitoring } from '../monitoring';
import { component } from '../platform/component-descriptor';
import { endpointUrl } from '../platform/service-endpoint';
import type { PlatformSettings } from '../platform/platform-settings';
import { CacheChart } from './cache-chart';
import { redisSection, type RedisSettings } from './config';
import { REDIS_ENDPOINT } from './redis-cache';
import { redisChecks } from './redis-checks';
import { redisMonitoring } from './redis-monitoring';

export { CacheChart } from './cache-chart';
export type { RedisSettings } from './config';
export type { RedisCache } from './redis-cache';

/** What the cache reads: its section, and the Redis database number services use. */
type CacheReads = PlatformSettings & { readonly redis: RedisSettings; readonly app: Pick<AppSettings, 'redisDb'> };

/** Redis, the gateway's response cache and shared router state (`20-redis`). */
export const cache = component<CacheReads>()({
  id: 'cache',
  title: 'Redis cache',
  config: { redis: redisSection },
  checks: redisChecks,
  credentials: (s) => [
    { id: s.redis.passwordCredential, purpose: 'a Redis password', field: ['redis', 'passwordCredential'] },
    { id: s.redis.exporterPasswordCredential, purpose: 'a Redis password', field: ['redis', 'exporterPasswordCredential'] },
  ],
  monitoring: [redisMonitoring],
  // Service discovery: where services find Redis, and which logical database they use.
  layerData: (s) => ({
    global: {
      REDIS_HOST: REDIS_ENDPOINT.serviceName,
      REDIS_PORT: String(REDIS_ENDPOINT.port),
      REDIS_DB: String(s.app.redisDb),
      REDIS_URL: `${endpointUrl(REDIS_ENDPOINT)}/${s.app.redisDb}`,
    },
  }),
  build: (context) => new CacheChart(context.scope, context.environment, { scraper: context.use(monitoring).prometheus.peer }),
  healthChecks: (chart) => [{ label: 'Redis', endpoint: chart.redis.endpoint, protocol: 'redis' }],
  accessPoints: (chart) => [{ label: 'Redis', endpoint: chart.redis.endpoint, credentials: [chart.redis.passwordCredential] }],
});
