import { z } from 'zod';

type AnySchema = z.core.$ZodType;

/** Wrapper types whose inner schema describes the same value. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

/** Unwraps optional/default/pipe wrappers down to the schema that describes the value's shape. */
function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as { type: string; innerType?: AnySchema; in?: AnySchema };
    if (WRAPPERS.has(def.type) && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
}

/** The schema that describes the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  let current: AnySchema | undefined = unwrap(root);
  for (const segment of path) {
    if (current === undefined) return undefined;
    const def = current._zod.def as unknown as {
      type: string;
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      valueType?: AnySchema;
    };
    if (def.type === 'object' && def.shape) current = def.shape[String(segment)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return undefined;
    current = current && unwrap(current);
  }
  return current;
}

/** The keys a map at `path` may hold, or [] when the schema there is not a fixed map. */
export function knownKeysAt(root: AnySchema, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(root, path);
  const def = schema?._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> } | undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * Every full path at which the schema has a map key named `key` (case-insensitive), as dotted
 * paths with `<name>` for an entry of a free map and `[n]` for a list item: `gateway.autoscaling`.
 */
export function pathsOfKey(root: AnySchema, key: string): string[] {
  const found: string[] = [];
  const visit = (schema: AnySchema, path: string, depth: number) => {
    if (depth > 12) return;
    const def = unwrap(schema)._zod.def as unknown as {
      type: string;
      shape?: Record<string, AnySchema>;
      element?: AnySchema;
      valueType?: AnySchema;
      options?: AnySchema[];
    };
    if (def.type === 'object' && def.shape) {
      for (const [name, child] of Object.entries(def.shape)) {
        const childPath = path === '' ? name : `${path}.${name}`;
        if (name.toLowerCase() === key.toLowerCase()) found.push(childPath);
        visit(child, childPath, depth + 1);
      }
    } else if (def.type === 'array' && def.element) visit(def.element, `${path}[n]`, depth + 1);
    else if (def.type === 'record' && def.valueType) visit(def.valueType, `${path}.<name>`, depth + 1);
    else if (def.type === 'union' && def.options) for (const option of def.options) visit(option, path, depth + 1);
  };
  visit(root, '', 0);
  return [...new Set(found)];
}
