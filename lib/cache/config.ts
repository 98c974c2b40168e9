import { z } from 'zod';
import { byteQuantity, dnsLabel, imageConfig, oneOf, resourcesConfig, section, wholeNumber } from '../config/fields';

/** Redis: the shared cache and router state of the gateway (and the agents' shared store). */
export const redisSection = section({
  /** The official Redis image (`docker.io/redis`), pinned. */
  image: imageConfig,
  /** Resources of the Redis container; `maxmemory` is derived from the memory limit. */
  resources: resourcesConfig,
  /**
   * `maxmemory` as a percentage of the container memory limit. The rest is headroom for
   * fragmentation, client buffers and the process itself.
   */
  maxmemoryPercent: wholeNumber(10, 90),
  /** An explicit `maxmemory`, overriding `maxmemoryPercent`; at most 90% of the memory limit. */
  maxmemory: byteQuantity.optional(),
  /** Eviction policy: every key is evictable, since Redis is a cache here. */
  maxmemoryPolicy: oneOf(['allkeys-lru', 'allkeys-lfu']),
  /** Most clients connected at once. */
  maxClients: wholeNumber(16, 100000),
  /** Id (in `security.credentials`) of the password of the `default` user (the gateway). */
  passwordCredential: dnsLabel,
  /** Id (in `security.credentials`) of the password of the read-only `exporter` user. */
  exporterPasswordCredential: dnsLabel,
  /** The redis_exporter sidecar. */
  exporter: section({ image: imageConfig, resources: resourcesConfig }),
});
export type RedisSettings = z.infer<typeof redisSection>;
