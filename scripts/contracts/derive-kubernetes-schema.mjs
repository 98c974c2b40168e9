// Derives contracts/kubernetes/<minor>/definitions.json from the Kubernetes OpenAPI v2 document
// (api/openapi-spec/swagger.json of kubernetes/kubernetes at the release branch; the copy at
// kubernetes-client/javascript src/gen/swagger.json.unprocessed of the matching client release
// is the same document). Keeps the definitions reachable from the kinds the contract lists under
// facts.apiVersions, without descriptions.
//
//   node scripts/contracts/derive-kubernetes-schema.mjs <swagger.json> contracts/kubernetes/1.30.yaml
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { structureOnly, usage } from './schema-derivation.mjs';

const [swaggerFile, contractFile] = process.argv.slice(2);
if (!swaggerFile || !contractFile) usage('usage: derive-kubernetes-schema.mjs <swagger.json> <contracts/kubernetes/<minor>.yaml>');
const swagger = JSON.parse(fs.readFileSync(swaggerFile, 'utf8'));
const contract = yaml.load(fs.readFileSync(contractFile, 'utf8'));

const byGvk = new Map();
for (const [name, definition] of Object.entries(swagger.definitions)) {
  for (const gvk of definition['x-kubernetes-group-version-kind'] ?? []) {
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    // Each kind is listed under its own definition and, for meta types, under many others; keep its own.
    if (!name.endsWith(`.${gvk.kind}`)) continue;
    byGvk.set(`${apiVersion} ${gvk.kind}`, name);
  }
}

const roots = Object.keys(contract.facts.apiVersions);
const missing = roots.filter((k) => !byGvk.has(k));
if (missing.length) usage(`not served by this OpenAPI document: ${missing.join(', ')}`);

const keep = new Set();
const visit = (name) => {
  if (keep.has(name)) return;
  keep.add(name);
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') visit(node.$ref.replace('#/definitions/', ''));
    Object.values(node).forEach(walk);
  };
  walk(swagger.definitions[name]);
};
roots.forEach((k) => visit(byGvk.get(k)));

const definitions = {};
for (const name of [...keep].sort()) definitions[name] = structureOnly(swagger.definitions[name]);
const kinds = Object.fromEntries(roots.sort().map((k) => [k, byGvk.get(k)]));
const out = path.join(path.dirname(contractFile), path.basename(contractFile, '.yaml'), 'definitions.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ kinds, definitions }, null, 1)}\n`);
console.log(`wrote ${out}: ${roots.length} kinds, ${keep.size} definitions`);
