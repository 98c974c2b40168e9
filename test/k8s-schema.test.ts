import type { KubeObject } from '../lib/synth/render-environment';
import { ENVIRONMENTS, objectsOf } from './support/environments';

/**
 * Validates each object against the Kubernetes OpenAPI schema shipped in `kubernetes-models`
 * (CommonJS 4.x; 5.x needs Node 22). Custom resources are validated by their own model packages.
 */
type Model = new (data: unknown) => { validate(): void };

const CUSTOM_MODELS: Record<string, string> = {
  'external-secrets.io': '@kubernetes-models/external-secrets',
};

function modelFor(obj: KubeObject): Model {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const custom = CUSTOM_MODELS[group];
  const module = custom ? `${custom}/${group}/${version}` : `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const model = require(module)[obj.kind] as Model | undefined;
  if (!model) throw new Error(`no schema model for ${obj.apiVersion} ${obj.kind}`);
  return model;
}

function schemaErrors(objects: readonly KubeObject[]): string[] {
  return objects.flatMap((obj) => {
    try {
      new (modelFor(obj))(obj).validate();
      return [];
    } catch (error) {
      return [`${obj.kind}/${obj.metadata.name}: ${(error as Error).message}`];
    }
  });
}

describe.each(ENVIRONMENTS)('Kubernetes schema: %s', (environment) => {
  test('every object validates against the official OpenAPI schema', () => {
    expect(schemaErrors(objectsOf(environment))).toEqual([]);
  });
});

test('the schema check rejects a wrongly typed field', () => {
  const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } };
  expect(schemaErrors([bad as KubeObject])).toEqual([expect.stringContaining('replicas must be integer')]);
});
