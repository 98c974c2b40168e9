/**
 * Checks a parsed config document (LiteLLM's config.yaml, prometheus.yml, an agents.yaml, …) against
 * the key paths a contract lists. A pattern names one key by its path: `a.b.c`, `[]` for every item
 * of a list (`model_list[].model_name`) and `*` for a map whose keys are names chosen by us
 * (`router_settings.provider_budget_config.*.budget_limit`). A pattern whose fact says
 * `opaque: true` admits any value below it (free-form labels or metadata, say).
 */

/** The patterns a document is checked against: every admitted path, and those below which anything goes. */
export interface KeyPatterns {
  readonly known: ReadonlySet<string>;
  readonly opaque: ReadonlySet<string>;
}

const join = (prefix: string, key: string) => (prefix === '' ? key : `${prefix}.${key}`);

/**
 * Every key path of `doc` that no pattern admits, as the pattern it would need (`model_list[].foo`),
 * each once, in document order.
 */
export function unknownKeyPaths(doc: unknown, patterns: KeyPatterns): string[] {
  const unknown = new Set<string>();
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item) => walk(item, `${at}[]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      const exact = join(at, key);
      const named = join(at, '*');
      const pattern = patterns.known.has(exact) ? exact : patterns.known.has(named) ? named : undefined;
      if (pattern === undefined) {
        unknown.add(exact);
        continue;
      }
      if (!patterns.opaque.has(pattern)) walk(value, pattern);
    }
  };
  walk(doc, '');
  return [...unknown];
}
