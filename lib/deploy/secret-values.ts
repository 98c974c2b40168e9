import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GeneratedCredential } from '../platform/platform-settings';
import { EXIT, stop } from './exit-codes';

/**
 * A fresh random value of a generated credential (node's crypto): 32 random bytes as 64 hex
 * digits, which fit every place the platform puts them (URLs, Redis ACL lines, PostgreSQL's init
 * script, which accepts letters, digits and `. _ ~ -` only).
 */
export function generateValue(kind: GeneratedCredential): string {
  const token = randomBytes(32).toString('hex');
  switch (kind) {
    case 'token':
      return token;
    // LiteLLM refuses a master key or virtual key that does not start with sk-.
    case 'sk-token':
      return `sk-${token}`;
    case 'user-name':
      return `admin-${token.slice(0, 8)}`;
  }
}

/**
 * `KEY=value` lines of a `.env` file (`export ` and one level of quotes allowed). The file must be
 * git-ignored when it lies in a git work tree, or nothing is read from it: a value must never be
 * one `git add` away from the repository.
 */
export function readEnvFile(file: string): Map<string, string> {
  const values = new Map<string, string>();
  if (!fs.existsSync(file)) return values;
  const dir = path.dirname(file);
  const inWorkTree = spawnSync('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { stdio: 'ignore' }).status === 0;
  if (inWorkTree && spawnSync('git', ['-C', dir, 'check-ignore', '-q', file], { stdio: 'ignore' }).status !== 0)
    stop(EXIT.prerequisite, `${file} is not git-ignored; refusing to read Secret values from it`);
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const quoted = /^"(.*)"$/.exec(match[2]) ?? /^'(.*)'$/.exec(match[2]);
    values.set(match[1], quoted ? quoted[1] : match[2]);
  }
  return values;
}

/** A Secret manifest with its values, for `kubectl create -f -` (stdin: never a command line). */
export function secretManifest(name: string, namespace: string, values: ReadonlyMap<string, string>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    stringData: Object.fromEntries(values),
  });
}
