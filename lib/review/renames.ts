import type { KubeObject } from '../synth/render-environment';

/**
 * Rename detection: an object that disappears while one of the same kind and namespace with nearly
 * the same content appears is reported as one rename, not a removal plus an addition. This is what a
 * content-hashed ConfigMap name change looks like (`global-config-02bb7f538d` → `global-config-5c4d3e2a1b`).
 */

/** Similarity needed for a rename between unrelated names ("nearly the same content"). */
export const RENAME_THRESHOLD = 0.8;
/** Similarity needed when both names share a stem and end in a content hash: the hash is meant to change. */
export const HASHED_RENAME_THRESHOLD = 0.3;

/** Annotations that carry the content hash itself, left out of the comparison. */
const HASH_ANNOTATIONS = /^suoke\.life\/config-version/;

/** `global-config` for `global-config-02bb7f538d`; undefined for a name without a hash suffix. */
export function hashStem(name: string): string | undefined {
  return /^(.+)-[0-9a-f]{6,}$/.exec(name)?.[1];
}

/**
 * The content of an object as a multiset of (path, value) items, leaving out its identity (kind,
 * namespace, name) and hash annotations. Multi-line strings contribute one item per line, so a config file that changed in one
 * line out of fifty is still 98% the same.
 */
function contentItems(obj: KubeObject): Map<string, number> {
  const items = new Map<string, number>();
  const add = (item: string) => items.set(item, (items.get(item) ?? 0) + 1);
  const walk = (path: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${path}[${i}]`, v));
    else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        // What every candidate pair shares by construction (same kind and namespace) is not evidence.
        if (path === '' && (k === 'apiVersion' || k === 'kind')) continue;
        if (path === '.metadata' && (k === 'name' || k === 'namespace')) continue;
        if (path === '.metadata.annotations' && HASH_ANNOTATIONS.test(k)) continue;
        walk(`${path}.${k}`, v);
      }
    } else if (typeof value === 'string' && value.includes('\n')) {
      for (const line of value.split('\n')) add(`${path}\n${line}`);
    } else {
      add(`${path}=${JSON.stringify(value)}`);
    }
  };
  walk('', obj);
  return items;
}

/**
 * Dice similarity of two objects' content, from 0 (nothing shared) to 1 (same but for the name).
 * Objects with no content beyond their identity are not comparable: 0.
 */
export function contentSimilarity(a: KubeObject, b: KubeObject): number {
  const x = contentItems(a);
  const y = contentItems(b);
  let common = 0;
  let total = 0;
  for (const [item, n] of x) {
    common += Math.min(n, y.get(item) ?? 0);
    total += n;
  }
  for (const n of y.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

/** A detected rename. */
export interface Rename {
  readonly before: KubeObject;
  readonly after: KubeObject;
  /** Content similarity, 0–1. */
  readonly similarity: number;
}

/** Same API group, kind and namespace: the only objects that can be renames of each other. */
function sameSlot(a: KubeObject, b: KubeObject): boolean {
  const group = (o: KubeObject) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
  return group(a) === group(b) && a.kind === b.kind && (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');
}

/**
 * Pairs removed with added objects into renames, best match first; each object is used at most
 * once. Returns the renames and what is left of both lists.
 */
export function detectRenames(
  removed: readonly KubeObject[],
  added: readonly KubeObject[],
): { renames: Rename[]; removed: KubeObject[]; added: KubeObject[] } {
  const candidates: Rename[] = [];
  for (const before of removed) {
    for (const after of added) {
      if (!sameSlot(before, after)) continue;
      const similarity = contentSimilarity(before, after);
      const stem = hashStem(before.metadata.name);
      const threshold = stem !== undefined && stem === hashStem(after.metadata.name) ? HASHED_RENAME_THRESHOLD : RENAME_THRESHOLD;
      if (similarity >= threshold) candidates.push({ before, after, similarity });
    }
  }
  candidates.sort((p, q) => q.similarity - p.similarity || p.before.metadata.name.localeCompare(q.before.metadata.name));
  const used = new Set<KubeObject>();
  const renames: Rename[] = [];
  for (const candidate of candidates) {
    if (used.has(candidate.before) || used.has(candidate.after)) continue;
    used.add(candidate.before);
    used.add(candidate.after);
    renames.push(candidate);
  }
  return { renames, removed: removed.filter((o) => !used.has(o)), added: added.filter((o) => !used.has(o)) };
}
