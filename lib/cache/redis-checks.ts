import type { CrossCheck } from '../platform/component-descriptor';
import { bytesOf } from '../platform/container-resources';
import type { RedisSettings } from './config';
import { MAX_MAXMEMORY_PERCENT } from './redis-conf';

/** An explicit `maxmemory` leaves headroom below the container's memory limit. */
const maxmemoryFitsLimit: CrossCheck<{ readonly redis: RedisSettings }> = (settings) => {
  const redis = settings.redis;
  if (!redis.maxmemory) return [];
  const limit = bytesOf(redis.resources.limits.memory);
  const most = Math.floor((limit * MAX_MAXMEMORY_PERCENT) / 100);
  if (bytesOf(redis.maxmemory) <= most) return [];
  return [
    {
      path: ['redis', 'maxmemory'],
      expected: `at most ${MAX_MAXMEMORY_PERCENT}% of redis.resources.limits.memory (${redis.resources.limits.memory}), i.e. ${most} bytes; about 75-80% is usual`,
      found: `${redis.maxmemory} (${bytesOf(redis.maxmemory)} bytes)`,
    },
  ];
};

/** Redis's cross-field rules. */
export const redisChecks: readonly CrossCheck<{ readonly redis: RedisSettings }>[] = [maxmemoryFitsLimit];
