import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { DatabaseSettings } from '../config/sections/database';
import { WORKLOAD_NAMES, workloadPeer } from '../gateway/peers';
import { Credentials } from '../layers/credentials';
import { sizeOf } from '../platform/container-resources';
import { HardenedCronJob } from '../platform/hardened-cron-job';
import { PlatformChart } from '../platform/platform-chart';
import { PodNetworkPolicy } from '../platform/pod-network-policy';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { renderBackupScript } from './backup-script';
import { POSTGRES_ENDPOINT } from './endpoint';

/** UID and GID of the `postgres` user in the official image (which also ships pg_dump). */
export const POSTGRES_UID = 999;
const BACKUP_DIR = '/backups';
const SCRIPT_DIR = '/etc/postgres-backup';

/** Properties of a PostgresBackup. */
export interface PostgresBackupProps {
  /** The `database` section of the environment's config. */
  readonly settings: DatabaseSettings;
  /** Labels of the PostgreSQL pods the dumps are taken from. */
  readonly postgresPods: Readonly<Record<string, string>>;
}

/**
 * A scheduled `pg_dump` of the spend store into a volume of its own, keeping dumps for the
 * configured number of days. Runs never overlap, and a failed dump fails its Job visibly.
 */
export class PostgresBackup extends Construct {
  constructor(scope: Construct, id: string, props: PostgresBackupProps) {
    super(scope, id);
    const c = props.settings.inCluster;
    const script = new VersionedConfigMap(this, 'script', {
      baseName: 'postgres-backup-script',
      data: {
        'backup.sh': renderBackupScript({
          host: POSTGRES_ENDPOINT.serviceName,
          port: POSTGRES_ENDPOINT.port,
          user: c.user,
          database: c.database,
          retentionDays: c.backup.retentionDays,
        }),
      },
    });
    const claim = new kplus.PersistentVolumeClaim(this, 'claim', {
      metadata: { name: 'postgres-backups' },
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storage: sizeOf(c.backup.storageSize),
      storageClassName: c.storageClassName,
      volumeMode: kplus.PersistentVolumeMode.FILE_SYSTEM,
    });
    const scriptVolume = kplus.Volume.fromConfigMap(this, 'script-volume', script.configMap, { name: 'script' });
    const backupVolume = kplus.Volume.fromPersistentVolumeClaim(this, 'backup-volume', claim, { name: 'backups' });
    new HardenedCronJob(this, 'cron-job', {
      name: WORKLOAD_NAMES.postgresBackup,
      schedule: c.backup.schedule,
      runAs: { user: POSTGRES_UID, group: POSTGRES_UID },
      podAnnotations: { 'suoke.life/backup-script-version': script.version },
      volumes: [scriptVolume, backupVolume],
      containers: [
        {
          name: 'pg-dump',
          image: c.image,
          resources: c.backup.resources,
          command: ['sh', `${SCRIPT_DIR}/backup.sh`],
          env: {
            PGPASSWORD: Credentials.of(this).env(this, c.passwordCredential),
            BACKUP_DIR: kplus.EnvValue.fromValue(BACKUP_DIR),
          },
          mounts: [
            { path: SCRIPT_DIR, volume: scriptVolume },
            { path: BACKUP_DIR, volume: backupVolume, readOnly: false },
          ],
          scratch: [{ path: '/tmp', sizeLimit: '64Mi' }],
        },
      ],
    });
    new PodNetworkPolicy(this, 'network-policy', {
      name: WORKLOAD_NAMES.postgresBackup,
      podLabels: workloadPeer('postgresBackup', PlatformChart.of(this).environmentName).podLabels!,
      egress: [{ peers: [{ podLabels: props.postgresPods }], ports: [{ port: POSTGRES_ENDPOINT.port }] }],
    });
  }
}
