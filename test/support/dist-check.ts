import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffEnvironment } from '../../lib/review/manifest-diff';
import { parseManifests, readManifestDir } from '../../lib/review/manifests';
import { renderText } from '../../lib/review/render-diff';
import type { RenderedFile } from '../../lib/synth/render-environment';

/** The command that brings dist/ up to date. */
export const UPDATE_DIST = 'npm run synth';

/**
 * Compares freshly rendered files with a dist/<env>/ folder, byte for byte. Returns undefined when
 * they match, else the report a reviewer needs: the object-level diff (as `npm run diff` shows it)
 * and the command that updates dist/.
 */
export function distMismatch(environment: string, fresh: readonly RenderedFile[], dir: string): string | undefined {
  const onDisk = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.k8s.yaml'))
        .sort()
    : [];
  const same =
    onDisk.length === fresh.length &&
    fresh.every((f) => onDisk.includes(f.fileName) && fs.readFileSync(path.join(dir, f.fileName), 'utf8') === f.content);
  if (same) return undefined;
  const diff = diffEnvironment(
    environment,
    fs.existsSync(dir) ? readManifestDir(dir) : [],
    fresh.map((f) => ({ fileName: f.fileName, objects: parseManifests(f.content, `${environment}/${f.fileName} (fresh synth)`) })),
  );
  return `dist/${environment}/ is stale. Review the change below, then update it with: ${UPDATE_DIST}\n\n${renderText([diff], 'Base: dist/ on disk. Head: a fresh render.')}`;
}
