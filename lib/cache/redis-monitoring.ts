import { q, stat, timeseries } from '../platform/dashboard-spec';
import { selectorLabels } from '../platform/labels';
import { growing, steady, type MetricEmitter, type MetricSpec, type MonitoringContribution } from '../platform/monitoring-contribution';
import { REDIS_NAME } from './redis-cache';

/**
 * How the Redis cache is watched, through the redis_exporter sidecar (oliver006/redis_exporter,
 * port 9121 named `metrics`, path `/metrics`).
 */

/** `app.kubernetes.io/name` of the Redis pods. */
export const REDIS_APP_NAME = REDIS_NAME;
/** Scrape job of the exporter. */
export const REDIS_JOB = 'redis';

/** The redis_exporter sidecar, scraped by the `redis` job. */
const FROM_EXPORTER: readonly MetricEmitter[] = [{ program: 'redis-exporter', jobs: [REDIS_JOB] }];

/** What redis_exporter exposes (exporter/metrics.go, exporter/info.go). */
export const REDIS_METRICS: readonly MetricSpec[] = [
  { name: 'redis_up', type: 'gauge', help: '1 when the exporter reached Redis on the last scrape', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_memory_used_bytes', type: 'gauge', help: 'Memory Redis has allocated', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_memory_max_bytes', type: 'gauge', help: 'maxmemory (0 = unlimited)', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_connected_clients', type: 'gauge', help: 'Client connections', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_blocked_clients', type: 'gauge', help: 'Clients blocked in a blocking call', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_config_maxclients', type: 'gauge', help: 'maxclients', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_keyspace_hits_total', type: 'counter', help: 'Key lookups that hit', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_keyspace_misses_total', type: 'counter', help: 'Key lookups that missed', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_evicted_keys_total', type: 'counter', help: 'Keys evicted by maxmemory-policy', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_expired_keys_total', type: 'counter', help: 'Keys expired by TTL', labels: [], emitters: FROM_EXPORTER },
  {
    name: 'redis_rejected_connections_total',
    type: 'counter',
    help: 'Connections refused (maxclients reached)',
    labels: [],
    emitters: FROM_EXPORTER,
  },
  { name: 'redis_commands_processed_total', type: 'counter', help: 'Commands processed', labels: [], emitters: FROM_EXPORTER },
  { name: 'redis_db_keys', type: 'gauge', help: 'Keys per database', labels: ['db'], emitters: FROM_EXPORTER },
  { name: 'redis_uptime_in_seconds', type: 'gauge', help: 'Seconds since Redis started', labels: [], emitters: FROM_EXPORTER },
  {
    name: 'redis_instance_info',
    type: 'gauge',
    help: 'Version and role, as labels',
    labels: ['role', 'redis_version'],
    emitters: FROM_EXPORTER,
  },
];

const POD = 'pod="redis-0"';

/** The cache's contribution. */
export const redisMonitoring: MonitoringContribution = {
  component: 'cache',
  title: 'Redis cache',
  metrics: REDIS_METRICS,
  scrapeTargets: (ctx) => [
    {
      job: REDIS_JOB,
      podLabels: selectorLabels(REDIS_APP_NAME, ctx.environment),
      portName: 'metrics',
      path: '/metrics',
      // Without the pod (or its exporter) RedisDown cannot fire: this is the only signal left.
      missing: {
        severity: 'critical',
        impact: 'Without the Redis pod the gateway has no response cache or shared router state, and RedisDown cannot fire.',
      },
    },
  ],
  alerts: [
    {
      name: 'RedisDown',
      expr: () => 'redis_up == 0',
      for: '1m',
      severity: 'critical',
      summary: 'Redis {{ $labels.pod }} is down',
      description: 'The exporter cannot reach Redis: the gateway loses its response cache and shared rate-limit state.',
      runbook: 'kubectl logs the redis pod (container redis); check the auth Secret and memory limits (OOMKilled).',
      tests: () => ({
        firing: { series: [{ series: `redis_up{${POD}}`, values: steady(0) }], labels: { pod: 'redis-0' } },
        quiet: { series: [{ series: `redis_up{${POD}}`, values: steady(1) }] },
      }),
    },
    {
      name: 'RedisMemoryNearMax',
      threshold: { value: 0.9, meaning: 'used memory as a share (0-1) of maxmemory', max: 1 },
      expr: (t) => `redis_memory_used_bytes / redis_memory_max_bytes > ${t} and redis_memory_max_bytes > 0`,
      for: '5m',
      severity: 'warning',
      summary: 'Redis {{ $labels.pod }} is close to maxmemory',
      description: 'Redis will evict keys (allkeys-lru) or refuse writes; the cache hit ratio drops.',
      runbook: 'Check key counts and TTLs on the Redis dashboard; raise maxmemory together with the memory limit.',
      tests: (t) => ({
        firing: {
          series: [
            { series: `redis_memory_max_bytes{${POD}}`, values: steady(1000) },
            { series: `redis_memory_used_bytes{${POD}}`, values: steady(Math.min(1000, 1000 * t + 50)) },
          ],
          labels: { pod: 'redis-0' },
        },
        quiet: {
          series: [
            { series: `redis_memory_max_bytes{${POD}}`, values: steady(1000) },
            { series: `redis_memory_used_bytes{${POD}}`, values: steady(1000 * t * 0.5) },
          ],
        },
      }),
    },
    {
      name: 'RedisEvicting',
      threshold: { value: 10, meaning: 'evicted keys per second over 5m' },
      expr: (t) => `rate(redis_evicted_keys_total[5m]) > ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Redis {{ $labels.pod }} evicts keys fast',
      description: 'The cache is too small for its working set: entries are evicted before their TTL.',
      runbook: 'Raise maxmemory (and the memory limit) or shorten cache TTLs in the gateway config.',
      tests: (t) => ({
        firing: { series: [{ series: `redis_evicted_keys_total{${POD}}`, values: growing(t * 60 * 2) }], labels: { pod: 'redis-0' } },
        quiet: { series: [{ series: `redis_evicted_keys_total{${POD}}`, values: growing(t * 60 * 0.5) }] },
      }),
    },
    {
      name: 'RedisRejectedConnections',
      expr: () => 'increase(redis_rejected_connections_total[5m]) > 0',
      for: '0s',
      severity: 'warning',
      summary: 'Redis {{ $labels.pod }} rejects connections',
      description: 'maxclients is reached: gateway or agent calls to Redis fail.',
      runbook: 'Check connected clients on the Redis dashboard; look for a connection leak or raise maxclients.',
      tests: () => ({
        firing: { series: [{ series: `redis_rejected_connections_total{${POD}}`, values: growing(1) }], labels: { pod: 'redis-0' } },
        quiet: { series: [{ series: `redis_rejected_connections_total{${POD}}`, values: steady(4) }] },
      }),
    },
  ],
  dashboards: [
    {
      uid: 'redis',
      title: 'Redis cache',
      description: 'The LLM response cache: memory, hit ratio, evictions and clients.',
      tags: ['redis', 'cache'],
      rows: [
        {
          title: 'Health',
          panels: [
            stat('Up', '1 when the exporter reaches Redis.', 'min(redis_up)', { width: 4 }),
            stat('Memory used', 'Share of maxmemory in use.', 'max(redis_memory_used_bytes / (redis_memory_max_bytes > 0))', {
              unit: 'percentunit',
              width: 5,
              redFrom: 0.9,
            }),
            stat(
              'Hit ratio (1h)',
              'Key lookups that hit, last hour.',
              'sum(rate(redis_keyspace_hits_total[1h])) / (sum(rate(redis_keyspace_hits_total[1h])) + sum(rate(redis_keyspace_misses_total[1h])))',
              { unit: 'percentunit', width: 5 },
            ),
            stat('Keys', 'Keys across databases.', 'sum(redis_db_keys)', { width: 5 }),
            stat('Uptime', 'Since the last restart.', 'min(redis_uptime_in_seconds)', { unit: 's', width: 5 }),
          ],
        },
        {
          title: 'Memory and keys',
          panels: [
            timeseries(
              'Memory',
              'Used memory against maxmemory.',
              [q('sum by (pod) (redis_memory_used_bytes)', 'used {{ pod }}'), q('sum by (pod) (redis_memory_max_bytes)', 'max {{ pod }}')],
              { unit: 'bytes', width: 12 },
            ),
            timeseries(
              'Hit ratio',
              'Key lookups that hit.',
              [
                q(
                  'sum(rate(redis_keyspace_hits_total[$__rate_interval])) / (sum(rate(redis_keyspace_hits_total[$__rate_interval])) + sum(rate(redis_keyspace_misses_total[$__rate_interval])))',
                  'hit ratio',
                ),
              ],
              { unit: 'percentunit', width: 12 },
            ),
            timeseries(
              'Evictions and expiries',
              'Keys per second removed by maxmemory-policy and by TTL.',
              [
                q('sum(rate(redis_evicted_keys_total[$__rate_interval]))', 'evicted'),
                q('sum(rate(redis_expired_keys_total[$__rate_interval]))', 'expired'),
              ],
              { unit: 'ops', width: 12 },
            ),
            timeseries(
              'Clients',
              'Connected, blocked and rejected clients.',
              [
                q('sum(redis_connected_clients)', 'connected'),
                q('sum(redis_blocked_clients)', 'blocked'),
                q('sum(rate(redis_rejected_connections_total[$__rate_interval]))', 'rejected/s'),
                q('max(redis_config_maxclients)', 'maxclients'),
              ],
              { width: 12 },
            ),
            timeseries(
              'Commands',
              'Commands processed per second.',
              [q('sum(rate(redis_commands_processed_total[$__rate_interval]))', 'commands/s')],
              { unit: 'ops', width: 24 },
            ),
          ],
        },
      ],
    },
  ],
};
