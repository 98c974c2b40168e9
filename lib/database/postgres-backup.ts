import * as kplus from 'cdk8s-plus-28';
import { secondsOf } from '../config/fields';
import { Construct } from 'constructs';
import { sizeOf } from '../platform/container-resources';
import { Credentials } from '../platform/credentials';
import { HardenedCronJob } from '../platform/hardened-cron-job';
import { selectorLabels } from '../platform/labels';
import { PlatformChart } from '../platform/platform-chart';
import { type NetworkPeer, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { renderBackupScript } from './backup-script';
import type { DatabaseSettings } from './config';

/** Name of the backup CronJob, and `app.kubernetes.io/name` of its pods. */
const BACKUP_NAME = 'postgres-backup';

/** UID and GID of the `postgres` user in the official image (which also ships pg_dump). */
export const POSTGRES_UID = 999;
const BACKUP_DIR = '/backups';
const SCRIPT_DIR = '/etc/postgres-backup';

/** Properties of a PostgresBackup. */
export interface PostgresBackupProps {
  /** The `database` section of the environment's config. */
  readonly settings: DatabaseSettings;
  /** The PostgreSQL the dumps are taken from: its Service and the labels of its pods. */
  readonly postgres: { readonly endpoint: ServiceEndpoint; readonly pods: Readonly<Record<string, string>> };
}

/**
 * A scheduled `pg_dump` of the spend store into a volume of its own, keeping dumps for the
 * configured number of days. Runs never overlap, and a failed dump fails its Job visibly.
 */
export class PostgresBackup extends Construct {
  /** The backup job's pods, as a NetworkPolicy peer (PostgreSQL lets them in). */
  public readonly peer: NetworkPeer;

  constructor(scope: Construct, id: string, props: PostgresBackupProps) {
    super(scope, id);
    const c = props.settings.inCluster;
    const postgres = props.postgres.endpoint;
    this.peer = { podLabels: selectorLabels(BACKUP_NAME, PlatformChart.of(this).environmentName) };
    const script = new VersionedConfigMap(this, 'Script', {
      baseName: 'postgres-backup-script',
      data: {
        'backup.sh': renderBackupScript({
          host: postgres.serviceName,
          port: postgres.port,
          user: c.user,
          database: c.database,
          retentionMinutes: secondsOf(c.backup.retention) / 60,
        }),
      },
    });
    const claim = new kplus.PersistentVolumeClaim(this, 'Claim', {
      metadata: { name: 'postgres-backups' },
      accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
      storage: sizeOf(c.backup.storageSize),
      storageClassName: c.storageClassName,
      volumeMode: kplus.PersistentVolumeMode.FILE_SYSTEM,
    });
    const scriptVolume = kplus.Volume.fromConfigMap(this, 'script-volume', script.configMap, { name: 'script' });
    const backupVolume = kplus.Volume.fromPersistentVolumeClaim(this, 'backup-volume', claim, { name: 'backups' });
    new HardenedCronJob(this, 'CronJob', {
      name: BACKUP_NAME,
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
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: BACKUP_NAME,
      podLabels: this.peer.podLabels!,
      egress: [{ peers: [{ podLabels: props.postgres.pods }], ports: [{ port: postgres.port }] }],
    });
  }
}
