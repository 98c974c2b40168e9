import * as fs from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import type { Contract, ContractSet } from './contract';

/** A rendered Kubernetes object, as far as validation needs it. */
export interface SchemaSubject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string };
  readonly [field: string]: unknown;
}

type JsonSchema = { [key: string]: unknown };

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/**
 * Closes a schema the way the API server's strict field validation does: an object with declared
 * properties admits no other field, unless the schema says it preserves unknown fields. Int-or-string
 * fields accept both. Applied to the Kubernetes definitions and to CRD schemas alike.
 */
export function closeSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeSchema);
  if (node === null || typeof node !== 'object') return node;
  const schema = Object.fromEntries(Object.entries(node as JsonSchema).map(([k, v]) => [k, k === 'enum' || k === 'required' ? v : closeSchema(v)])) as JsonSchema;
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    schema.anyOf = [{ type: 'string' }, { type: 'integer' }];
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in schema;
  if (schema.properties && !open) schema.additionalProperties = false;
  return schema;
}

/**
 * CRD patterns are Go regular expressions, which may set the case-insensitive flag `(?i)`
 * (prometheus-operator's do, as in `^(?i)(abort|warn)?$`); JavaScript has no inline flags, so the
 * whole pattern gets the `i` flag (the CRDs we read set it at the start only).
 */
function goRegExp(pattern: string, flags: string): RegExp {
  return pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags);
}
goRegExp.code = 'goRegExp';

/** Turns Ajv's errors into `field.path: problem` lines. */
function describeErrors(errors: readonly ErrorObject[] | null | undefined, program: string): string[] {
  return (errors ?? [])
    .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if')
    .map((e) => {
      const at = e.instancePath
        .split('/')
        .slice(1)
        .map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p.replace(/~1/g, '/').replace(/~0/g, '~')}`))
        .join('')
        .replace(/^\./, '');
      if (e.keyword === 'additionalProperties') {
        const field = (e.params as { additionalProperty: string }).additionalProperty;
        return `${at ? `${at}.` : ''}${field}: unknown field (not in the ${program} schema)`;
      }
      return `${at || '(object)'}: ${e.message}`;
    });
}

/**
 * Validates rendered objects against the schemas of the pinned upstream versions: core kinds against
 * the Kubernetes OpenAPI definitions of the oldest supported minor, custom resources against the
 * `openAPIV3Schema` of their CRD in the contract of the version we support. Unknown fields, wrong
 * types, missing required fields and API versions that are not served are all errors.
 */
export class ObjectSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  private readonly validators = new Map<string, ValidateFunction>();
  /** `apiVersion Kind` to the definition name, for core kinds. */
  private readonly coreKinds: Record<string, string>;
  /** `apiVersion Kind` to [CRD version schema, served, contract], for custom resources. */
  private readonly customKinds = new Map<string, { schema: JsonSchema; served: boolean; contract: Contract }>();

  constructor(private readonly kubernetes: Contract, customContracts: readonly Contract[]) {
    const { kinds, definitions } = JSON.parse(fs.readFileSync(kubernetes.schemaFile('definitions'), 'utf8')) as {
      kinds: Record<string, string>;
      definitions: Record<string, JsonSchema>;
    };
    const closed = closeSchema(definitions) as Record<string, JsonSchema>;
    closed[INT_OR_STRING] = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    this.ajv.addSchema({ $id: 'kubernetes', definitions: closed });
    this.coreKinds = kinds;
    for (const contract of customContracts) {
      for (const file of contract.data.crds ?? []) {
        const crd = yaml.load(fs.readFileSync(contract.resolve(file), 'utf8')) as {
          spec: {
            group: string;
            names: { kind: string };
            versions: { name: string; served: boolean; schema: { openAPIV3Schema: JsonSchema } }[];
          };
        };
        for (const v of crd.spec.versions) {
          const schema = closeSchema(v.schema.openAPIV3Schema) as JsonSchema;
          // The API server validates metadata as ObjectMeta, whatever the CRD says.
          schema.properties = { ...(schema.properties as JsonSchema), metadata: { $ref: `kubernetes#/definitions/${OBJECT_META}` } };
          this.customKinds.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, { schema, served: v.served, contract });
        }
      }
    }
  }

  /** Schemas of the supported versions, from the contracts. */
  public static fromContracts(
    contracts: ContractSet,
    kubernetesVersion: string,
    custom: readonly { program: string; version: string }[],
  ): ObjectSchemas {
    return new ObjectSchemas(
      contracts.require('kubernetes', kubernetesVersion),
      custom.map((c) => contracts.require(c.program, c.version)),
    );
  }

  /** The problems of one object, each as `field.path: problem`; empty when it is valid. */
  public problems(obj: SchemaSubject): string[] {
    const key = `${obj.apiVersion} ${obj.kind}`;
    const custom = this.customKinds.get(key);
    if (custom) {
      if (!custom.served) return [`${key} is not served by ${custom.contract.title}`];
      return this.run(key, () => custom.schema, obj, custom.contract.title);
    }
    const definition = this.coreKinds[key];
    if (definition) return this.run(key, () => ({ $ref: `kubernetes#/definitions/${definition}` }), obj, this.kubernetes.title);
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const known = [...Object.keys(this.coreKinds), ...this.customKinds.keys()].filter((k) => k.endsWith(` ${obj.kind}`));
    return [
      `${key} has no schema in the contracts${known.length ? ` (known: ${known.join(', ')})` : ''}${group.includes('.') && !known.length ? ': add the CRD to its program\'s contract' : ''}`,
    ];
  }

  private run(key: string, schema: () => JsonSchema, obj: SchemaSubject, program: string): string[] {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema());
      this.validators.set(key, validate);
    }
    return validate(obj) ? [] : describeErrors(validate.errors, program);
  }
}
