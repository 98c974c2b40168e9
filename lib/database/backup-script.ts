/** What the backup script dumps and keeps. */
export interface BackupScriptInput {
  /** Database Service host. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** Whole minutes a dump is kept. */
  readonly retentionMinutes: number;
}

/**
 * A POSIX shell script that dumps the database with `pg_dump` (custom format) into
 * `$BACKUP_DIR`, under a temporary name renamed only when the dump succeeded, then deletes dumps
 * older than the retention. Any failure exits non-zero, so the Job fails visibly. The password
 * comes from `PGPASSWORD`.
 */
export function renderBackupScript(input: BackupScriptInput): string {
  return [
    '#!/bin/sh',
    '# Dumps the spend store and prunes old dumps. Generated; edit config/*.yaml instead.',
    'set -eu',
    'dir="${BACKUP_DIR:-/backups}"',
    'stamp="$(date -u +%Y%m%dT%H%M%SZ)"',
    `partial="$dir/.${input.database}-$stamp.dump.partial"`,
    `final="$dir/${input.database}-$stamp.dump"`,
    `pg_dump --host=${input.host} --port=${input.port} --username=${input.user} --dbname=${input.database} --format=custom --no-password --file="$partial"`,
    'mv "$partial" "$final"',
    'echo "backup: wrote $final ($(wc -c < "$final") bytes)"',
    `find "$dir" -maxdepth 1 -type f -name '${input.database}-*.dump' -mmin +${input.retentionMinutes} -print -delete`,
    `find "$dir" -maxdepth 1 -type f -name '.${input.database}-*.dump.partial' -mmin +${24 * 60} -delete`,
    '',
  ].join('\n');
}
