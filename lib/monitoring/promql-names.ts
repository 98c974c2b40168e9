/**
 * Extracts the metric names a PromQL expression reads, without a full parser: a small tokenizer
 * that knows what is *not* a metric name: function and aggregation names, keywords, label
 * matchers `{…}`, strings, numbers and durations, range and subquery brackets `[…]`, Grafana
 * variables (`$__rate_interval`) and the label lists of `by`, `without`, `on`, `ignoring`,
 * `group_left` and `group_right`.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
  'start',
  'end',
]);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

type Token = { kind: 'ident' | 'string' | 'number' | 'punct' | 'variable' | 'braces' | 'brackets'; text: string };

function closing(expr: string, start: number, open: string, close: string): number {
  let depth = 0;
  for (let i = start; i < expr.length; i++) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(expr, i);
      continue;
    }
    if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  throw new Error(`unbalanced ${open}${close} in ${JSON.stringify(expr)}`);
}

function endOfString(expr: string, start: number): number {
  const quote = expr[start];
  for (let i = start + 1; i < expr.length; i++) {
    if (expr[i] === '\\' && quote !== '`') i++;
    else if (expr[i] === quote) return i;
  }
  throw new Error(`unterminated string in ${JSON.stringify(expr)}`);
}

/** Splits an expression into tokens; `{…}` and `[…]` are kept whole. */
export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    const rest = expr.slice(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      const nl = expr.indexOf('\n', i);
      i = nl < 0 ? expr.length : nl + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      const end = endOfString(expr, i);
      tokens.push({ kind: 'string', text: expr.slice(i, end + 1) });
      i = end + 1;
    } else if (c === '{') {
      const end = closing(expr, i, '{', '}');
      tokens.push({ kind: 'braces', text: expr.slice(i, end + 1) });
      i = end + 1;
    } else if (c === '[') {
      const end = closing(expr, i, '[', ']');
      tokens.push({ kind: 'brackets', text: expr.slice(i, end + 1) });
      i = end + 1;
    } else if (c === '$') {
      const m = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/.exec(rest);
      if (!m) throw new Error(`bad variable at ${i} in ${JSON.stringify(expr)}`);
      tokens.push({ kind: 'variable', text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      // Numbers (1, 0.95, 1e3, 0x1f) and durations (5m, 1h30m) never name a metric.
      const m = /^(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?([a-z]+[0-9]*)*)/.exec(rest);
      if (!m) throw new Error(`bad number at ${i} in ${JSON.stringify(expr)}`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_:]/.test(c)) {
      const m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest)!;
      tokens.push({ kind: 'ident', text: m[0] });
      i += m[0].length;
    } else {
      const m = /^(==|!=|>=|<=|=~|!~|[-+*/%^()<>,=@])/.exec(rest);
      if (!m) throw new Error(`unexpected ${JSON.stringify(c)} at ${i} in ${JSON.stringify(expr)}`);
      tokens.push({ kind: 'punct', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Metric names read by an expression, in order of first appearance. */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  for (const { metric } of selectorsOf(tokenize(expr), expr)) if (!names.includes(metric)) names.push(metric);
  return names;
}

/** One label matcher of a selector, e.g. `job="redis"` (the value unquoted). */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** A vector selector: the metric name and its label matchers. */
export interface VectorSelector {
  readonly metric: string;
  readonly matchers: readonly LabelMatcher[];
}

/** Every vector selector of an expression, in order (a metric read twice appears twice). */
export function vectorSelectors(expr: string): VectorSelector[] {
  return selectorsOf(tokenize(expr), expr);
}

/** The text of a PromQL string literal. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** The matchers inside `{…}`. */
function parseMatchers(braces: string): LabelMatcher[] {
  const body = braces.slice(1, -1);
  return [...body.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)/g)].map((m) => ({
    label: m[1],
    op: m[2] as LabelMatcher['op'],
    value: unquote(m[3]),
  }));
}

function selectorsOf(tokens: Token[], expr: string): VectorSelector[] {
  const selectors: VectorSelector[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'braces' && (i === 0 || tokens[i - 1].kind !== 'ident') && /__name__/.test(t.text)) {
      throw new Error(`selecting by __name__ hides the metric name from the catalogue check: ${expr}`);
    }
    if (t.kind !== 'ident') continue;
    const lower = t.text.toLowerCase();
    if (LABEL_LIST_KEYWORDS.has(lower)) {
      // by (a, b) / on(a) / group_left(a): skip the label list, if any.
      if (tokens[i + 1]?.text === '(') {
        let j = i + 1;
        while (j < tokens.length && tokens[j].text !== ')') j++;
        i = j;
      }
      continue;
    }
    if (KEYWORDS.has(lower)) continue;
    const next = tokens[i + 1];
    if (next?.text === '(') continue; // a function or aggregation call
    if (next && next.kind === 'ident' && (next.text === 'by' || next.text === 'without')) continue; // sum by (…) (…)
    selectors.push({ metric: t.text, matchers: next?.kind === 'braces' ? parseMatchers(next.text) : [] });
  }
  return selectors;
}

/** A label name the expression uses, and the metric whose selector names it (if any). */
export interface LabelUse {
  readonly label: string;
  /** The metric of the selector `metric{label=…}`; undefined for `by`/`on`/… lists. */
  readonly metric?: string;
}

/** Label names in a `{a="x", b=~"y"}` matcher list. */
function matcherLabels(braces: string): string[] {
  return parseMatchers(braces).map((m) => m.label);
}

/**
 * Label names an expression reads: those in each metric's matchers, and those of `by`, `without`,
 * `on`, `ignoring`, `group_left` and `group_right` lists. Labels that `label_replace` or
 * `label_join` create are reported as created, so a later `by` on them is not a use.
 */
export function labelUses(expr: string): { uses: LabelUse[]; created: string[] } {
  const tokens = tokenize(expr);
  const uses: LabelUse[] = [];
  const created: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'braces') {
      const metric =
        i > 0 && tokens[i - 1].kind === 'ident' && !LABEL_LIST_KEYWORDS.has(tokens[i - 1].text.toLowerCase())
          ? tokens[i - 1].text
          : undefined;
      for (const label of matcherLabels(t.text)) uses.push({ label, metric });
      continue;
    }
    if (t.kind !== 'ident') continue;
    const lower = t.text.toLowerCase();
    if ((lower === 'label_replace' || lower === 'label_join') && tokens[i + 1]?.text === '(') {
      // label_replace(v, "dst", "replacement", "src", "regex"): the second argument is created.
      const strings = tokens.slice(i + 2).filter((x) => x.kind === 'string');
      if (strings[0]) created.push(strings[0].text.slice(1, -1));
      continue;
    }
    if (LABEL_LIST_KEYWORDS.has(lower) && tokens[i + 1]?.text === '(') {
      let j = i + 2;
      for (; j < tokens.length && tokens[j].text !== ')'; j++) if (tokens[j].kind === 'ident') uses.push({ label: tokens[j].text });
      i = j;
    }
  }
  return { uses, created };
}
