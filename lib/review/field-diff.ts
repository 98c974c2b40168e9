import { maskLeaf } from './masking';

/** One changed field of an object. Values are rendered and already masked; never raw. */
export interface FieldChange {
  /** Field path, e.g. `spec.template.spec.containers[gateway].image`, `metadata.labels["app.kubernetes.io/version"]`. */
  readonly path: string;
  /** The old value, rendered; absent when the field was added. */
  readonly before?: string;
  /** The new value, rendered; absent when the field was removed. */
  readonly after?: string;
  /** For multi-line text (embedded config files): the changed lines, `- old` / `+ new`. */
  readonly lines?: readonly string[];
  /** Why it changed, when known, e.g. `follows the rename of ConfigMap global-config-…`. */
  readonly note?: string;
}

/** Options of a field diff. */
export interface FieldDiffOptions {
  /**
   * True when the objects are Secrets: every value under `data` and `stringData` is masked.
   * @default false
   */
  readonly secret?: boolean;
  /**
   * Top-level paths to leave out, e.g. `metadata.name` when comparing a renamed object.
   * @default - none
   */
  readonly ignore?: readonly string[];
  /**
   * Values shown even under secret-like keys: names of Secrets and of their keys, which are
   * references, not credentials.
   * @default - none
   */
  readonly publicValues?: ReadonlySet<string>;
}

/**
 * Fields that never carry a change of the desired state: server-populated fields that may appear in
 * a hand-written manifest. Together with the normalisations below they are the diff's "noise".
 */
const NOISE_PATHS = new Set([
  'status',
  'metadata.creationTimestamp',
  'metadata.generation',
  'metadata.resourceVersion',
  'metadata.uid',
  'metadata.managedFields',
]);

/** Keys under which strings are resource quantities (`500m` = `0.5`, `1Gi` = `1024Mi`). */
const QUANTITY_PARENTS = new Set(['requests', 'limits', 'hard', 'default', 'defaultRequest', 'max', 'min', 'capacity', 'sizeLimit']);

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The numeric value of a Kubernetes quantity, or undefined when it is not one. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?[0-9]+(?:\.[0-9]+)?)(?:([eE][+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(value.trim());
  if (!match) return undefined;
  const base = Number(match[1]);
  return match[2] ? base * 10 ** Number(match[2].slice(1)) : base * SUFFIX[match[3] ?? ''];
}

type Segment = { key: string } | { item: string } | { index: number };

/** `a.b["c.d"][name][0]`. */
export function formatFieldPath(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => {
      if ('index' in s) return `[${s.index}]`;
      if ('item' in s) return `[${s.item}]`;
      return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s.key) ? `${i === 0 ? '' : '.'}${s.key}` : `[${JSON.stringify(s.key)}]`;
    })
    .join('');
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Items of a list matched by their `name` when every item has a distinct one (containers, env, ports, volumes). */
function namedItems(list: readonly unknown[]): Map<string, unknown> | undefined {
  if (!list.every((item) => isMap(item) && typeof item.name === 'string')) return undefined;
  const byName = new Map(list.map((item) => [(item as { name: string }).name, item]));
  return byName.size === list.length ? byName : undefined;
}

/** Renders a value compactly for display: strings quoted, maps and lists as JSON. */
function render(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? 'undefined');
}

/**
 * Line diff of two texts (longest common subsequence): only the changed lines, in order. Lines are
 * compared raw and shown from `shown` (the masked texts, line for line), so a changed secret shows
 * as a changed masked line.
 */
export function changedLines(before: string, after: string, shown: { before?: string; after?: string } = {}): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const showA = (shown.before ?? before).split('\n');
  const showB = (shown.after ?? after).split('\n');
  // Trim the common head and tail first: config files change in a few places.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const table: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--)
      table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      i++;
      j++;
    } else if (i < x.length && (j === y.length || table[i + 1][j] >= table[i][j + 1])) {
      out.push(`- ${showA[start + i++]}`);
    } else {
      out.push(`+ ${showB[start + j++]}`);
    }
  }
  return out;
}

interface Context {
  /** Under a Secret's `data` or `stringData`. */
  readonly secretData: boolean;
  /** The key a value is masked under (an env var's name for its `value`). */
  readonly key: string;
  /** The value is a resource quantity (its parent is `requests`, `limits`, `hard`…). */
  readonly quantity: boolean;
}

const ROOT_CONTEXT: Context = { secretData: false, key: '', quantity: false };

function childContext(ctx: Context, key: string, parent: Record<string, unknown>): Context {
  return {
    secretData: ctx.secretData,
    key: key === 'value' && typeof parent.name === 'string' ? parent.name : key,
    quantity: QUANTITY_PARENTS.has(ctx.key),
  };
}

/** Masks every leaf of a subtree, each under its own key. */
function maskTree(value: unknown, ctx: Context, publicValues?: ReadonlySet<string>): unknown {
  if (isMap(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskTree(v, childContext(ctx, k, value), publicValues)]));
  if (Array.isArray(value)) return value.map((v) => maskTree(v, ctx, publicValues));
  return maskLeaf(value, { ...ctx, publicValues });
}

/**
 * The changed fields between two versions of one object, in path order. Key order, `null` versus
 * absent, the order of named list items and equivalent quantities are not changes; server-populated
 * fields are ignored. Values are masked (see masking.ts).
 */
export function diffFields(before: unknown, after: unknown, options: FieldDiffOptions = {}): FieldChange[] {
  const changes: FieldChange[] = [];
  const ignored = new Set([...NOISE_PATHS, ...(options.ignore ?? [])]);

  const leaf = (path: readonly Segment[], a: unknown, b: unknown, ctx: Context) => {
    const shown = formatFieldPath(path);
    const ma = a === undefined ? undefined : maskTree(a, ctx, options.publicValues);
    const mb = b === undefined ? undefined : maskTree(b, ctx, options.publicValues);
    if (
      typeof a === 'string' &&
      typeof b === 'string' &&
      typeof ma === 'string' &&
      typeof mb === 'string' &&
      (a.includes('\n') || b.includes('\n'))
    ) {
      // Masked whole (a secret-like key): one masked change; otherwise the changed lines, masked.
      if (ma.split('\n').length !== a.split('\n').length || mb.split('\n').length !== b.split('\n').length)
        changes.push({ path: shown, before: render(ma), after: `${render(mb)} (masked; changed)` });
      else changes.push({ path: shown, lines: changedLines(a, b, { before: ma, after: mb }) });
    } else if (ma !== undefined && mb !== undefined && render(ma) === render(mb)) {
      changes.push({ path: shown, before: render(ma), after: `${render(mb)} (masked; changed)` });
    } else {
      changes.push({ path: shown, before: ma === undefined ? undefined : render(ma), after: mb === undefined ? undefined : render(mb) });
    }
  };

  // A subtree on one side only: one change per leaf of a map (each masked on its own).
  const oneSided = (path: readonly Segment[], value: unknown, side: 'before' | 'after', ctx: Context) => {
    if (isMap(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value).sort()) oneSided([...path, { key }], value[key], side, childContext(ctx, key, value));
    } else if (value !== null && value !== undefined) {
      leaf(path, side === 'before' ? value : undefined, side === 'after' ? value : undefined, ctx);
    }
  };

  const walk = (path: readonly Segment[], a: unknown, b: unknown, ctx: Context): void => {
    if (path.length > 0 && ignored.has(formatFieldPath(path))) return;
    if (a === null) a = undefined;
    if (b === null) b = undefined;
    if (a === undefined && b === undefined) return;
    if (a === undefined) return oneSided(path, b, 'after', ctx);
    if (b === undefined) return oneSided(path, a, 'before', ctx);
    if (isMap(a) && isMap(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        const sub =
          path.length === 0
            ? { ...ROOT_CONTEXT, key, secretData: !!options.secret && (key === 'data' || key === 'stringData') }
            : childContext(ctx, key, b);
        walk([...path, { key }], a[key], b[key], sub);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const namedA = namedItems(a);
      const namedB = namedItems(b);
      if (namedA && namedB) {
        for (const name of [...new Set([...namedA.keys(), ...namedB.keys()])]) {
          const itemA = namedA.get(name);
          const itemB = namedB.get(name);
          if (itemA === undefined || itemB === undefined) leaf([...path, { item: name }], itemA, itemB, ctx);
          else walk([...path, { item: name }], itemA, itemB, ctx);
        }
        return;
      }
      if (a.length > 0 && b.length > 0 && a.every(isMap) && b.every(isMap)) {
        for (let i = 0; i < Math.max(a.length, b.length); i++) walk([...path, { index: i }], a[i], b[i], ctx);
        return;
      }
      if (JSON.stringify(a) !== JSON.stringify(b)) leaf(path, a, b, ctx);
      return;
    }
    if (a === b) return;
    if (ctx.quantity) {
      const qa = quantityValue(a);
      if (qa !== undefined && qa === quantityValue(b)) return;
    }
    leaf(path, a, b, ctx);
  };

  walk([], before, after, ROOT_CONTEXT);
  return changes;
}
