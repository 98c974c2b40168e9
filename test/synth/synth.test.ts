import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatedFiles } from '../../lib/synth/synth-cli';
import { writeDist } from '../../lib/synth/write-dist';
import { CONFIG_DIR, configCopy, rendered } from '../support/environments';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'build', 'main.js');

/** Runs the compiled synth (built by `npm test` before jest starts). */
function synth(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Every file under a directory, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** One fresh synth of the real config, shared by the tests that only read or copy it. */
let fresh: string;
beforeAll(() => {
  fresh = tmp('suoke-fresh-');
  const result = synth(['--out', fresh]);
  if (result.status !== 0) throw new Error(`synth failed: ${result.stderr}`);
});

/** A writable copy of the fresh synth. */
function freshCopy(prefix: string): string {
  const out = tmp(prefix);
  fs.cpSync(fresh, out, { recursive: true });
  return out;
}

test('two synths give byte-identical output, with stable file names', () => {
  const again = tmp('suoke-again-');
  expect(synth(['--out', again]).status).toBe(0);
  expect(tree(again)).toEqual(tree(fresh));
  const files = Object.keys(tree(fresh)).filter((f) => f.startsWith('prod/'));
  expect(files.every((f) => /^prod\/\d\d-[a-z-]+\.k8s\.yaml$/.test(f))).toBe(true);
  expect(files.sort()[0]).toBe('prod/00-baseline.k8s.yaml');
});

test('the committed dist/ matches a fresh synth', () => {
  expect(tree(path.join(ROOT, 'dist'))).toEqual(tree(fresh));
});

test('--env renders one environment and leaves the others alone', () => {
  const out = freshCopy('suoke-one-');
  fs.writeFileSync(path.join(out, 'dev', '00-baseline.k8s.yaml'), 'edited\n');
  const result = synth(['--out', out, '--env', 'prod']);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^prod\s+\d+ files\s+\d+ objects\s+\d+ ms/m);
  expect(result.stdout).not.toMatch(/^dev /m);
  expect(tree(out)['dev/00-baseline.k8s.yaml']).toBe('edited\n');
  expect(tree(out)['prod/00-baseline.k8s.yaml']).toBe(tree(fresh)['prod/00-baseline.k8s.yaml']);
});

test('a failing config exits non-zero, names the problem, and leaves dist/ exactly as it was', () => {
  const out = freshCopy('suoke-atomic-');
  const config = configCopy({ 'prod.yaml': 'namespace:\n  quota:\n    pods: -1\n' });
  const result = synth(['--out', out, '--config', config]);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/prod\.yaml: namespace\.quota\.pods: expected a whole number >= 1, found -1/);
  expect(result.stderr).toMatch(/dist\/ is unchanged/);
  expect(tree(out)).toEqual(tree(fresh));
});

test('a write that fails midway leaves dist/ exactly as it was, with no partial environment folder', () => {
  const out = freshCopy('suoke-midway-');
  // Mark every existing file, so any file a writer replaced in place shows up.
  for (const file of Object.keys(tree(out))) fs.writeFileSync(path.join(out, file), `previous ${file}\n`);
  const before = tree(out);
  const environments = ['dev', 'prod', 'test'].map((e) => rendered(e));
  let written = 0;
  const failingWriter = (file: string, content: string) => {
    if (++written === 10) throw new Error('ENOSPC: no space left on device');
    fs.writeFileSync(file, content);
  };
  expect(() => writeDist(out, environments, true, failingWriter)).toThrow('ENOSPC');
  expect(written).toBe(10);
  expect(tree(out)).toEqual(before);
  expect(fs.readdirSync(out).sort()).toEqual(
    Object.keys(before)
      .map((f) => f.split('/')[0])
      .filter((f, i, all) => all.indexOf(f) === i)
      .sort(),
  );
});

test('a new config file adds an environment with no code change; files of deleted objects and environments never linger', () => {
  const out = freshCopy('suoke-stale-');
  const config = configCopy({ 'staging.yaml': 'namespace:\n  name: suoke-life-staging\ndeploy:\n  kubeContext: suoke-staging\n' });
  expect(synth(['--out', out, '--config', config]).status).toBe(0);
  expect(fs.readFileSync(path.join(out, 'staging', '00-baseline.k8s.yaml'), 'utf8')).toMatch(/name: suoke-life-staging/);
  fs.writeFileSync(path.join(out, 'dev', '99-removed.k8s.yaml'), 'kind: Gone\n');
  fs.rmSync(path.join(config, 'staging.yaml'));
  expect(synth(['--out', out, '--config', config]).status).toBe(0);
  expect(fs.existsSync(path.join(out, 'staging'))).toBe(false);
  expect(fs.existsSync(path.join(out, 'dev', '99-removed.k8s.yaml'))).toBe(false);
  expect(fs.readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
});

test('a variable that would change cdk8s output (CDK8S_DISABLE_SORT) is refused, nothing written', () => {
  const out = tmp('suoke-env-var-');
  const result = synth(['--out', out], { CDK8S_DISABLE_SORT: '1' });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/unset CDK8S_DISABLE_SORT/);
  expect(fs.readdirSync(out)).toEqual([]);
});

test('an unknown --env is a usage error listing the environments', () => {
  const result = synth(['--out', tmp('suoke-usage-'), '--env', 'qa']);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/unknown environment qa: config\/ defines dev, prod, test/);
});

test('generated files (config/schema.json, docs/required-secrets.md, docs/pinned-versions.md, the tables of docs/monitoring.md) are up to date: run `npm run generate`', () => {
  for (const [file, content] of generatedFiles(CONFIG_DIR)) {
    expect(`${path.relative(ROOT, file)}\n${fs.readFileSync(file, 'utf8')}`).toBe(`${path.relative(ROOT, file)}\n${content}`);
  }
  for (const file of fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.yaml'))) {
    expect(fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./schema.json');
  }
});

test('cdk8s synth (the CLI, via cdk8s.yaml) gives byte-identical output', () => {
  const out = tmp('suoke-cli-');
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--output', out, '--no-check-upgrade'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  expect(tree(out)).toEqual(tree(fresh));
});
