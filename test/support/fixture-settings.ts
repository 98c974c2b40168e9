import { redisSection, type RedisSettings } from '../../lib/cache/config';
import { deepMerge } from '../../lib/config/deep-merge';
import type { EnvironmentConfig } from '../../lib/config/load-environment';
import type { PlatformSettings } from '../../lib/platform/platform-settings';

/**
 * Small settings fixtures for component tests, built here instead of read from config/: a change
 * to config/base.yaml can neither break a component test nor silently satisfy it. Each builder
 * returns minimal valid settings for one component, validated by that component's own section
 * schema, and takes per-test overrides (deep-merged; lists replace).
 *
 * The values are deliberately unlike the shipped ones, so a test that still reads config/ by
 * mistake fails. Tests whose subject IS the shipped config (dist/, quota, contracts) load config/
 * through test/support/environments.ts instead.
 */

/** Overrides of a settings object: any part of it, at any depth. */
export type Overrides<T> = T extends readonly unknown[] ? T : T extends object ? { readonly [K in keyof T]?: Overrides<T[K]> } : T;

/** The name of a fixture environment (and its file, `fixture.yaml`). */
export const FIXTURE_ENVIRONMENT = 'fixture';

/** The settings every chart reads: product identity, namespace and these credentials. */
export function platformFixture(credentials: PlatformSettings['security']['credentials'] = {}): PlatformSettings {
  return {
    platform: { name: 'suoke-life', version: '0.0.1-fixture', production: false },
    namespace: { name: 'fixture-ns' },
    security: { credentials },
  };
}

/** An environment of these settings, as the loader would return it. */
export function fixtureEnvironment<S>(settings: S, name = FIXTURE_ENVIRONMENT): EnvironmentConfig<S> {
  return { name, file: `${name}.yaml`, settings };
}

/**
 * Redis settings. The images are pinned versions that have contracts (contracts/redis,
 * contracts/redis-exporter); everything else is made up.
 */
export function redisFixture(overrides: Overrides<RedisSettings> = {}): RedisSettings {
  const minimal: RedisSettings = {
    image: { repository: 'docker.io/redis', tag: '7.2.11', pullPolicy: 'Always' },
    resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '250m', memory: '1Gi' } },
    maxmemoryPercent: 60,
    maxmemoryPolicy: 'allkeys-lfu',
    maxClients: 500,
    passwordCredential: 'fixture-cache-password',
    exporterPasswordCredential: 'fixture-exporter-password',
    exporter: {
      image: { repository: 'docker.io/oliver006/redis_exporter', tag: 'v1.88.0', pullPolicy: 'Always' },
      resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '50m', memory: '48Mi' } },
    },
  };
  return redisSection.parse(deepMerge(minimal, overrides));
}

/** What the cache chart reads: the platform settings with its credentials, and its Redis settings. */
export function cacheFixture(overrides: Overrides<RedisSettings> = {}): PlatformSettings & { readonly redis: RedisSettings } {
  const redis = redisFixture(overrides);
  return {
    ...platformFixture({
      [redis.passwordCredential]: { secretName: 'fixture-redis', key: 'gateway', purpose: 'the gateway user of Redis' },
      [redis.exporterPasswordCredential]: { secretName: 'fixture-redis', key: 'exporter', purpose: 'the exporter user of Redis' },
    }),
    redis,
  };
}
