import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderBackupScript } from '../../lib/database/backup-script';
import {
  MONITORING_LOGIN_SCRIPT,
  MONITORING_PASSWORD_ENV,
  monitoringLoginSql,
  renderMonitoringLoginScript,
} from '../../lib/database/monitoring-login';
import { App } from 'cdk8s';
import type { DatabaseSettings } from '../../lib/database/config';
import { DatabaseChart } from '../../lib/database/database-chart';
import { databaseChecks } from '../../lib/database/database-checks';
import { renderCharts, type KubeObject } from '../../lib/synth/render-environment';
import { problemsWith } from '../support/config-changes';
import { databaseChartFixture, databaseFixture, fixtureEnvironment, type Overrides } from '../support/fixture-settings';
import { findGatewaySide } from '../support/gateway-side';

/**
 * The database chart, rendered from small fixture settings (test/support/fixture-settings.ts), so
 * what it asserts follows from the fixture here, never from config/. The NetworkPolicy test, about
 * how the real components are wired to PostgreSQL, and the tests of the loader's messages use the
 * real config.
 */

/** The objects of the database chart for fixture settings with these overrides. */
function renderDatabase(overrides: Overrides<DatabaseSettings> = {}, sslMode?: 'require' | 'verify-full'): KubeObject[] {
  const environment = fixtureEnvironment(databaseChartFixture(overrides, sslMode));
  const chart = new DatabaseChart(new App(), environment, { scraper: { podLabels: { 'fixture/scraper': 'yes' } } });
  return renderCharts(environment, [chart]).files.flatMap((f) => f.objects);
}

const inCluster = renderDatabase();
const external = renderDatabase({ mode: 'external' }, 'require');
const findObject = (objects: KubeObject[], kind: string, name: string): KubeObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const postgres = () => findObject(inCluster, 'StatefulSet', 'postgres');

describe('PostgreSQL spend store', () => {
  test('in-cluster: a StatefulSet from the configured image; external: only an exporter watching it', () => {
    expect(postgres().spec.template.spec.containers[0].image).toBe('docker.io/postgres:17.6');
    expect(postgres().spec.template.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(postgres().spec.serviceName).toBe('postgres-service');
    expect(external.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Deployment/postgres-exporter',
      'NetworkPolicy/postgres-exporter',
    ]);
  });

  test('a volume claim sized from its settings, non-root, probes', () => {
    const s = postgres();
    expect(s.spec.volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } } },
    ]);
    expect(
      findObject(renderDatabase({ inCluster: { storageSize: '7Gi' } }), 'StatefulSet', 'postgres').spec.volumeClaimTemplates[0].spec
        .resources.requests.storage,
    ).toBe('7Gi');
    const c = s.spec.template.spec.containers[0];
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(c.env.find((e: any) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
    expect(c.env.find((e: any) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'fixture-db', key: 'owner' });
    expect(s.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
    expect(c.readinessProbe.exec.command[0]).toBe('pg_isready');
    expect(c.startupProbe.failureThreshold).toBe(30);
  });

  test('a postgres_exporter sidecar on 9187 with scrape annotations; only the gateway, backups and Prometheus connect', () => {
    const s = postgres();
    expect(s.spec.template.spec.containers[1].ports).toEqual([{ containerPort: 9187, name: 'metrics', protocol: 'TCP' }]);
    expect(s.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics' });
    // Who connects is the real components' wiring: a real environment's.
    const names = findGatewaySide('dev', 'NetworkPolicy', 'postgres').spec.ingress.map((r: any) =>
      r.from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']),
    );
    expect(names).toEqual([['litellm-gateway', 'postgres-backup'], ['prometheus']]);
  });

  test('the exporter connects with its own read-only login, not the superuser the image makes of POSTGRES_USER', () => {
    const [db, exporter] = postgres().spec.template.spec.containers;
    const env = (c: any, name: string) => c.env.find((e: any) => e.name === name);
    expect(env(db, 'POSTGRES_USER').value).toBe('fixture_owner');
    expect(env(exporter, 'DATA_SOURCE_USER').value).toBe('fixture_watcher');
    expect(env(exporter, 'DATA_SOURCE_PASS').valueFrom.secretKeyRef).toEqual({ name: 'fixture-db', key: 'watcher' });
    expect(env(exporter, 'DATA_SOURCE_URI').value).toBe('127.0.0.1:5432/fixture_spend?sslmode=disable');
  });

  test('a fresh cluster creates that login: an executable script in /docker-entrypoint-initdb.d, its password from the Secret', () => {
    const spec = postgres().spec.template.spec;
    const db = spec.containers[0];
    const mount = db.volumeMounts.find((m: any) => m.mountPath === '/docker-entrypoint-initdb.d');
    const volume = spec.volumes.find((v: any) => v.name === mount.name);
    expect(volume.configMap.defaultMode).toBe(0o555);
    expect(Object.keys(findObject(inCluster, 'ConfigMap', volume.configMap.name).data)).toEqual([MONITORING_LOGIN_SCRIPT]);
    expect(db.env.find((e: any) => e.name === MONITORING_PASSWORD_ENV).valueFrom.secretKeyRef).toEqual({
      name: 'fixture-db',
      key: 'watcher',
    });
  });

  test('external: the exporter Deployment reads the managed database with the monitoring login, and may reach only its addresses and port', () => {
    const exporter = findObject(external, 'Deployment', 'postgres-exporter').spec.template.spec.containers[0];
    const env = Object.fromEntries(exporter.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(env).toEqual({
      DATA_SOURCE_URI: 'db.fixture.example:6543/fixture_spend?sslmode=require',
      DATA_SOURCE_USER: 'fixture_watcher',
      DATA_SOURCE_PASS: { name: 'fixture-db', key: 'watcher' },
    });
    expect(exporter.image).toBe('quay.io/prometheuscommunity/postgres-exporter:v0.17.1');
    const policy = findObject(external, 'NetworkPolicy', 'postgres-exporter').spec;
    expect(policy.egress).toEqual([{ to: [{ ipBlock: { cidr: '192.168.7.0/24' } }], ports: [{ port: 6543, protocol: 'TCP' }] }]);
    expect(policy.ingress).toEqual([
      {
        from: [{ podSelector: { matchLabels: { 'fixture/scraper': 'yes' } } }],
        ports: [{ port: 9187, protocol: 'TCP' }],
      },
    ]);
  });

  test('the monitoring login must be its own: not the in-cluster superuser, with a credential that exists', () => {
    const check = (overrides: Overrides<DatabaseSettings>) =>
      databaseChecks.flatMap((rule) => rule({ database: databaseFixture(overrides) }, { environment: 'fixture', contributions: [] }));
    expect(check({ monitoring: { user: 'fixture_owner', passwordCredential: 'fixture-db-password' } })).toEqual([
      {
        path: ['database', 'monitoring', 'user'],
        expected: 'a login other than database.inCluster.user ("fixture_owner", the superuser): the exporter may only read statistics',
        found: '"fixture_owner"',
      },
      {
        path: ['database', 'monitoring', 'passwordCredential'],
        expected: "a credential of the monitoring login's own, not database.inCluster.passwordCredential",
        found: '"fixture-db-password"',
      },
    ]);
    expect(check({})).toEqual([]);
    expect(problemsWith({ merge: { 'prod.yaml': { database: { monitoring: { passwordCredential: 'pg-monitor' } } } } }, 'prod')).toEqual([
      'prod.yaml: database.monitoring.passwordCredential: expected the id of a credential in security.credentials holding the password of postgres_exporter\'s monitoring login, found "pg-monitor", which security.credentials does not define',
    ]);
  });

  test('a backup CronJob dumps to its own volume with the configured schedule, size and retention', () => {
    const cron = findObject(inCluster, 'CronJob', 'postgres-backup');
    expect(cron.spec).toMatchObject({ schedule: '15 4 * * 0', concurrencyPolicy: 'Forbid' });
    expect(findObject(inCluster, 'PersistentVolumeClaim', 'postgres-backups').spec.resources.requests.storage).toBe('4Gi');
    const volume = cron.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === 'script');
    const script: string = findObject(inCluster, 'ConfigMap', volume.configMap.name).data['backup.sh'];
    expect(script).toContain(`-mmin +${5 * 24 * 60}`);
    expect(script).toContain('pg_dump --host=postgres-service --port=5432 --username=fixture_owner --dbname=fixture_spend --format=custom');
  });

  test('an external database needs its URL credential', () => {
    expect(problemsWith({ merge: { 'prod.yaml': { database: { external: { urlCredential: 'managed-db-url' } } } } }, 'prod')).toEqual([
      'prod.yaml: database.external.urlCredential: expected the id of a credential in security.credentials holding the connection URL of the external database, found "managed-db-url", which security.credentials does not define',
    ]);
  });
});

describe('backup.sh, run with a stand-in pg_dump', () => {
  test('writes a new dump, deletes dumps past the retention, keeps the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-backup-'));
    try {
      const bin = path.join(dir, 'bin');
      const backups = path.join(dir, 'backups');
      fs.mkdirSync(bin);
      fs.mkdirSync(backups);
      // Writes its arguments to the --file it is given, as pg_dump writes the dump there.
      fs.writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\nfor a; do case "$a" in --file=*) echo "$@" > "${a#--file=}";; esac; done\n', {
        mode: 0o755,
      });
      const old = path.join(backups, 'litellm-20200101T000000Z.dump');
      const recent = path.join(backups, 'litellm-20200102T000000Z.dump');
      fs.writeFileSync(old, 'old');
      fs.writeFileSync(recent, 'recent');
      const day = 24 * 3600;
      const now = Date.now() / 1000;
      fs.utimesSync(old, now - 8 * day, now - 8 * day);
      fs.utimesSync(recent, now - 6 * day, now - 6 * day);
      const script = renderBackupScript({ host: 'postgres-service', port: 5432, user: 'litellm', database: 'litellm', retentionDays: 7 });
      const result = spawnSync('sh', ['-c', script], {
        encoding: 'utf8',
        env: { PATH: `${bin}:${process.env.PATH}`, BACKUP_DIR: backups },
      });
      expect(result.status).toBe(0);
      const files = fs.readdirSync(backups).sort();
      expect(files).toHaveLength(2);
      expect(files).toContain('litellm-20200102T000000Z.dump');
      const fresh = files.find((f) => f !== 'litellm-20200102T000000Z.dump')!;
      expect(fresh).toMatch(/^litellm-\d{8}T\d{6}Z\.dump$/);
      expect(fs.readFileSync(path.join(backups, fresh), 'utf8')).toContain(
        '--host=postgres-service --port=5432 --username=litellm --dbname=litellm --format=custom',
      );
      expect(result.stdout).toContain(`backup: wrote ${backups}/${fresh}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failing pg_dump fails the job and leaves no dump', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-backup-'));
    try {
      fs.writeFileSync(path.join(dir, 'pg_dump'), '#!/bin/sh\necho "pg_dump: error: connection refused" >&2\nexit 1\n', { mode: 0o755 });
      const script = renderBackupScript({ host: 'postgres-service', port: 5432, user: 'litellm', database: 'litellm', retentionDays: 7 });
      const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, BACKUP_DIR: dir } });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('connection refused');
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.dump'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('monitoring-login.sh, run with a stand-in psql', () => {
  const script = renderMonitoringLoginScript({ user: 'suoke_monitoring', database: 'litellm' });
  /** Runs the script with a psql that records its arguments and standard input. */
  function run(password: string | undefined): { status: number | null; stderr: string; psql?: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-login-'));
    try {
      fs.writeFileSync(path.join(dir, 'psql'), `#!/bin/sh\n{ echo "ARGS $*"; cat; } > ${dir}/psql.out\n`, { mode: 0o755 });
      const env: Record<string, string> = { PATH: `${dir}:${process.env.PATH}`, POSTGRES_USER: 'litellm', POSTGRES_DB: 'litellm' };
      if (password !== undefined) env[MONITORING_PASSWORD_ENV] = password;
      const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', env });
      const out = path.join(dir, 'psql.out');
      return { status: result.status, stderr: result.stderr, psql: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('feeds psql, as POSTGRES_USER on POSTGRES_DB, the SQL that creates the login with pg_monitor; the password only on standard input', () => {
    const { status, psql } = run('s3cret-Value_1.2~x');
    expect(status).toBe(0);
    const [args, ...sql] = psql!.trim().split('\n');
    expect(args).toBe('ARGS -v ON_ERROR_STOP=1 --no-psqlrc --username litellm --dbname litellm');
    expect(sql).toEqual(monitoringLoginSql({ user: 'suoke_monitoring', database: 'litellm' }, 's3cret-Value_1.2~x').split('\n'));
    expect(sql.join('\n')).toMatch(/GRANT pg_monitor TO "suoke_monitoring";/);
    expect(sql.join('\n')).toMatch(/NOSUPERUSER/);
  });

  const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
  (shellcheck || process.env.CI === 'true' ? test : test.skip)('passes shellcheck as a POSIX sh script', () => {
    const run = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '-'], { input: script, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test.each([
    ['an empty password', '', 'MONITORING_LOGIN_PASSWORD is empty'],
    ['no password', undefined, 'MONITORING_LOGIN_PASSWORD is empty'],
    ['a quote that would end the SQL literal', "x'; DROP ROLE litellm; --", 'may hold only letters, digits'],
    ['a space', 'two words', 'may hold only letters, digits'],
  ])('refuses %s and runs nothing', (_what, password, message) => {
    const { status, stderr, psql } = run(password);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
    expect(psql).toBeUndefined();
  });
});
