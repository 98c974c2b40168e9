import { q, stat, timeseries } from '../platform/dashboard-spec';
import { selectorLabels } from '../platform/labels';
import { growing, steady, type MetricEmitter, type MetricSpec, type MonitoringContribution } from '../platform/monitoring-contribution';
import type { DatabaseSettings } from './config';
import { EXPORTER_NAME, POSTGRES_EXPORTER_PORT } from './postgres-exporter';
import { POSTGRES_NAME } from './postgres-spend-store';

/**
 * How the PostgreSQL spend store is watched, through postgres_exporter (port 9187 named `metrics`)
 * connecting with its own read-only login: a sidecar of the in-cluster database, or a Deployment
 * in the namespace pointed at the external one (lib/database/postgres-exporter.ts).
 */

/** `app.kubernetes.io/name` of the PostgreSQL pods. */
export const POSTGRES_APP_NAME = POSTGRES_NAME;
/** Scrape job of the exporter. */
export const POSTGRES_JOB = 'postgres';

/** postgres_exporter, scraped by the `postgres` job (the sidecar in the cluster, or the Deployment watching an external database). */
const FROM_EXPORTER: readonly MetricEmitter[] = [{ program: 'postgres-exporter', jobs: [POSTGRES_JOB] }];

/** What postgres_exporter exposes (its default collectors; counters carry no `_total`). */
export const POSTGRES_METRICS: readonly MetricSpec[] = [
  { name: 'pg_up', type: 'gauge', help: '1 when the exporter could query PostgreSQL', labels: [], emitters: FROM_EXPORTER },
  {
    name: 'pg_stat_database_numbackends',
    type: 'gauge',
    help: 'Backends connected to a database',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  { name: 'pg_settings_max_connections', type: 'gauge', help: 'max_connections', labels: ['server'], emitters: FROM_EXPORTER },
  {
    name: 'pg_stat_database_xact_commit',
    type: 'counter',
    help: 'Transactions committed',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  {
    name: 'pg_stat_database_xact_rollback',
    type: 'counter',
    help: 'Transactions rolled back',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  {
    name: 'pg_stat_database_deadlocks',
    type: 'counter',
    help: 'Deadlocks detected',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  {
    name: 'pg_stat_database_blks_hit',
    type: 'counter',
    help: 'Blocks found in shared buffers',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  {
    name: 'pg_stat_database_blks_read',
    type: 'counter',
    help: 'Blocks read from disk',
    labels: ['datid', 'datname'],
    emitters: FROM_EXPORTER,
  },
  { name: 'pg_stat_database_tup_inserted', type: 'counter', help: 'Rows inserted', labels: ['datid', 'datname'], emitters: FROM_EXPORTER },
  { name: 'pg_database_size_bytes', type: 'gauge', help: 'Size of a database', labels: ['datname'], emitters: FROM_EXPORTER },
];

const DB = 'pod="postgres-0",datname="litellm"';

/** The spend database's contribution. */
export const postgresMonitoring: MonitoringContribution<{ readonly database: DatabaseSettings }> = {
  component: 'database',
  title: 'PostgreSQL spend store',
  metrics: POSTGRES_METRICS,
  // The sidecar of the in-cluster database, or the Deployment watching an external one: one job either way.
  scrapeTargets: (ctx) => {
    const inCluster = ctx.settings.database.mode === 'in-cluster';
    return [
      {
        job: POSTGRES_JOB,
        podLabels: selectorLabels(inCluster ? POSTGRES_APP_NAME : EXPORTER_NAME, ctx.environment),
        portName: POSTGRES_EXPORTER_PORT.name,
        path: '/metrics',
        // In the cluster a missing pod is a missing database; outside it, a missing exporter.
        missing: inCluster
          ? {
              severity: 'critical',
              impact: 'Without the PostgreSQL pod the gateway cannot check keys and budgets, and PostgresDown cannot fire.',
            }
          : {
              severity: 'warning',
              impact: 'The external database is no longer watched: PostgresDown and the other PostgreSQL alerts cannot fire.',
            },
      },
    ];
  },
  alerts: [
    {
      name: 'PostgresDown',
      expr: () => 'pg_up == 0',
      for: '1m',
      severity: 'critical',
      summary: 'PostgreSQL {{ $labels.pod }} is down',
      description: 'The exporter cannot query the spend store: gateway readiness fails, keys and budgets cannot be checked.',
      runbook: 'kubectl logs the postgres pod; check its volume (full disk) and the database Secret.',
      tests: () => ({
        firing: { series: [{ series: 'pg_up{pod="postgres-0"}', values: steady(0) }], labels: { pod: 'postgres-0' } },
        quiet: { series: [{ series: 'pg_up{pod="postgres-0"}', values: steady(1) }] },
      }),
    },
    {
      name: 'PostgresConnectionsNearMax',
      threshold: { value: 0.8, meaning: 'connections as a share (0-1) of max_connections', max: 1 },
      expr: (t) => `sum by (pod) (pg_stat_database_numbackends) / max by (pod) (pg_settings_max_connections) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'PostgreSQL {{ $labels.pod }} is running out of connections',
      description: 'Gateway pods multiply their connection pools; new connections will soon be refused.',
      runbook: 'Compare gateway replicas x database_connection_pool_limit with max_connections; consider PgBouncer.',
      tests: (t) => ({
        firing: {
          series: [
            { series: 'pg_settings_max_connections{pod="postgres-0"}', values: steady(100) },
            { series: `pg_stat_database_numbackends{${DB}}`, values: steady(Math.min(100, Math.ceil(100 * t) + 5)) },
          ],
          labels: { pod: 'postgres-0' },
        },
        quiet: {
          series: [
            { series: 'pg_settings_max_connections{pod="postgres-0"}', values: steady(100) },
            { series: `pg_stat_database_numbackends{${DB}}`, values: steady(Math.floor(100 * t * 0.5)) },
          ],
        },
      }),
    },
    {
      name: 'PostgresDeadlocks',
      expr: () => 'increase(pg_stat_database_deadlocks[10m]) > 0',
      for: '0s',
      severity: 'warning',
      summary: 'Deadlocks in database {{ $labels.datname }}',
      description: 'Concurrent spend writes deadlock; some spend updates are retried or lost.',
      runbook: 'Raise proxy_batch_write_at in the gateway config to batch spend writes; check the PostgreSQL log.',
      tests: () => ({
        firing: {
          series: [{ series: `pg_stat_database_deadlocks{${DB}}`, values: growing(1) }],
          labels: { pod: 'postgres-0', datname: 'litellm' },
        },
        quiet: { series: [{ series: `pg_stat_database_deadlocks{${DB}}`, values: steady(2) }] },
      }),
    },
  ],
  dashboards: [
    {
      uid: 'postgresql',
      title: 'PostgreSQL spend store',
      description: 'The gateway’s keys, budgets and spend logs: availability, connections, transactions and size.',
      tags: ['postgresql', 'database'],
      rows: [
        {
          title: 'Health',
          panels: [
            stat('Up', '1 when the exporter can query PostgreSQL.', 'min(pg_up)'),
            stat(
              'Connections used',
              'Share of max_connections in use.',
              'sum(pg_stat_database_numbackends) / max(pg_settings_max_connections)',
              { unit: 'percentunit', redFrom: 0.8 },
            ),
            stat('Database size', 'Size of all databases.', 'sum(pg_database_size_bytes)', { unit: 'bytes' }),
            stat('Deadlocks (1h)', 'Deadlocks in the last hour.', 'sum(increase(pg_stat_database_deadlocks[1h]))', { redFrom: 1 }),
          ],
        },
        {
          title: 'Activity',
          panels: [
            timeseries('Connections', 'Backends per database.', [q('sum by (datname) (pg_stat_database_numbackends)', '{{ datname }}')]),
            timeseries(
              'Transactions',
              'Commits and rollbacks per second.',
              [
                q('sum(rate(pg_stat_database_xact_commit[$__rate_interval]))', 'commit'),
                q('sum(rate(pg_stat_database_xact_rollback[$__rate_interval]))', 'rollback'),
              ],
              { unit: 'ops' },
            ),
            timeseries(
              'Buffer hit ratio',
              'Blocks served from shared buffers.',
              [
                q(
                  'sum(rate(pg_stat_database_blks_hit[$__rate_interval])) / (sum(rate(pg_stat_database_blks_hit[$__rate_interval])) + sum(rate(pg_stat_database_blks_read[$__rate_interval])))',
                  'hit ratio',
                ),
              ],
              { unit: 'percentunit' },
            ),
            timeseries(
              'Rows inserted',
              'Spend-log rows written per second.',
              [q('sum by (datname) (rate(pg_stat_database_tup_inserted[$__rate_interval]))', '{{ datname }}')],
              { unit: 'ops', width: 12 },
            ),
            timeseries('Database size', 'Growth of each database.', [q('sum by (datname) (pg_database_size_bytes)', '{{ datname }}')], {
              unit: 'bytes',
              width: 12,
            }),
          ],
        },
      ],
    },
  ],
};
