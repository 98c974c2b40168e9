import { ContractSet } from '../../lib/contracts/contract';
import { ObjectSchemas, type SchemaSubject } from '../../lib/contracts/object-schemas';
import { CLUSTER_REQUIREMENTS } from '../../lib/platform/cluster-requirements';
import { ENVIRONMENTS, findObject, objectsOf, renderedFixture } from '../support/environments';

/**
 * Every rendered object against the schema of the version we support: core kinds against the
 * Kubernetes OpenAPI of the oldest supported minor, custom resources against their CRD at the
 * pinned version. Unknown fields are rejected, as `kubectl apply` (strict field validation) does.
 */
const schemas = ObjectSchemas.fromContracts(ContractSet.load(), CLUSTER_REQUIREMENTS.kubernetes.version, [
  CLUSTER_REQUIREMENTS.externalSecrets,
  CLUSTER_REQUIREMENTS.gatewayApi,
  CLUSTER_REQUIREMENTS.prometheusOperator,
]);

function problemsOf(objects: readonly SchemaSubject[]): string[] {
  return objects.flatMap((o) => schemas.problems(o).map((p) => `${o.kind}/${o.metadata?.name}: ${p}`));
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe.each(ENVIRONMENTS)('object schemas: %s', (environment) => {
  test('every object validates against the schema of its pinned version', () => {
    expect(problemsOf(objectsOf(environment))).toEqual([]);
  });
});

describe('object schemas: an environment in monitoring operator mode', () => {
  const objects = renderedFixture('operator', 'operator').files.flatMap((f) => f.objects);

  test('renders the prometheus-operator custom resources', () => {
    expect([...new Set(objects.filter((o) => o.apiVersion.startsWith('monitoring.coreos.com/')).map((o) => `${o.apiVersion} ${o.kind}`))].sort()).toEqual([
      'monitoring.coreos.com/v1 PodMonitor',
      'monitoring.coreos.com/v1 PrometheusRule',
      'monitoring.coreos.com/v1alpha1 AlertmanagerConfig',
    ]);
  });

  test('every object validates against the schema of its pinned version (CRDs of prometheus-operator v0.93.0)', () => {
    expect(problemsOf(objects)).toEqual([]);
  });

  test('rejects a PodMonitor field the CRD does not have, and an AlertmanagerConfig version it does not serve', () => {
    const monitor = clone(objects.find((o) => o.kind === 'PodMonitor')!);
    monitor.spec.podMetricsEndpoints[0].bearerTokenFile = '/var/run/token';
    expect(problemsOf([monitor])).toEqual([expect.stringContaining('spec.podMetricsEndpoints[0].bearerTokenFile: unknown field (not in the Prometheus Operator v0.93.0 schema)')]);
    const routing = objects.find((o) => o.kind === 'AlertmanagerConfig')!;
    expect(problemsOf([{ ...clone(routing), apiVersion: 'monitoring.coreos.com/v1beta1' }])).toEqual([
      expect.stringContaining('monitoring.coreos.com/v1beta1 AlertmanagerConfig has no schema in the contracts'),
    ]);
  });
});

describe('the schema check', () => {
  const deployment = findObject('dev', 'Deployment', 'litellm-gateway');

  test('rejects an unknown field in a core object', () => {
    const bad = clone(deployment);
    bad.spec.template.spec.containers[0].readinessProbes = bad.spec.template.spec.containers[0].readinessProbe;
    expect(problemsOf([bad])).toEqual([
      'Deployment/litellm-gateway: spec.template.spec.containers[0].readinessProbes: unknown field (not in the Kubernetes 1.30 schema)',
    ]);
  });

  test('rejects a wrongly typed and a missing required field', () => {
    const bad = clone(deployment);
    bad.spec.replicas = 'two';
    delete bad.spec.selector;
    expect(problemsOf([bad])).toEqual(
      expect.arrayContaining([expect.stringContaining("spec: must have required property 'selector'"), expect.stringContaining('spec.replicas: must be integer')]),
    );
  });

  test('rejects an API version the oldest supported Kubernetes does not serve', () => {
    expect(problemsOf([{ ...clone(deployment), apiVersion: 'apps/v1beta2' }])).toEqual([expect.stringContaining('apps/v1beta2 Deployment has no schema in the contracts (known: apps/v1 Deployment)')]);
  });

  describe('custom resources', () => {
    const externalSecret = findObject('prod', 'ExternalSecret', 'llm-provider-keys');

    test('an ExternalSecret is rendered as external-secrets.io/v1', () => {
      expect(externalSecret.apiVersion).toBe('external-secrets.io/v1');
    });

    test('rejects an unknown field against the CRD schema', () => {
      const bad = clone(externalSecret);
      bad.spec.target.template2 = {};
      expect(problemsOf([bad])).toEqual([
        'ExternalSecret/llm-provider-keys: spec.target.template2: unknown field (not in the External Secrets Operator v0.17.0 schema)',
      ]);
    });

    test('rejects a value outside a CRD enum', () => {
      const bad = clone(externalSecret);
      bad.spec.target.creationPolicy = 'Always';
      expect(problemsOf([bad])).toEqual([expect.stringContaining('spec.target.creationPolicy: must be equal to one of the allowed values')]);
    });

    test('rejects a version the supported operator does not serve', () => {
      expect(problemsOf([{ ...clone(externalSecret), apiVersion: 'external-secrets.io/v1beta1' }])).toEqual([
        'ExternalSecret/llm-provider-keys: external-secrets.io/v1beta1 ExternalSecret is not served by External Secrets Operator v0.17.0',
      ]);
    });

    test('validates metadata as ObjectMeta', () => {
      const bad = clone(externalSecret);
      (bad.metadata as Record<string, unknown>).label = { a: 'b' };
      expect(problemsOf([bad])).toEqual([expect.stringContaining('metadata.label: unknown field')]);
    });
  });
});
