// Shared steps of deriving a contract's schema from an upstream OpenAPI or CRD document: prose is
// dropped (contracts keep names and structure, never upstream text), keys are sorted so a re-derived
// file diffs cleanly.

/** A copy of an OpenAPI schema without `description` fields, keys sorted. */
export function structureOnly(node) {
  if (Array.isArray(node)) return node.map(structureOnly);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const key of Object.keys(node).sort()) {
    if (key === 'description') continue;
    out[key] = structureOnly(node[key]);
  }
  return out;
}

/** Fails with a readable message and exit status 2 on a wrong command line. */
export function usage(text) {
  console.error(text);
  process.exit(2);
}
