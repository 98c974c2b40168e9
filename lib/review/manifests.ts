import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { FILE_EXTENSION, type KubeObject } from '../synth/render-environment';

/** One manifest file of `dist/<env>/` and the objects in it, in order. */
export interface ManifestFile {
  /** File name, e.g. `00-baseline.k8s.yaml`. */
  readonly fileName: string;
  /** Its objects. */
  readonly objects: readonly KubeObject[];
}

/** A manifest that cannot be read as Kubernetes objects. */
export class ManifestError extends Error {}

/**
 * Parses a multi-document YAML manifest. Empty documents are skipped; every other document must be
 * a map with `apiVersion`, `kind` and `metadata.name`. The core schema keeps strings such as dates as
 * strings, as Kubernetes reads them.
 */
export function parseManifests(text: string, source: string): KubeObject[] {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text, undefined, { filename: source, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    throw new ManifestError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  return docs
    .filter((doc) => doc !== null && doc !== undefined)
    .map((doc, i) => {
      const obj = doc as Partial<KubeObject>;
      if (
        typeof obj !== 'object' ||
        Array.isArray(obj) ||
        typeof obj.apiVersion !== 'string' ||
        typeof obj.kind !== 'string' ||
        typeof obj.metadata?.name !== 'string'
      ) {
        throw new ManifestError(
          `${source}: document ${i + 1} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`,
        );
      }
      return obj as KubeObject;
    });
}

/** Reads every `*.k8s.yaml` file of a folder, in name order (the apply order). Missing folder: no files. */
export function readManifestDir(dir: string): ManifestFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(FILE_EXTENSION))
    .sort()
    .map((fileName) => ({
      fileName,
      objects: parseManifests(fs.readFileSync(path.join(dir, fileName), 'utf8'), path.join(dir, fileName)),
    }));
}
