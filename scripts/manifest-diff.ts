import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCommandLine, UsageError } from '../lib/cli/command-line';
import { listEnvironments } from '../lib/config/load-environment';
import { loadEnvironments } from '../lib/registry';
import { diffEnvironment, type EnvironmentDiff, isUnchanged } from '../lib/review/manifest-diff';
import { type ManifestFile, parseManifests, readManifestDir } from '../lib/review/manifests';
import { renderMarkdown, renderText } from '../lib/review/render-diff';
import { renderEnvironment } from '../lib/synth/synth-cli';

// `npm run diff`: what a fresh synth would change in dist/, object by object, for reviewers.

const USAGE = `usage: npm run diff [-- [--env <name>[,<name>]] [--base <git ref> | --on-disk] [--markdown] [--config <dir>] [--dist <dir>]]
  compares dist/ as committed with a fresh synth of config/ and the code. The base is, by default,
  the merge base with the main branch when another branch is checked out, else HEAD
  --base <ref> dist/ as committed at a git ref
  --on-disk    dist/ as it is on disk (after npm run synth, that is the fresh synth itself)
  --markdown   GitHub-flavoured markdown under 65,000 characters (pull request comment, job summary)
exit status: 0 no change, 1 changes, 2 error`;

interface Options {
  readonly environments: readonly string[];
  readonly base?: string;
  /** Compare against dist/ on disk instead of a commit. */
  readonly onDisk: boolean;
  readonly markdown: boolean;
  readonly configDir: string;
  readonly distDir: string;
}

function parseArgs(argv: readonly string[]): Options {
  const environments: string[] = [];
  let base: string | undefined;
  let markdown = false;
  let onDisk = false;
  let configDir = 'config';
  let distDir = 'dist';
  const { help } = readCommandLine(argv, {
    values: {
      '--env': (v) => environments.push(...v.split(',').filter(Boolean)),
      '--base': (v) => (base = v),
      '--config': (v) => (configDir = v),
      '--dist': (v) => (distDir = v),
    },
    flags: { '--markdown': () => (markdown = true), '--on-disk': () => (onDisk = true) },
  });
  if (help) throw new UsageError('');
  if (onDisk && base !== undefined) throw new UsageError('--base and --on-disk exclude each other');
  return { environments, base, onDisk, markdown, configDir, distDir };
}

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Reads `dist/<env>/` as committed at a git ref (read-only git commands). */
class CommittedDist {
  private readonly top: string;
  private readonly distPath: string;
  public readonly commit: string;

  constructor(
    private readonly ref: string,
    distDir: string,
    /** How the base was chosen, for the header (`HEAD`, `the merge base with main`). */
    private readonly label = ref,
  ) {
    const cwd = fs.existsSync(distDir) ? distDir : '.';
    try {
      this.top = git(['rev-parse', '--show-toplevel'], cwd).trim();
      this.commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], this.top).trim();
    } catch {
      throw new UsageError(`--base ${ref}: not a commit in this git repository`);
    }
    this.distPath = path.relative(this.top, path.resolve(distDir)).split(path.sep).join('/');
  }

  environments(): string[] {
    return git(['ls-tree', '-d', '--name-only', this.commit, `${this.distPath}/`], this.top)
      .split('\n')
      .filter(Boolean)
      .map((p) => path.posix.basename(p))
      .filter((e) => !e.startsWith('.'));
  }

  files(environment: string): ManifestFile[] {
    return git(['ls-tree', '--name-only', this.commit, `${this.distPath}/${environment}/`], this.top)
      .split('\n')
      .filter((p) => p.endsWith('.k8s.yaml'))
      .sort()
      .map((p) => ({
        fileName: path.posix.basename(p),
        objects: parseManifests(git(['show', `${this.commit}:${p}`], this.top), `${this.ref}:${p}`),
      }));
  }

  describe(): string {
    return `\`${this.distPath}/\` at ${this.label === this.ref ? `\`${this.ref}\`` : this.label} (${this.commit.slice(0, 12)})`;
  }
}

/** The branches taken for "the main branch", in order: the first that exists is it. */
const MAIN_BRANCHES = ['main', 'master', 'origin/main', 'origin/master'];

/**
 * The committed dist/ a change is measured against when no base is given: on a branch other than
 * the main one, the merge base with the main branch (what the branch as a whole changes); on the
 * main branch, a detached HEAD, or without a main branch, HEAD (what the working tree changes).
 */
function defaultBase(distDir: string): CommittedDist {
  const cwd = fs.existsSync(distDir) ? distDir : '.';
  const attempt = (args: readonly string[]) => {
    try {
      return git(args, cwd).trim();
    } catch {
      return undefined;
    }
  };
  if (attempt(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']) === undefined) {
    throw new UsageError(`${distDir}: not in a git repository with a commit; compare with dist/ on disk with --on-disk`);
  }
  const branch = attempt(['symbolic-ref', '--quiet', '--short', 'HEAD']);
  const main = MAIN_BRANCHES.find((b) => attempt(['rev-parse', '--verify', '--quiet', `${b}^{commit}`]) !== undefined);
  if (branch === undefined || main === undefined || branch === main) return new CommittedDist('HEAD', distDir);
  const mergeBase = attempt(['merge-base', 'HEAD', main]);
  if (mergeBase === undefined) return new CommittedDist('HEAD', distDir);
  return new CommittedDist(mergeBase, distDir, `the merge base of \`${branch}\` with \`${main}\``);
}

function run(options: Options): { diffs: EnvironmentDiff[]; header: string } {
  const committed = options.onDisk
    ? undefined
    : options.base !== undefined
      ? new CommittedDist(options.base, options.distDir)
      : defaultBase(options.distDir);
  const configured = listEnvironments(options.configDir);
  const inBase = committed
    ? committed.environments()
    : fs.existsSync(options.distDir)
      ? fs.readdirSync(options.distDir).filter((e) => !e.startsWith('.') && fs.statSync(path.join(options.distDir, e)).isDirectory())
      : [];
  const known = [...new Set([...configured, ...inBase])].sort();
  const unknown = options.environments.filter((e) => !known.includes(e));
  if (unknown.length > 0) throw new UsageError(`unknown environment ${unknown.join(', ')}: known are ${known.join(', ')}`);
  const selected = options.environments.length > 0 ? [...new Set(options.environments)].sort() : known;

  const configs = loadEnvironments(
    options.configDir,
    selected.filter((e) => configured.includes(e)),
  );
  // Secret names and keys are references, shown even under secret-like keys.
  const publicValues = new Set(
    configs.flatMap((c) => Object.values(c.settings.security.credentials).flatMap((ref) => [ref.secretName, ref.key])),
  );
  const fresh = new Map(
    configs.map((config) => [
      config.name,
      renderEnvironment(config).files.map((f) => ({
        fileName: f.fileName,
        objects: parseManifests(f.content, `${config.name}/${f.fileName} (fresh synth)`),
      })),
    ]),
  );
  const diffs = selected.map((environment) => {
    const base = committed
      ? inBase.includes(environment)
        ? committed.files(environment)
        : []
      : readManifestDir(path.join(options.distDir, environment));
    return diffEnvironment(environment, base, fresh.get(environment) ?? [], publicValues);
  });
  const baseText = committed ? committed.describe() : `\`${options.distDir}/\` on disk`;
  return { diffs, header: `Base: ${baseText}. Head: a fresh synth of \`${options.configDir}/\` and the code.` };
}

function main(): number {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
    const { diffs, header } = run(options);
    process.stdout.write(options.markdown ? renderMarkdown(diffs, header) : renderText(diffs, header));
    return diffs.every(isUnchanged) ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`error: ${error.message}`);
      console.error(USAGE);
    } else {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 2;
  }
}

process.exitCode = main();
