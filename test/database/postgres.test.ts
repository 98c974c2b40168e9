import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderBackupScript } from '../../lib/database/backup-script';
import { problemsWith } from '../gateway/config-problems';
import { findGatewaySide as findObject, gatewaySide as rendered, objectsIn } from '../gateway/render-charts';

const objectsOf = (env: string) => objectsIn(rendered(env));

const postgres = (env: string) => findObject(env, 'StatefulSet', 'postgres');

describe('PostgreSQL spend store', () => {
  test('dev and test: an in-cluster StatefulSet from the pinned official image; prod: external', () => {
    expect(postgres('dev').spec.template.spec.containers[0].image).toBe('docker.io/postgres:17.6');
    expect(postgres('test').spec.serviceName).toBe('postgres-service');
    expect(rendered('prod').files.map((f) => f.fileName)).not.toContain('21-postgres.k8s.yaml');
    expect(objectsOf('prod').some((o) => o.kind === 'StatefulSet')).toBe(false);
  });

  test('a volume claim sized from config, non-root, probes', () => {
    const s = postgres('dev');
    expect(s.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }]);
    expect(postgres('test').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('10Gi');
    const c = s.spec.template.spec.containers[0];
    expect(c.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(c.env.find((e: any) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/pgdata');
    expect(c.env.find((e: any) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'spend-database', key: 'password' });
    expect(s.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999, runAsNonRoot: true });
    expect(c.readinessProbe.exec.command[0]).toBe('pg_isready');
    expect(c.startupProbe.failureThreshold).toBe(30);
  });

  test('a postgres_exporter sidecar on 9187 with scrape annotations; only the gateway, backups and Prometheus connect', () => {
    const s = postgres('dev');
    expect(s.spec.template.spec.containers[1].ports).toEqual([{ containerPort: 9187, name: 'metrics', protocol: 'TCP' }]);
    expect(s.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/port': '9187', 'prometheus.io/path': '/metrics' });
    const names = findObject('dev', 'NetworkPolicy', 'postgres').spec.ingress.map((r: any) => r.from.map((p: any) => p.podSelector.matchLabels['app.kubernetes.io/name']));
    expect(names).toEqual([['litellm-gateway', 'postgres-backup'], ['prometheus']]);
  });

  test('a backup CronJob dumps to its own volume with the configured retention', () => {
    const cron = findObject('dev', 'CronJob', 'postgres-backup');
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' });
    expect(findObject('dev', 'PersistentVolumeClaim', 'postgres-backups').spec.resources.requests.storage).toBe('10Gi');
    const volume = cron.spec.jobTemplate.spec.template.spec.volumes.find((v: any) => v.name === 'script');
    const script: string = findObject('dev', 'ConfigMap', volume.configMap.name).data['backup.sh'];
    expect(script).toContain(`-mmin +${3 * 24 * 60}`);
    expect(script).toContain('pg_dump --host=postgres-service --port=5432 --username=litellm --dbname=litellm --format=custom');
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
      fs.writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\nfor a; do case "$a" in --file=*) echo "$@" > "${a#--file=}";; esac; done\n', { mode: 0o755 });
      const old = path.join(backups, 'litellm-20200101T000000Z.dump');
      const recent = path.join(backups, 'litellm-20200102T000000Z.dump');
      fs.writeFileSync(old, 'old');
      fs.writeFileSync(recent, 'recent');
      const day = 24 * 3600;
      const now = Date.now() / 1000;
      fs.utimesSync(old, now - 8 * day, now - 8 * day);
      fs.utimesSync(recent, now - 6 * day, now - 6 * day);
      const script = renderBackupScript({ host: 'postgres-service', port: 5432, user: 'litellm', database: 'litellm', retentionDays: 7 });
      const result = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}`, BACKUP_DIR: backups } });
      expect(result.status).toBe(0);
      const files = fs.readdirSync(backups).sort();
      expect(files).toHaveLength(2);
      expect(files).toContain('litellm-20200102T000000Z.dump');
      const fresh = files.find((f) => f !== 'litellm-20200102T000000Z.dump')!;
      expect(fresh).toMatch(/^litellm-\d{8}T\d{6}Z\.dump$/);
      expect(fs.readFileSync(path.join(backups, fresh), 'utf8')).toContain('--host=postgres-service --port=5432 --username=litellm --dbname=litellm --format=custom');
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
