import { z } from 'zod';
import {
  byteQuantity,
  cronSchedule,
  dnsLabel,
  durationField,
  imageConfig,
  oneOf,
  portNumber,
  resourcesConfig,
  section,
} from '../config/fields';

/** A PostgreSQL identifier (user or database name). */
const pgIdentifier = z.string({ error: 'a PostgreSQL identifier' }).regex(/^[a-z_][a-z0-9_]{0,62}$/, {
  error: 'a PostgreSQL identifier (lowercase letters, digits and _, not starting with a digit)',
});

/** The gateway's spend store: an in-cluster PostgreSQL, or an external managed database. */
export const databaseSection = section({
  /** `in-cluster`: a StatefulSet in the namespace. `external`: a managed database reached by URL. */
  mode: oneOf(['in-cluster', 'external']),
  /**
   * How PostgreSQL is watched: postgres_exporter, connecting with a login of its own that may only
   * read statistics (`pg_monitor`), never the gateway's user or the superuser. In the cluster it is
   * a sidecar of the database pod and the login is created on first start; with an external
   * database it is a Deployment in the namespace and the login is created by the database's
   * administrator (docs/required-secrets.md gives the GRANT).
   */
  monitoring: section({
    /** The exporter's PostgreSQL login (granted `pg_monitor` and CONNECT on the database). */
    user: pgIdentifier,
    /**
     * Id (in `security.credentials`) of that login's password (letters, digits and `.`, `_`,
     * `~`, `-` only: the in-cluster init script refuses anything else).
     */
    passwordCredential: dnsLabel,
    /** The postgres_exporter container. */
    exporter: section({ image: imageConfig, resources: resourcesConfig }),
  }),
  /** The managed database (mode `external`). */
  external: section({
    /** Id (in `security.credentials`) of the full connection URL. */
    urlCredential: dnsLabel,
    /** Host name of the managed database (service discovery in the global layer; the URL itself stays in its Secret). */
    host: z
      .string({ error: 'a host name' })
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: 'a DNS host name such as "suoke-spend.example.internal"' }),
    /** Database name on the managed server. */
    database: pgIdentifier,
    /** Addresses of the database, for the gateway's egress policy. */
    cidr: z.string({ error: 'a CIDR' }).regex(/^[0-9.]+\/[0-9]{1,2}$/, { error: 'an IPv4 CIDR such as "10.0.0.0/8"' }),
    /** Port of the database. */
    port: portNumber,
  }),
  /** The in-cluster PostgreSQL (mode `in-cluster`). */
  inCluster: section({
    /** The official PostgreSQL image (`docker.io/postgres`), pinned. */
    image: imageConfig,
    resources: resourcesConfig,
    /** Database user the gateway connects as (created at first start). */
    user: pgIdentifier,
    /** Database of the gateway (created at first start). */
    database: pgIdentifier,
    /** Id (in `security.credentials`) of the user's password (URL-safe characters only). */
    passwordCredential: dnsLabel,
    /** Size of the data volume. */
    storageSize: byteQuantity,
    /** StorageClass of the data and backup volumes; unset: the cluster default. */
    storageClassName: dnsLabel.optional(),
    /** Size of /dev/shm (PostgreSQL's shared memory; counts against the memory limit). */
    sharedMemorySize: byteQuantity,
    /** Nightly `pg_dump` to a volume. */
    backup: section({
      /** When to dump (cron, in the cluster's time zone). */
      schedule: cronSchedule,
      /** How long a dump is kept (`find -mmin`: whole minutes). */
      retention: durationField({ units: ['m', 'h', 'd', 'w'], min: '1d', max: '3650d', reason: 'pruned with find -mmin' }),
      /** Size of the backup volume. */
      storageSize: byteQuantity,
      resources: resourcesConfig,
    }),
  }),
});
export type DatabaseSettings = z.infer<typeof databaseSection>;
