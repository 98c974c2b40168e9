import type { RedisSettings } from './config';
import { bytesOf } from '../platform/container-resources';

/** Most of the memory limit `maxmemory` may take; the rest is for fragmentation and buffers. */
export const MAX_MAXMEMORY_PERCENT = 90;

/** Where the pod keeps the generated ACL file (an in-memory emptyDir). */
export const REDIS_ACL_DIR = '/run/redis-acl';
/** The ACL file redis.conf loads. */
export const REDIS_ACL_FILE = `${REDIS_ACL_DIR}/users.acl`;
/** Redis's working directory (an emptyDir; nothing is persisted there). */
export const REDIS_DATA_DIR = '/data';
/** ACL user of the metrics exporter. */
export const REDIS_EXPORTER_USER = 'exporter';

/** The `maxmemory` in bytes: the explicit value, or the configured share of the memory limit. */
export function redisMaxmemoryBytes(redis: RedisSettings): number {
  if (redis.maxmemory) return bytesOf(redis.maxmemory);
  return Math.floor((bytesOf(redis.resources.limits.memory) * redis.maxmemoryPercent) / 100);
}

/** Settings redis.conf is rendered from (plain data). */
export interface RedisConfInput {
  readonly port: number;
  readonly maxmemoryBytes: number;
  readonly maxmemoryPolicy: string;
  readonly maxClients: number;
}

/** The redis.conf settings of the environment. */
export function redisConfInput(redis: RedisSettings, port: number): RedisConfInput {
  return { port, maxmemoryBytes: redisMaxmemoryBytes(redis), maxmemoryPolicy: redis.maxmemoryPolicy, maxClients: redis.maxClients };
}

/**
 * redis.conf for a pure cache: bounded memory with every key evictable, no persistence (no RDB
 * snapshots, no AOF, so nothing ever forks), and users from an ACL file. Every directive is
 * known to Redis 7.0, which the tests load it with.
 */
export function renderRedisConf(input: RedisConfInput): string {
  return [
    '# Redis as the gateway cache and shared router state. Generated; edit config/*.yaml instead.',
    'bind 0.0.0.0',
    `port ${input.port}`,
    'protected-mode yes',
    `aclfile ${REDIS_ACL_FILE}`,
    `maxclients ${input.maxClients}`,
    `maxmemory ${input.maxmemoryBytes}`,
    `maxmemory-policy ${input.maxmemoryPolicy}`,
    'lazyfree-lazy-eviction yes',
    'save ""',
    'appendonly no',
    `dir ${REDIS_DATA_DIR}`,
    '',
  ].join('\n');
}

/**
 * The ACL rules, without passwords. `default` (gateway, agents, probes) may use every command
 * except administration (CONFIG, SHUTDOWN, DEBUG, ACL changes…) and flushing the shared cache;
 * `exporter` may only read server state: the commands redis_exporter sends (contracts/redis-exporter
 * `redisCommands`), named one by one. Not `+@connection`, which also grants CLIENT KILL, CLIENT
 * PAUSE and CLIENT NO-EVICT (contracts/redis `aclCategories.connection`); of that category the
 * exporter needs only CLIENT SETNAME (and AUTH, allowed to every user). LATENCY HISTOGRAM is not
 * granted: the exporter is told not to send it (REDIS_EXPORTER_LATENCY_ENV). Every command here
 * exists in Redis 7.0.
 */
export const REDIS_ACL_RULES = {
  default: '~* &* +@all -@admin -flushall -flushdb',
  [REDIS_EXPORTER_USER]:
    '~* -@all +client|setname +info +ping +config|get +client|list +slowlog|get +slowlog|len +latency|latest +cluster|info +memory|usage +dbsize',
} as const;

/**
 * Set on the exporter so it does not send LATENCY HISTOGRAM on every scrape (its default): nothing
 * reads the per-command latency histograms it would export, and its ACL user need not be granted
 * the command (contracts/redis-exporter `REDIS_EXPORTER_EXCLUDE_LATENCY_HISTOGRAM_METRICS`).
 */
export const REDIS_EXPORTER_LATENCY_ENV = { REDIS_EXPORTER_EXCLUDE_LATENCY_HISTOGRAM_METRICS: 'true' } as const;

/** Environment variables the ACL script reads the passwords from. */
export const REDIS_ACL_PASSWORD_ENV = { default: 'REDIS_PASSWORD', [REDIS_EXPORTER_USER]: 'REDIS_EXPORTER_PASSWORD' } as const;

/**
 * A POSIX shell script that writes the ACL file (path: `$1`) from the passwords in the
 * environment, so the passwords stay in Secrets and out of ConfigMaps and process arguments.
 * The unquoted here-document expands the variables once and never evaluates their content.
 * It refuses empty passwords and whitespace, which the ACL syntax cannot hold.
 */
export function renderRedisAclScript(): string {
  const users = Object.entries(REDIS_ACL_RULES) as [keyof typeof REDIS_ACL_RULES, string][];
  const checks = users.map(([user]) => {
    const v = REDIS_ACL_PASSWORD_ENV[user];
    return [
      `[ -n "\${${v}:-}" ] || { echo "redis-acl: ${v} is empty" >&2; exit 1; }`,
      `case "\${${v}}" in *[[:space:]]*) echo "redis-acl: ${v} contains whitespace" >&2; exit 1;; esac`,
    ].join('\n');
  });
  const lines = users.map(([user, rules]) => `user ${user} on >\${${REDIS_ACL_PASSWORD_ENV[user]}} ${rules}`);
  return [
    '#!/bin/sh',
    '# Writes the Redis ACL file from Secret-backed environment variables. Generated.',
    'set -eu',
    'out="${1:?usage: write-acl.sh <acl file>}"',
    ...checks,
    'umask 077',
    'cat > "$out" <<EOF',
    ...lines,
    'EOF',
    'echo "redis-acl: wrote $(grep -c "^user " "$out") users to $out"',
    '',
  ].join('\n');
}
