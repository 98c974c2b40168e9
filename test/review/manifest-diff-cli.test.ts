import { execFile } from 'node:child_process';
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
const node = (bundle: string, args: string[]) =>
  new Promise<Run>((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'build', bundle), ...args], { cwd: ROOT, encoding: 'utf8' }, (error, stdout, stderr) =>
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
    const run = await diff(['--config', config, '--dist', DIST, '--env', 'dev,test']);
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
    diff(['--config', config, '--dist', DIST, '--env', 'dev', '--markdown']),
    diff(['--config', CONFIG_DIR, '--dist', DIST, '--env', 'test']),
  ]);
  expect(markdown.status).toBe(1);
  expect(markdown.stdout).toMatch(/^\| dev \| 0 \| 0 \| 1 \| \d+ \|$/m);
  expect(markdown.stdout).toContain(`| \`data.LOG_LEVEL\` |`);
  expect(markdown.stdout).toContain(`\`"${to}"\``);
  expect(same.status).toBe(0);
  expect(same.stdout).toMatch(/^== test: no changes$/m);
});

test.concurrent('--base reads dist/ at a git ref; a bad ref or environment is an error (exit 2)', async () => {
  const [head, badRef, badEnv] = await Promise.all([
    diff(['--base', 'HEAD', '--env', 'test']),
    diff(['--base', 'no-such-ref-anywhere']),
    diff(['--env', 'qa']),
  ]);
  expect([0, 1]).toContain(head.status);
  expect(head.stdout).toMatch(/^Base: `dist\/` at `HEAD` \([0-9a-f]{12}\)\./);
  expect(badRef.status).toBe(2);
  expect(badRef.stderr).toMatch(/--base no-such-ref-anywhere: not a commit in this git repository/);
  expect(badEnv.status).toBe(2);
  expect(badEnv.stderr).toMatch(/unknown environment qa/);
});
