import { Construct } from 'constructs';
import { RedisCache } from '../lib/cache/redis-cache';
import type { EnvironmentConfig } from '../lib/config/schema';
import { PlatformChart } from '../lib/platform/platform-chart';

/** Redis, the gateway's cache and shared router state (`20-redis`). */
export class CacheChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'cache', { environment, fileName: '20-redis', component: 'cache' });
    new RedisCache(this, 'redis', { settings: environment.settings.redis });
  }
}
