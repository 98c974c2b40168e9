/**
 * postgres_exporter's own PostgreSQL login: it may read statistics and nothing else. Its
 * contract (contracts/postgres-exporter `privileges.pg_monitor`) says what the default collectors
 * need from a non-superuser: membership of `pg_monitor` (which holds pg_read_all_settings,
 * pg_read_all_stats and pg_stat_scan_tables, and alone may run pg_ls_waldir) and CONNECT on the
 * database it connects to. No write privilege.
 */

/** Where the official image's entrypoint looks for scripts to run on a fresh cluster (contracts/postgres `initdbScriptsDir`). */
export const INITDB_SCRIPTS_DIR = '/docker-entrypoint-initdb.d';
/** File name of the script, in that directory. */
export const MONITORING_LOGIN_SCRIPT = 'monitoring-login.sh';
/** Variable the script reads the login's password from (set on the database container from its Secret). */
export const MONITORING_PASSWORD_ENV = 'MONITORING_LOGIN_PASSWORD';
/** What the password may hold: it is written into SQL, so nothing that could end the literal. */
export const MONITORING_PASSWORD_CHARACTERS = 'A-Za-z0-9._~-';

/** The login and the database it watches. */
export interface MonitoringLoginInput {
  /** The exporter's login (a validated PostgreSQL identifier). */
  readonly user: string;
  /** The database it connects to. */
  readonly database: string;
}

/**
 * The SQL that creates the login if it is missing and (re)sets what it may do and its password;
 * plain SQL (no psql meta-command), so running it again changes nothing but the password.
 * `dollar` is how `$` is written where the SQL lands: `\$` inside the script's here-document.
 */
export function monitoringLoginSql(input: MonitoringLoginInput, password: string, dollar = '$'): string {
  const body = `${dollar}${dollar}`;
  return [
    `DO ${body} BEGIN CREATE ROLE "${input.user}"; EXCEPTION WHEN duplicate_object THEN NULL; END ${body};`,
    `ALTER ROLE "${input.user}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '${password}';`,
    `GRANT pg_monitor TO "${input.user}";`,
    `GRANT CONNECT ON DATABASE "${input.database}" TO "${input.user}";`,
  ].join('\n');
}

/**
 * What an administrator runs on a managed database (docs/required-secrets.md, README): the same
 * statements, with the password left for them to fill in.
 */
export function monitoringLoginGrant(input: MonitoringLoginInput): string {
  return [
    `CREATE ROLE "${input.user}" WITH LOGIN PASSWORD '<the value of the monitoring password credential>';`,
    `GRANT pg_monitor TO "${input.user}";`,
    `GRANT CONNECT ON DATABASE "${input.database}" TO "${input.user}";`,
  ].join('\n');
}

/**
 * A POSIX shell script for `/docker-entrypoint-initdb.d`: the image's entrypoint runs it once, on
 * the first start of an empty data directory, against its socket-only temporary server, with
 * POSTGRES_USER (the bootstrap superuser) and POSTGRES_DB set. Mounted executable, so the
 * entrypoint runs it as a process of its own instead of sourcing it. Idempotent: on an existing
 * cluster the same script, run with `kubectl exec`, creates the login or resets its password.
 * The password comes from the environment and goes to psql on standard input, never on a
 * command line; the script refuses characters that could end the SQL literal.
 */
export function renderMonitoringLoginScript(input: MonitoringLoginInput): string {
  const v = MONITORING_PASSWORD_ENV;
  return [
    '#!/bin/sh',
    `# Creates or updates the read-only login ${input.user} that postgres_exporter connects as (pg_monitor). Generated.`,
    'set -eu',
    `[ -n "\${${v}:-}" ] || { echo "monitoring-login: ${v} is empty" >&2; exit 1; }`,
    `case "\${${v}}" in *[!${MONITORING_PASSWORD_CHARACTERS}]*) echo "monitoring-login: ${v} may hold only letters, digits and . _ ~ -" >&2; exit 1;; esac`,
    // The flags the entrypoint's own docker_process_sql uses (contracts/postgres cliFlags psql).
    'psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<EOF',
    monitoringLoginSql(input, `\${${v}}`, '\\$'),
    'EOF',
    `echo "monitoring-login: ${input.user} may read statistics (pg_monitor) and connect to ${input.database}"`,
    '',
  ].join('\n');
}

/** What an operator needs to know to set the login up, for docs/required-secrets.md (markdown lines). */
export function monitoringLoginDoc(
  input: MonitoringLoginInput & {
    readonly mode: 'in-cluster' | 'external';
    readonly namespace: string;
    readonly secret: string;
    readonly key: string;
    readonly credential: string;
    readonly pod: string;
    readonly container: string;
  },
): string[] {
  const lines = [
    '### PostgreSQL monitoring login',
    '',
    `postgres_exporter connects as \`${input.user}\` (\`database.monitoring.user\`), with the password in Secret \`${input.secret}\`, key \`${input.key}\` (credential ${input.credential}): a login that may read statistics and nothing else. Letters, digits and \`. _ ~ -\` only.`,
    '',
  ];
  if (input.mode === 'in-cluster') {
    lines.push(
      `The database pod creates it on its first start with an empty volume (\`${INITDB_SCRIPTS_DIR}/${MONITORING_LOGIN_SCRIPT}\`). A database created before that script existed needs it run once, after the deploy that adds it (the same script; it also resets the password after a rotation):`,
      '',
      '```sh',
      `kubectl -n ${input.namespace} exec ${input.pod} -c ${input.container} -- ${INITDB_SCRIPTS_DIR}/${MONITORING_LOGIN_SCRIPT}`,
      '```',
    );
  } else {
    lines.push(
      `The managed database's administrator creates it once, as a role allowed to grant \`pg_monitor\` (postgres_exporter's contract: \`pg_monitor\` and CONNECT are all its default collectors need):`,
      '',
      '```sql',
      ...monitoringLoginGrant(input).split('\n'),
      '```',
    );
  }
  lines.push('');
  return lines;
}
