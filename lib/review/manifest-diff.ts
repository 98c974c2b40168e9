import type { KubeObject } from '../synth/render-environment';
import { diffFields, type FieldChange } from './field-diff';
import type { ManifestFile } from './manifests';
import { detectRenames, hashStem } from './renames';

/** An object added or removed. */
export interface ObjectEntry {
  /** `Kind namespace/name` (or `Kind name` when cluster-scoped). */
  readonly object: string;
  /** The file it is (or was) in. */
  readonly file: string;
}

/** An object present on both sides (under the same identity, or renamed) whose fields changed. */
export interface ObjectChange extends ObjectEntry {
  /** For a rename: the old name. */
  readonly renamedFrom?: string;
  /** For a rename: content similarity, 0–1. */
  readonly similarity?: number;
  readonly fields: readonly FieldChange[];
}

/** What changed in one environment's manifests. */
export interface EnvironmentDiff {
  readonly environment: string;
  readonly added: readonly ObjectEntry[];
  readonly removed: readonly ObjectEntry[];
  readonly renamed: readonly ObjectChange[];
  readonly changed: readonly ObjectChange[];
}

/** Identity of an object: API group, kind, namespace, name (the version is not part of it). */
export function objectIdentity(obj: KubeObject): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return `${group}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** `Deployment suoke-life/litellm-gateway`. */
export function describeObject(obj: KubeObject): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

function located(files: readonly ManifestFile[]): Map<string, { obj: KubeObject; file: string }> {
  const map = new Map<string, { obj: KubeObject; file: string }>();
  for (const file of files) for (const obj of file.objects) map.set(objectIdentity(obj), { obj, file: file.fileName });
  return map;
}

const byObject = (a: ObjectEntry, b: ObjectEntry) => a.object.localeCompare(b.object);

/**
 * Compares two versions of an environment's manifests object by object: matched by identity,
 * wherever they sit in the files; additions and removals of the same kind with nearly the same
 * content become renames; fields are compared without the noise `diffFields` ignores, and masked
 * except for `publicValues` (Secret names and keys). A field whose
 * new value only follows a rename (a pod template naming the new hashed ConfigMap) says so.
 */
export function diffEnvironment(
  environment: string,
  base: readonly ManifestFile[],
  head: readonly ManifestFile[],
  publicValues: ReadonlySet<string> = new Set(),
): EnvironmentDiff {
  const before = located(base);
  const after = located(head);
  const removedObjects = [...before.keys()].filter((id) => !after.has(id)).map((id) => before.get(id)!.obj);
  const addedObjects = [...after.keys()].filter((id) => !before.has(id)).map((id) => after.get(id)!.obj);
  const { renames, removed, added } = detectRenames(removedObjects, addedObjects);
  const fileOf = (map: typeof before, obj: KubeObject) => map.get(objectIdentity(obj))!.file;
  const secret = (obj: KubeObject) => obj.apiVersion === 'v1' && obj.kind === 'Secret';

  const fileMove = (from: string, to: string): FieldChange[] => (from === to ? [] : [{ path: '(file)', before: from, after: to }]);
  const renamed: ObjectChange[] = renames.map((r) => ({
    object: describeObject(r.after),
    renamedFrom: r.before.metadata.name,
    similarity: r.similarity,
    file: fileOf(after, r.after),
    fields: [
      ...fileMove(fileOf(before, r.before), fileOf(after, r.after)),
      ...diffFields(r.before, r.after, { secret: secret(r.after), ignore: ['metadata.name'], publicValues }),
    ],
  }));

  // What a rename changes in its consumers: the name, or for hashed names just the hash (which
  // also appears alone, in config-version annotations).
  const names = renames.map((r) => {
    const [from, to] = [r.before.metadata.name, r.after.metadata.name];
    const stem = hashStem(from);
    const hashed = stem !== undefined && stem === hashStem(to);
    return {
      name: from,
      kind: r.before.kind,
      from: hashed ? from.slice(stem.length + 1) : from,
      to: hashed ? to.slice(stem.length + 1) : to,
    };
  });
  const explain = (change: FieldChange): FieldChange => {
    const hit = names.find((n) => change.before?.includes(n.from) && change.before.split(n.from).join(n.to) === change.after);
    return hit ? { ...change, note: `follows the rename of ${hit.kind} ${hit.name}` } : change;
  };
  const changed: ObjectChange[] = [];
  for (const [id, { obj, file }] of after) {
    const old = before.get(id);
    if (!old) continue;
    const fields = [...fileMove(old.file, file), ...diffFields(old.obj, obj, { secret: secret(obj), publicValues })].map(explain);
    if (fields.length > 0) changed.push({ object: describeObject(obj), file, fields });
  }
  return {
    environment,
    added: added.map((o) => ({ object: describeObject(o), file: fileOf(after, o) })).sort(byObject),
    removed: removed.map((o) => ({ object: describeObject(o), file: fileOf(before, o) })).sort(byObject),
    renamed: renamed.sort(byObject),
    changed: changed.sort(byObject),
  };
}

/** True when nothing changed. */
export function isUnchanged(diff: EnvironmentDiff): boolean {
  return diff.added.length + diff.removed.length + diff.renamed.length + diff.changed.length === 0;
}
