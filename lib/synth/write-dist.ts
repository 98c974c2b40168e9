import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RenderedEnvironment } from './render-environment';

const STAGING = '.staging';
const PREVIOUS = '.previous';

/** The note written to `dist/README.md`. */
const DIST_README = `# Generated manifests: do not edit

Every file below \`dist/<env>/\` is written by \`npm run synth\` from \`config/\` and the TypeScript
in \`lib/\` and \`charts/\`. Change those and synthesize again; CI fails when this folder is stale.
Files are applied in name order: \`kubectl apply -f dist/<env>/\`.
`;

/** True for a directory that holds rendered environment files. */
function isEnvironmentDir(dir: string): boolean {
  return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).some((f) => f.endsWith('.k8s.yaml'));
}

/**
 * Writes rendered environments to `outDir/<env>/`, atomically per run: everything is written to a
 * staging directory first and swapped in only when all of it was written, so a failure leaves the
 * previous output as it was. Each environment directory is replaced whole, so files of deleted
 * objects never linger. With `pruneOthers`, environment directories whose config is gone are removed.
 * `writeFile` is how each file is written (a test passes one that fails midway).
 */
export function writeDist(
  outDir: string,
  environments: readonly RenderedEnvironment[],
  pruneOthers: boolean,
  writeFile: (file: string, content: string) => void = fs.writeFileSync,
): void {
  fs.mkdirSync(outDir, { recursive: true });
  const staging = path.join(outDir, STAGING);
  const previous = path.join(outDir, PREVIOUS);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(previous, { recursive: true, force: true });
  try {
    for (const rendered of environments) {
      const dir = path.join(staging, rendered.environment.name);
      fs.mkdirSync(dir, { recursive: true });
      for (const file of rendered.files) writeFile(path.join(dir, file.fileName), file.content);
    }
    writeFile(path.join(staging, 'README.md'), DIST_README);
  } catch (error) {
    // A failed write (a full disk, say) leaves no half-written staging folder behind.
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }

  fs.mkdirSync(previous);
  const keep = new Set(environments.map((e) => e.environment.name));
  for (const entry of fs.readdirSync(outDir)) {
    if (entry.startsWith('.')) continue;
    const current = path.join(outDir, entry);
    const replaced = keep.has(entry) || entry === 'README.md';
    const stale = pruneOthers && !replaced && isEnvironmentDir(current);
    if (replaced || stale) fs.renameSync(current, path.join(previous, entry));
  }
  for (const entry of fs.readdirSync(staging)) fs.renameSync(path.join(staging, entry), path.join(outDir, entry));
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(previous, { recursive: true, force: true });
}
