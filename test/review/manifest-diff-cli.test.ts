import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { CONFIG_DIR, configCopy } from '../support/environments';

/** `npm run diff` end to end: the compiled build/diff.js (built by `npm test`) on a real config change. */
const ROOT = path.join(__dirname, '..', '..');
interface Run {
  status: number;
  stdout: string;
  stderr: string;
}
/** Runs a bundle asynchronously, so the tests (each a child process or two) run side by side. */
const node = (bundle: string, args: string[], cwd = ROOT) =>
  new Promise<Run>((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'build', bundle), ...args], { cwd, encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });

// dist/ as the current code renders the current config (two environments keep the file fast): the
// base every change is measured against. Synthesised once; the concurrent tests wait for it.
const DIST = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-diff-base-'));
let base: Promise<Run> | undefined;
async function diff(args: string[]): Promise<Run> {
  const synth = await (base ??= node('main.js', ['--out', DIST, '--env', 'dev,test']));
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  return node('diff.js', args);
}

/** A copy of config/ where dev's log level differs (which changes the hashed global config layer). */
function changedLogLevel(): { config: string; from: string; to: string } {
  const dev = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'dev.yaml'), 'utf8')) as { app: { logLevel: string } };
  const from = dev.app.logLevel;
  const to = from === 'INFO' ? 'ERROR' : 'INFO';
  dev.app.logLevel = to;
  return { config: configCopy({ 'dev.yaml': yaml.dump(dev) }), from, to };
}

test.concurrent(
  'a real config change: the renamed hashed ConfigMap, its changed field and the consumers that follow it; exit 1',
  async () => {
    const { config, from, to } = changedLogLevel();
    const run = await diff(['--on-disk', '--config', config, '--dist', DIST, '--env', 'dev,test']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^== dev: 0 added, 0 removed, 1 renamed, \d+ changed$/m);
    expect(run.stdout).toMatch(
      /^ {2}~ ConfigMap suoke-life-dev\/global-config-[0-9a-f]{10} renamed from global-config-[0-9a-f]{10} \(\d+% similar\)$/m,
    );
    expect(run.stdout).toContain(`data.LOG_LEVEL: "${from}" → "${to}"`);
    expect(run.stdout).toMatch(/\(follows the rename of ConfigMap global-config-[0-9a-f]{10}\)/);
    expect(run.stdout).toMatch(/^== test: no changes$/m);
  },
);

test.concurrent('--markdown gives the summary table and the same changes; no change exits 0', async () => {
  const { config, to } = changedLogLevel();
  const [markdown, same] = await Promise.all([
    diff(['--on-disk', '--config', config, '--dist', DIST, '--env', 'dev', '--markdown']),
    diff(['--on-disk', '--config', CONFIG_DIR, '--dist', DIST, '--env', 'test']),
  ]);
  expect(markdown.status).toBe(1);
  expect(markdown.stdout).toMatch(/^\| dev \| 0 \| 0 \| 1 \| \d+ \|$/m);
  expect(markdown.stdout).toContain(`| \`data.LOG_LEVEL\` |`);
  expect(markdown.stdout).toContain(`\`"${to}"\``);
  expect(same.status).toBe(0);
  expect(same.stdout).toMatch(/^== test: no changes$/m);
});

test.concurrent('--base reads dist/ at a git ref; a bad ref or environment is an error (exit 2)', async () => {
  const [head, badRef, badEnv, both] = await Promise.all([
    diff(['--base', 'HEAD', '--env', 'test']),
    diff(['--base', 'no-such-ref-anywhere']),
    diff(['--env', 'qa']),
    diff(['--base', 'HEAD', '--on-disk']),
  ]);
  expect([0, 1]).toContain(head.status);
  expect(head.stdout).toMatch(/^Base: `dist\/` at `HEAD` \([0-9a-f]{12}\)\./);
  expect(badRef.status).toBe(2);
  expect(badRef.stderr).toMatch(/--base no-such-ref-anywhere: not a commit in this git repository/);
  expect(badEnv.status).toBe(2);
  expect(badEnv.stderr).toMatch(/unknown environment qa/);
  expect(both.status).toBe(2);
  expect(both.stderr).toMatch(/--base and --on-disk exclude each other/);
});

/**
 * A temporary git repository holding config/ and the dist/ the current code renders from it,
 * committed on `main`. Each test changes it its own way, then runs `npm run diff` in it.
 */
async function committedRepo(): Promise<{ repo: string; git: (...args: string[]) => string; synth: () => Promise<Run> }> {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-diff-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
    });
  fs.cpSync(configCopy(), path.join(repo, 'config'), { recursive: true });
  const synth = () => node('main.js', ['--config', path.join(repo, 'config'), '--out', path.join(repo, 'dist'), '--env', 'dev']);
  const first = await synth();
  if (first.status !== 0) throw new Error(`synth failed: ${first.stderr}`);
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'base');
  return { repo, git, synth };
}

/** Changes dev's log level in the repository's config/. */
function changeLogLevel(repo: string): void {
  const file = path.join(repo, 'config', 'dev.yaml');
  const dev = yaml.load(fs.readFileSync(file, 'utf8')) as { app: { logLevel: string } };
  dev.app.logLevel = dev.app.logLevel === 'INFO' ? 'ERROR' : 'INFO';
  fs.writeFileSync(file, yaml.dump(dev));
}

const diffIn = (repo: string, args: string[] = []) =>
  node('diff.js', ['--config', 'config', '--dist', 'dist', '--env', 'dev', ...args], repo);

test.concurrent('on main, synth then diff shows the change against dist/ at HEAD; --on-disk shows none', async () => {
  const { repo, synth } = await committedRepo();
  changeLogLevel(repo);
  expect((await synth()).status).toBe(0);
  const [committed, onDisk] = await Promise.all([diffIn(repo), diffIn(repo, ['--on-disk'])]);
  expect(committed.stderr).toBe('');
  expect(committed.status).toBe(1);
  expect(committed.stdout).toMatch(/^Base: `dist\/` at `HEAD` \([0-9a-f]{12}\)\./);
  expect(committed.stdout).toContain('data.LOG_LEVEL');
  expect(onDisk.status).toBe(0);
  expect(onDisk.stdout).toMatch(/^Base: `dist\/` on disk\./);
  expect(onDisk.stdout).toMatch(/^== dev: no changes$/m);
});

test.concurrent('on a branch, the base is the merge base with main: the whole branch shows, commits on main do not', async () => {
  const { repo, git, synth } = await committedRepo();
  const base = git('rev-parse', 'HEAD').trim();
  git('checkout', '--quiet', '-b', 'feature');
  changeLogLevel(repo);
  expect((await synth()).status).toBe(0);
  git('commit', '--quiet', '-am', 'feature change');
  // main moves on after the branch point (another log format): that is not the branch's change.
  git('checkout', '--quiet', 'main');
  const file = path.join(repo, 'config', 'dev.yaml');
  const dev = yaml.load(fs.readFileSync(file, 'utf8')) as { app: { logFormat?: string } };
  fs.writeFileSync(file, yaml.dump({ ...dev, app: { ...dev.app, logFormat: 'text' } }));
  expect((await synth()).status).toBe(0);
  git('commit', '--quiet', '-am', 'later on main');
  git('checkout', '--quiet', 'feature');
  const run = await diffIn(repo);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  expect(run.stdout).toContain(`at the merge base of \`feature\` with \`main\` (${base.slice(0, 12)})`);
  expect(run.stdout).toContain('data.LOG_LEVEL');
  expect(run.stdout).not.toContain('LOG_FORMAT');
});

test.concurrent('outside a git repository the default base is an error that names --on-disk (exit 2)', async () => {
  const run = await node(
    'diff.js',
    ['--config', CONFIG_DIR, '--dist', DIST, '--env', 'dev'],
    fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-nogit-')),
  );
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/not in a git repository with a commit; compare with dist\/ on disk with --on-disk/);
});
