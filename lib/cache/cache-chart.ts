import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import type { NetworkPeer } from '../platform/pod-network-policy';
import type { RedisSettings } from './config';
import { RedisCache } from './redis-cache';

/** Properties of a CacheChart. */
export interface CacheChartProps {
  /** The pods that scrape Redis's exporter (Prometheus). */
  readonly scraper: NetworkPeer;
}

/** Redis, the gateway's cache and shared router state (`20-redis`). */
export class CacheChart extends PlatformChart {
  /** The Redis cache: its endpoint, pods and password credential, for its clients. */
  public readonly redis: RedisCache;

  constructor(
    scope: Construct,
    environment: EnvironmentConfig<PlatformSettings & { readonly redis: RedisSettings }>,
    props: CacheChartProps,
  ) {
    super(scope, 'cache', { environment, fileName: '20-redis', component: 'cache' });
    this.redis = new RedisCache(this, 'Redis', { settings: environment.settings.redis, scraper: props.scraper });
  }
}
