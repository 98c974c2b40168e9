/** A plain YAML map. */
export type YamlMap = { [key: string]: unknown };

/** True for a YAML map (not a list, not null, not a scalar). */
export function isYamlMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Overlays `overlay` on `base`: maps merge key by key, recursively; lists and scalars in the overlay
 * replace the base value whole. Neither input is modified.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isYamlMap(base) || !isYamlMap(overlay)) {
    return overlay === undefined ? base : overlay;
  }
  const merged: YamlMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    merged[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return merged;
}

/** True when `doc` holds a value at `path` (a map key at each step, or a list that the path enters). */
export function hasPath(doc: unknown, path: readonly (string | number)[]): boolean {
  let node = doc;
  for (const segment of path) {
    if (Array.isArray(node)) return true; // lists replace whole: the file holding the list owns its items
    if (!isYamlMap(node) || !(String(segment) in node)) return false;
    node = node[String(segment)];
  }
  return true;
}
