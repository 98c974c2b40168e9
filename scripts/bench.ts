import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `npm run bench`: times the synthesis of every environment with the compiled bundle
 * (`node build/main.js`, what `npm run synth` and `cdk8s synth` run) against the cdk8s default
 * (`cdk8s synth` running `main.ts` through ts-node), on the same app, and prints the ratio.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ROOT = path.join(__dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(label: string, command: string, args: string[]): number {
  const samples: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-bench-'));
    const started = process.hrtime.bigint();
    execFileSync(command, [...args, out], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    fs.rmSync(out, { recursive: true, force: true });
    if (i > 0) samples.push(seconds); // the first run warms caches
  }
  const m = median(samples);
  console.log(`${label.padEnd(58)} median ${m.toFixed(3)} s over ${RUNS} runs`);
  return m;
}

const compiled = time('node build/main.js (npm run synth)', process.execPath, [path.join(ROOT, 'build', 'main.js'), '--out']);
const viaCli = time('cdk8s synth, app: node build/main.js', bin('cdk8s'), [
  'synth',
  '--no-check-upgrade',
  '--app',
  'node build/main.js',
  '--output',
]);
const tsNode = time('cdk8s synth, app: npx ts-node main.ts (cdk8s default)', bin('cdk8s'), [
  'synth',
  '--no-check-upgrade',
  '--app',
  'npx ts-node main.ts',
  '--output',
]);
console.log(`ratio npm run synth / cdk8s default: ${(compiled / tsNode).toFixed(2)}x (target <= 0.35x)`);
console.log(`ratio cdk8s synth on the bundle / cdk8s default: ${(viaCli / tsNode).toFixed(2)}x`);
