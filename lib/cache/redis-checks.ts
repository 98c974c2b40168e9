import type { CrossCheck } from '../config/cross-checks';
import { bytesOf } from '../platform/container-resources';
import { MAX_MAXMEMORY_PERCENT } from './redis-conf';

/** An explicit `maxmemory` leaves headroom below the container's memory limit. */
const maxmemoryFitsLimit: CrossCheck = (settings) => {
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

/** Both Redis passwords are credentials that exist. */
const redisCredentials: CrossCheck = (settings) =>
  (['passwordCredential', 'exporterPasswordCredential'] as const)
    .filter((field) => !(settings.redis[field] in settings.security.credentials))
    .map((field) => ({
      path: ['redis', field],
      expected: 'the id of a credential in security.credentials holding a Redis password',
      found: `${JSON.stringify(settings.redis[field])}, which security.credentials does not define`,
    }));

/** Redis's cross-field rules. */
export const redisChecks: readonly CrossCheck[] = [maxmemoryFitsLimit, redisCredentials];
