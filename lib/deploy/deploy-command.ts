import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ConfigError } from '../config/config-error';
import { listEnvironments } from '../config/load-environment';
import { ContractSet, contractsDir } from '../contracts/contract';
import { loadEnvironment } from '../registry';
import { ManifestError, readManifestDir } from '../review/manifests';
import { deployUsage, type DeployOptions, readDeployOptions } from './deploy-options';
import { describeEnvironment, DistProblem, type EnvironmentFacts, renderAccessInfo } from './environment-facts';
import { DeployStop, EXIT, stop } from './exit-codes';
import { probeService } from './health-probe';
import { Kubectl } from './kubectl';
import { clusterRequirements, preflightFacts } from './preflight';
import { checkRequirement, ClusterView } from './preflight-checks';
import { removedObjects } from './prune';
import { createMissingSecrets } from './secret-creation';
import { listSecretKeys, missingKeys, missingKeysReport } from './secret-keys';
import { readEnvFile } from './secret-values';
import type { KubeObject } from '../platform/kube-object';

/** The field manager of every server-side apply. */
export const FIELD_MANAGER = 'suoke-deploy';

/** Where the deploy reads from; the defaults are the repository's folders. */
export interface DeployPaths {
  /** The repository root (build/ and contracts/ live there). */
  readonly root: string;
  readonly configDir: string;
  readonly distDir: string;
  /** The `.env` file read for Secret values (dev). */
  readonly envFile: string;
}

const say = (...lines: string[]) => process.stdout.write(lines.map((l) => `${l}\n`).join(''));
const warn = (line: string) => process.stderr.write(`warning: ${line}\n`);

/** The status table printed at the end (and on failures). */
class StatusTable {
  private readonly rows: string[] = [];
  constructor(private readonly title: string) {}
  public row(check: string, target: string, result: string): void {
    this.rows.push(`  ${check.padEnd(8)} ${target.padEnd(52)} ${result}`);
  }
  public print(): void {
    say('', this.title, `  ${'CHECK'.padEnd(8)} ${'TARGET'.padEnd(52)} RESULT`, ...this.rows);
  }
}

/** Reads the environment's facts; config or manifest problems stop with exit 3. */
function readFacts(paths: DeployPaths, environment: string): { facts: EnvironmentFacts; objects: KubeObject[] } {
  try {
    const config = loadEnvironment(paths.configDir, environment);
    const files = readManifestDir(path.join(paths.distDir, environment));
    return { facts: describeEnvironment(config, files), objects: files.flatMap((f) => f.objects) };
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DistProblem || error instanceof ManifestError) {
      process.stderr.write(`error: ${error.message}\n`);
      stop(EXIT.prerequisite, `config/ or dist/${environment}/ is not deployable (see above); fix it and run npm run synth`);
    }
    throw error;
  }
}

/** The context check: the current context must be the environment's, or nothing is touched. */
async function verifyContext(facts: EnvironmentFacts): Promise<void> {
  const current = await new Kubectl().run(['config', 'current-context']);
  if (current.missing) stop(EXIT.prerequisite, 'kubectl is not on PATH; install kubectl 1.26 or newer');
  const found = current.status === 0 ? current.stdout.trim() : '';
  if (found !== facts.kubeContext)
    stop(
      EXIT.context,
      `refusing to touch the cluster: the current kubectl context is '${found || '(none)'}', but ${facts.environment} deploys only to context '${facts.kubeContext}' (deploy.kubeContext in config/).`,
      `nothing was applied. Switch with: kubectl config use-context ${facts.kubeContext}`,
    );
}

/** Warns when what is deployed is not what was committed (only for the repository's own folders). */
function warnIfUncommitted(paths: DeployPaths, environment: string): void {
  if (paths.distDir !== path.join(paths.root, 'dist') || paths.configDir !== path.join(paths.root, 'config')) return;
  const status = spawnSync('git', ['-C', paths.root, 'status', '--porcelain', '--', `dist/${environment}`, 'config'], { encoding: 'utf8' });
  if (status.status === 0 && status.stdout.trim())
    warn(`dist/${environment}/ or config/ has uncommitted changes: deploying what is on disk, not what was reviewed`);
}

/** Every requirement of the rendered objects, checked; errors stop with exit 3 before anything is applied. */
async function preflight(kubectl: Kubectl, namespaced: Kubectl, facts: EnvironmentFacts, objects: readonly KubeObject[]): Promise<void> {
  const store = facts.secretStore ? { ...facts.secretStore, namespace: facts.namespace } : undefined;
  const requirements = clusterRequirements(objects, preflightFacts(ContractSet.load(contractsDir())), store);
  const cluster = new ClusterView(kubectl, namespaced);
  const findings = await Promise.all(requirements.map((r) => checkRequirement(cluster, r, facts.kubeContext)));
  say(`== preflight: ${requirements.length} requirement(s) of dist/${facts.environment}/ on the cluster`);
  for (const f of findings.filter((x) => x.level === 'ok')) say(`  ok       ${f.message}`);
  for (const f of findings.filter((x) => x.level === 'warning')) warn(`${f.message}\n  fix: ${f.fix}`);
  const errors = findings.filter((x) => x.level === 'error');
  if (errors.length > 0)
    stop(
      EXIT.prerequisite,
      ...errors.map((e) => `${e.message}\n  fix: ${e.fix}`),
      `the cluster lacks ${errors.length} prerequisite(s); nothing was applied`,
    );
}

/** Asks for the environment's name where confirmation is required; stops with exit 5 otherwise. */
async function confirm(facts: EnvironmentFacts, options: DeployOptions): Promise<void> {
  if (!facts.requireConfirmation || options.assumeYes) return;
  if (!process.stdin.isTTY)
    stop(
      EXIT.notConfirmed,
      `${facts.environment} requires confirmation: re-run with --yes, or from a terminal to confirm interactively; nothing was applied`,
    );
  say(
    `about to apply ${facts.objectCount} objects of dist/${facts.environment}/ to namespace ${facts.namespace} in context ${facts.kubeContext}, pruning objects selected by ${facts.selector}`,
  );
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => {
    prompt.question(`type '${facts.environment}' to continue: `, resolve);
    prompt.on('close', () => resolve(''));
  });
  prompt.close();
  if (answer.trim() !== facts.environment) stop(EXIT.notConfirmed, `not confirmed (got '${answer.trim()}'); nothing was applied`);
}

/** External mode: the Secrets must exist before the workloads start; creates what it may. */
async function ensureSecrets(
  kubectl: Kubectl,
  namespaced: Kubectl,
  facts: EnvironmentFacts,
  changes: boolean,
  paths: DeployPaths,
): Promise<void> {
  if (changes) {
    const exists = await kubectl.run(['get', 'namespace', facts.namespace, '--ignore-not-found', '-o', 'name']);
    if (!exists.stdout.trim()) {
      // The Secrets live in the namespace, so create it first, exactly as the manifests define it.
      say(`creating namespace ${facts.namespace} from dist/${facts.environment}/`);
      const created = await kubectl.run(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], {
        input: JSON.stringify(facts.namespaceObject),
      });
      if (created.status !== 0) {
        process.stderr.write(created.stderr);
        stop(EXIT.apply, `could not create namespace ${facts.namespace}`);
      }
    }
  }
  let missing = missingKeys(facts.secretKeys, await listSecretKeys(namespaced, facts.namespace));
  if (missing.length > 0 && facts.createMissingSecrets && changes) {
    const sources = { environment: process.env, envFile: () => readEnvFile(paths.envFile) };
    say(...(await createMissingSecrets(namespaced, facts, missing, sources)));
    missing = missingKeys(facts.secretKeys, await listSecretKeys(namespaced, facts.namespace));
  }
  const optional = missing.filter((k) => k.optional);
  if (optional.length > 0)
    warn(
      [
        'optional Secret key(s) absent; the platform runs without them, but what reads them cannot work until they exist:',
        ...optional.map((k) => `  ${k.secretName}/${k.key}: ${k.purpose}`),
      ].join('\n'),
    );
  missing = missing.filter((k) => !k.optional);
  if (missing.length === 0) return;
  process.stderr.write(
    missingKeysReport(facts, missing)
      .map((l) => `${l}\n`)
      .join(''),
  );
  if (changes) stop(EXIT.secrets, 'required Secrets are missing; nothing but the Namespace was applied');
  warn('the workloads would not start without these Secrets');
}

/** `--diff` and `--dry-run`; returns the exit status. */
async function preview(namespaced: Kubectl, facts: EnvironmentFacts, options: DeployOptions, fileArgs: string[]): Promise<number> {
  let status: number = EXIT.ok;
  if (options.diff) {
    say(`== kubectl diff (server-side) of dist/${facts.environment}/`);
    const diff = await namespaced.run(
      ['diff', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--selector', facts.selector, ...fileArgs],
      {
        inherit: true,
      },
    );
    if (diff.status === 0) say('no differences');
    else if (diff.status === 1) status = EXIT.differences;
    else stop(EXIT.apply, `kubectl diff failed (status ${diff.status})`);
  }
  if (options.dryRun) {
    say('== server-side dry run of the apply');
    const dry = await namespaced.run(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '--dry-run=server', ...fileArgs], {
      inherit: true,
    });
    if (dry.status !== 0) stop(EXIT.apply, 'the cluster rejected the dry run; nothing was applied');
    say(`== what a deploy would prune (objects of ${facts.selector} no longer in dist/${facts.environment}/)`);
    const removed = await removedObjects(namespaced, facts);
    say(...removed.map((r) => `  ${r.name}: ${r.keep ? 'keep (still referenced, for rollback)' : 'would be deleted'}`));
    if (removed.length === 0) say('  nothing');
  }
  say('nothing was changed (--dry-run / --diff)');
  return status;
}

/** After the apply: ExternalSecrets, rollouts, health, prune, then the access information. */
async function verify(namespaced: Kubectl, facts: EnvironmentFacts, timeout: string): Promise<void> {
  const table = new StatusTable(`status of ${facts.environment} (context ${facts.kubeContext}, namespace ${facts.namespace}):`);
  if (facts.secretsMode === 'external-secrets') {
    say(`== waiting for ${facts.externalSecrets.length} ExternalSecret(s) to sync (timeout ${timeout} each)`);
    let synced = true;
    for (const name of facts.externalSecrets) {
      const wait = await namespaced.run(['wait', '--for=condition=Ready', `externalsecret/${name}`, `--timeout=${timeout}`]);
      process.stderr.write(wait.stderr);
      table.row('secret', `externalsecret/${name}`, wait.status === 0 ? 'ok' : 'FAILED: not Ready');
      synced &&= wait.status === 0;
    }
    const missing = missingKeys(facts.secretKeys, await listSecretKeys(namespaced, facts.namespace)).filter((k) => !k.optional);
    if (missing.length > 0 || !synced) {
      if (missing.length > 0)
        process.stderr.write(
          missingKeysReport(facts, missing)
            .map((l) => `${l}\n`)
            .join(''),
        );
      table.print();
      stop(
        EXIT.secrets,
        `Secrets did not sync from ${facts.secretStore?.kind} ${facts.secretStore?.name}; check: ${namespaced.describe('describe', 'externalsecret')}`,
      );
    }
  }
  say(`== waiting for ${facts.rollouts.length} rollout(s) (timeout ${timeout} each)`);
  let rolledOut = true;
  for (const r of facts.rollouts) {
    const target = `${r.kind}/${r.name}`;
    const args =
      r.kind === 'job'
        ? ['wait', '--for=condition=complete', target, `--timeout=${timeout}`]
        : ['rollout', 'status', target, `--timeout=${timeout}`];
    const done = await namespaced.run(args, { inherit: true });
    table.row('rollout', target, done.status === 0 ? 'ok' : `FAILED: not ready within ${timeout}`);
    rolledOut &&= done.status === 0;
  }
  if (!rolledOut) {
    say('', `pods of ${facts.environment}:`);
    await namespaced.run(['get', 'pods', '--selector', facts.selector, '-o', 'wide'], { inherit: true });
    table.print();
    stop(
      EXIT.rollout,
      `a rollout failed; inspect with: ${namespaced.describe('describe', '<kind>/<name>')}, or roll back (README, Deploy)`,
    );
  }
  say(`== checking health through ${facts.healthChecks.length} Service(s)`);
  let healthy = true;
  for (const check of facts.healthChecks) {
    const probe = await probeService(namespaced, check.service, check.port, check);
    table.row('health', `${check.label} (svc/${check.service}:${check.port})`, probe.result);
    healthy &&= probe.ok;
  }
  if (!healthy) {
    table.print();
    stop(EXIT.health, 'a health check failed; old ConfigMaps were kept for a rollback (README, Deploy)');
  }
  // After a healthy rollout only: a failed deploy keeps every old object for a rollback.
  say(`== pruning objects removed from dist/${facts.environment}/`);
  const removed = await removedObjects(namespaced, facts);
  let deleted = 0;
  for (const r of removed.filter((x) => !x.keep)) {
    const result = await namespaced.run(['delete', r.name, '--wait=false']);
    if (result.status !== 0) stop(EXIT.failed, `could not prune ${r.name}: ${result.stderr.trim()}`);
    say(`  pruned ${r.name}`);
    deleted++;
  }
  table.row(
    'prune',
    `objects no longer in dist/${facts.environment}/`,
    `${deleted} deleted, ${removed.length - deleted} referenced ConfigMap(s) kept`,
  );
  table.print();
  say('', renderAccessInfo(facts).trimEnd());
}

/** The deploy of one environment; returns the exit status. */
async function deploy(paths: DeployPaths, options: DeployOptions): Promise<number> {
  const available = listEnvironments(paths.configDir);
  if (!available.includes(options.environment))
    stop(EXIT.usage, `unknown environment '${options.environment}': config/ defines ${available.join(' ')}`);
  const { facts, objects } = readFacts(paths, options.environment);
  const timeout = options.timeout ?? facts.rolloutTimeout;
  const changes = !options.dryRun && !options.diff;

  await verifyContext(facts);
  // Every call names the verified context, so switching contexts in another terminal cannot redirect this run.
  const kubectl = new Kubectl().inContext(facts.kubeContext);
  const namespaced = kubectl.inNamespace(facts.namespace);
  const reach = await kubectl.run(['--request-timeout=15s', 'get', '--raw=/readyz']);
  if (reach.status !== 0)
    stop(EXIT.prerequisite, `cannot reach the cluster of context '${facts.kubeContext}': ${reach.stderr.split('\n')[0]}`);
  warnIfUncommitted(paths, facts.environment);
  say(
    `environment ${facts.environment}: context ${facts.kubeContext}, namespace ${facts.namespace}, ${facts.objectCount} objects in ${facts.files.length} files`,
  );

  await preflight(kubectl, namespaced, facts, objects);
  if (changes) await confirm(facts, options);
  if (facts.secretsMode === 'external') await ensureSecrets(kubectl, namespaced, facts, changes, paths);

  // One apply of every file, in name order (00-baseline first: the Namespace before what lives in it).
  const fileArgs = facts.files.flatMap((f) => ['-f', path.join(paths.distDir, facts.environment, f)]);
  if (!changes) return preview(namespaced, facts, options, fileArgs);
  say(`== applying dist/${facts.environment}/ (server-side, in file order)`);
  const applied = await namespaced.run(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, ...fileArgs], { inherit: true });
  if (applied.status !== 0) stop(EXIT.apply, 'the apply failed; see the messages above');
  await verify(namespaced, facts, timeout);
  say(`deployed ${facts.environment}`);
  return EXIT.ok;
}

/** `npm run deploy -- <env> …`: reads the command line and deploys; returns the exit status. */
export async function runDeploy(argv: readonly string[], paths: DeployPaths): Promise<number> {
  try {
    const options = readDeployOptions(argv);
    if (options.help) {
      say(deployUsage(listEnvironments(paths.configDir)).trimEnd());
      return EXIT.ok;
    }
    return await deploy(paths, options);
  } catch (error) {
    if (error instanceof DeployStop) {
      process.stderr.write(error.messages.map((m) => `error: ${m}\n`).join(''));
      return error.status;
    }
    process.stderr.write(`error: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.failed;
  }
}
