import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

/**
 * External tools the tests run (promtool, amtool from Debian's `prometheus` and
 * `prometheus-alertmanager`, installed by npm run setup): finding them, skipping or failing without
 * them, running them in one batch, and the Prometheus config they can check offline.
 */

/** Path of an executable on PATH, if any. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * `test` when the tool exists; otherwise, in CI (CI=true), a test that fails, and locally a
 * skipped test with a message saying how to install it.
 */
export function toolTest(tool: string, debianPackage: string): jest.It {
  if (findTool(tool)) return test;
  if (process.env.CI === 'true') {
    return ((name: string) =>
      test(name, () => {
        throw new Error(`${tool} is not installed; run npm run setup (Debian package ${debianPackage})`);
      })) as unknown as jest.It;
  }

  console.warn(`${tool} not found: skipping its checks (apt-get install ${debianPackage})`);
  return test.skip;
}

/** Runs a batch script once (one shell, several tool invocations), returning output per step. */
export function runBatch(steps: readonly { id: string; command: string; cwd?: string }[]): Map<string, { code: number; output: string }> {
  const results = new Map<string, { code: number; output: string }>();
  const marker = '@@STEP@@';
  const script = steps
    .map((s) => `echo "${marker} ${s.id}"; (cd ${JSON.stringify(s.cwd ?? '.')} && ${s.command}) 2>&1; echo "${marker}-rc $?"`)
    .join('\n');
  const run = spawnSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const parts = run.stdout.split(`${marker} `).slice(1);
  for (const part of parts) {
    const [id, ...rest] = part.split('\n');
    const body = rest.join('\n');
    const rc = new RegExp(`${marker}-rc (\\d+)`).exec(body);
    results.set(id, { code: rc ? Number(rc[1]) : -1, output: body.replace(new RegExp(`${marker}-rc \\d+\\n?`), '') });
  }
  return results;
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The Prometheus config Debian's promtool can check: it has no Kubernetes discovery, so each
 * `kubernetes_sd_configs` becomes a static target (relabelling is still validated), and rule files
 * point at local copies.
 */
export function offlinePrometheusConfig(text: string, ruleDir: string): string {
  const swap = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(swap);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === 'kubernetes_sd_configs') out.static_configs = [{ targets: ['placeholder:9090'] }];
        else out[k] = swap(v);
      }
      return out;
    }
    return value;
  };
  const config = swap(yaml.load(text)) as Record<string, unknown>;
  config.rule_files = (config.rule_files as string[]).map((f) => path.join(ruleDir, path.basename(f)));
  return yaml.dump(config, { lineWidth: -1 });
}
