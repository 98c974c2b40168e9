import { kubectlDuration } from '../platform/platform-settings';
import { EXIT, EXIT_MEANINGS, stop } from './exit-codes';

/** What the command line asks for. */
export interface DeployOptions {
  /** `--help`: print the usage and stop. */
  readonly help: boolean;
  readonly environment: string;
  /** `--dry-run`: server-side dry run and what would be pruned; changes nothing. */
  readonly dryRun: boolean;
  /** `--diff`: kubectl diff against the cluster; changes nothing. */
  readonly diff: boolean;
  /** `--yes`: do not ask for confirmation. */
  readonly assumeYes: boolean;
  /** `--timeout`: per-rollout wait, overriding `deploy.rolloutTimeout`. @default - the config's */
  readonly timeout?: string;
}

/** Reads the command line; a usage problem stops with exit status 2. */
export function readDeployOptions(argv: readonly string[]): DeployOptions {
  let environment = '';
  let timeout: string | undefined;
  const flags = { help: false, dryRun: false, diff: false, assumeYes: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { ...flags, help: true, environment };
    else if (arg === '--dry-run') flags.dryRun = true;
    else if (arg === '--diff') flags.diff = true;
    else if (arg === '--yes' || arg === '-y') flags.assumeYes = true;
    else if (arg === '--timeout') {
      if (i + 1 >= argv.length) stop(EXIT.usage, '--timeout needs a duration such as 90s or 5m');
      timeout = argv[++i];
    } else if (arg.startsWith('--timeout=')) timeout = arg.slice('--timeout='.length);
    else if (arg.startsWith('-')) stop(EXIT.usage, `unknown option ${arg} (see --help)`);
    else if (environment) stop(EXIT.usage, `one environment at a time: got ${environment} and ${arg}`);
    else environment = arg;
  }
  if (!environment) stop(EXIT.usage, 'which environment? (see --help)');
  // The same field type as the config's `deploy.rolloutTimeout`.
  const checked = timeout === undefined ? undefined : kubectlDuration.safeParse(timeout);
  if (checked?.success === false) stop(EXIT.usage, `--timeout: expected ${checked.error.issues[0].message}, found '${timeout}'`);
  return { ...flags, environment, timeout };
}

/** The `--help` text. */
export function deployUsage(environments: readonly string[]): string {
  return `usage: scripts/deploy.sh <env> [--dry-run] [--diff] [--yes] [--timeout DURATION]
       npm run deploy -- <env> [...]   (the same command)

Checks the cluster's prerequisites, applies dist/<env>/ to the cluster of the environment's kube
context, then waits for every rollout, checks health through the Services and prints how to reach
the platform.

environments (from config/): ${environments.join(' ') || 'none'}

  --dry-run           server-side dry run of the apply, and what would be pruned; changes nothing
  --diff              kubectl diff of dist/<env>/ against the cluster; changes nothing
  --yes, -y           do not ask for confirmation (environments with deploy.requireConfirmation)
  --timeout DURATION  how long to wait for each rollout, e.g. 90s, 5m (default: deploy.rolloutTimeout)
  --help, -h          this text

safety: the current kubectl context must be the environment's deploy.kubeContext, or nothing is
touched; every kubectl call then names that context explicitly. Before anything is applied, the
preflight checks what the rendered objects need of the cluster (Kubernetes version, CRDs and their
served versions, the secret store, metrics-server, a StorageClass). After a healthy rollout, objects
removed from dist/<env>/ are pruned: only those labelled app.kubernetes.io/part-of=suoke-life and
app.kubernetes.io/instance=suoke-life-<env>, in the environment's namespace, of the platform's kinds
and the kinds it renders; never the Namespace, Secrets or PersistentVolumeClaims, and a ConfigMap
only once no ReplicaSet, ControllerRevision, Job or pod references it (rollback keeps its config).

exit status:
${EXIT_MEANINGS.map(([code, meaning]) => `${String(code).padStart(4)}  ${meaning}`).join('\n')}

environment variables:
  SUOKE_ENV_FILE    file of KEY=value lines read when creating missing Secrets (default: .env,
                    which must be git-ignored); only where deploy.createMissingSecrets is true
  SUOKE_CONFIG_DIR, SUOKE_DIST_DIR   other config/ and dist/ folders (default: the repository's)
`;
}
