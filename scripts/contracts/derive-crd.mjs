// Derives a contract's copy of an upstream CustomResourceDefinition: names, scope and, per version,
// whether it is served, stored or deprecated, and its openAPIV3Schema without descriptions. The
// copy is what `cdk8s import` reads (cdk8s.yaml) and what the tests validate custom resources with.
//
//   node scripts/contracts/derive-crd.mjs <upstream-crd.yaml> <contracts/<program>/<version>/<file>.yaml>
import * as fs from 'node:fs';
import * as path from 'node:path';
import yaml from 'js-yaml';
import { structureOnly, usage } from './schema-derivation.mjs';

const [input, output] = process.argv.slice(2);
if (!input || !output) usage('usage: derive-crd.mjs <upstream-crd.yaml> <output.yaml>');
const crd = yaml.load(fs.readFileSync(input, 'utf8'));
if (crd?.kind !== 'CustomResourceDefinition') usage(`${input}: not a CustomResourceDefinition`);
const derived = {
  apiVersion: crd.apiVersion,
  kind: crd.kind,
  metadata: { name: crd.metadata.name },
  spec: {
    group: crd.spec.group,
    names: structureOnly(crd.spec.names),
    scope: crd.spec.scope,
    versions: crd.spec.versions.map((v) => ({
      name: v.name,
      served: v.served,
      storage: v.storage,
      ...(v.deprecated ? { deprecated: true } : {}),
      schema: { openAPIV3Schema: structureOnly(v.schema.openAPIV3Schema) },
    })),
  },
};
fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, `# Derived by scripts/contracts/derive-crd.mjs from ${path.basename(input)}; do not edit.\n${yaml.dump(derived, { lineWidth: -1, noRefs: true, sortKeys: false })}`);
console.log(`wrote ${output}: ${derived.spec.names.kind}, versions ${derived.spec.versions.map((v) => `${v.name}${v.served ? '' : ' (not served)'}`).join(', ')}`);
