import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../../lib/config/config-error';
import { loadEnvironment } from '../../lib/registry';
import { describeEnvironment, DistProblem, renderAccessInfo } from '../../lib/deploy/environment-facts';
import { kubectlName, kubectlType, pruneKinds } from '../../lib/deploy/prune-scope';
import { GATEWAY_ENDPOINT } from '../../lib/gateway/litellm-gateway';
import { GRAFANA_ENDPOINT } from '../../lib/monitoring/grafana';
import { instanceOf, PART_OF } from '../../lib/platform/labels';
import type { ManifestFile } from '../../lib/review/manifests';
import type { KubeObject } from '../../lib/synth/render-environment';
import { CONFIG_DIR, configCopy } from '../support/environments';

const dev = loadEnvironment(CONFIG_DIR, 'dev');
const NS = dev.settings.namespace.name;
const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/instance': instanceOf('dev') };
const obj = (apiVersion: string, kind: string, name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace: NS, labels, ...extra },
});
const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels } };
const files = (...objects: KubeObject[]): ManifestFile[] => [
  { fileName: '00-baseline.k8s.yaml', objects: [namespace] },
  { fileName: '20-x.k8s.yaml', objects },
];

test('refuses manifests that reach outside the environment: other instance, other namespace, no namespace', () => {
  const foreign = obj('v1', 'Service', 'other', { labels: { ...labels, 'app.kubernetes.io/instance': instanceOf('prod') } });
  const elsewhere = obj('v1', 'Service', 'elsewhere', { namespace: 'kube-system' });
  const clusterScoped: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r', labels } };
  const problem = (() => {
    try {
      describeEnvironment(dev, files(foreign, elsewhere, clusterScoped));
    } catch (error) {
      return error;
    }
    return undefined;
  })();
  expect(problem).toBeInstanceOf(DistProblem);
  expect(
    (problem as Error).message
      .split('\n')
      .slice(1)
      .map((l) => l.trim()),
  ).toEqual([
    '20-x.k8s.yaml: Service other: label app.kubernetes.io/instance is "suoke-life-prod", expected "suoke-life-dev"',
    `20-x.k8s.yaml: Service elsewhere: namespace is "kube-system", expected "${NS}"`,
    `20-x.k8s.yaml: ClusterRole r: namespace is null, expected "${NS}"`,
  ]);
  expect(() => describeEnvironment(dev, [])).toThrow(/no \*\.k8s\.yaml files: run `npm run synth`/);
});

test('prunes the platform kinds and custom kinds it renders, never Namespaces, Secrets or PVCs', () => {
  const kinds = pruneKinds([
    namespace,
    obj('external-secrets.io/v1', 'ExternalSecret', 'e'),
    obj('v1', 'Secret', 's'),
    obj('v1', 'PersistentVolumeClaim', 'p'),
  ]);
  expect(kinds).toEqual(expect.arrayContaining(['core/v1/ConfigMap', 'apps/v1/Deployment', 'external-secrets.io/v1/ExternalSecret']));
  expect(kinds.filter((k) => /\/(Namespace|Secret|PersistentVolumeClaim)$/.test(k))).toEqual([]);
  expect(kubectlType('apps/v1/Deployment')).toBe('Deployment.v1.apps');
  expect(kubectlType('core/v1/ConfigMap')).toBe('configmap');
  expect(kubectlName(obj('apps/v1', 'Deployment', 'gateway'))).toBe('deployment.apps/gateway');
  expect(kubectlName(obj('v1', 'Service', 'svc'))).toBe('service/svc');
});

test('health checks and access points come from the endpoint constants, for the Services the manifests contain', () => {
  const facts = describeEnvironment(
    dev,
    files(obj('v1', 'Service', GATEWAY_ENDPOINT.serviceName), obj('apps/v1', 'Deployment', 'gateway'), obj('batch/v1', 'Job', 'migrate')),
  );
  expect(facts.healthChecks).toEqual([
    {
      label: 'LiteLLM gateway',
      service: GATEWAY_ENDPOINT.serviceName,
      port: GATEWAY_ENDPOINT.port,
      protocol: 'http',
      path: '/health/readiness',
    },
  ]);
  expect(facts.rollouts).toEqual([
    { kind: 'deployment', name: 'gateway' },
    { kind: 'job', name: 'migrate' },
  ]);
  expect(facts.access.map((a) => a.service)).toEqual([GATEWAY_ENDPOINT.serviceName]);
  expect(facts.access.map((a) => a.service)).not.toContain(GRAFANA_ENDPOINT.serviceName);
  const access = renderAccessInfo(facts);
  expect(access).toContain(
    `kubectl --context suoke-dev -n ${NS} port-forward svc/${GATEWAY_ENDPOINT.serviceName} ${GATEWAY_ENDPOINT.port}:${GATEWAY_ENDPOINT.port}`,
  );
  expect(access).toMatch(/LiteLLM master key .*: Secret litellm-gateway-keys, key master-key/);
  expect(facts.kubeContext).toBe('suoke-dev');
  expect(facts.selector).toBe('app.kubernetes.io/part-of=suoke-life,app.kubernetes.io/instance=suoke-life-dev');
});

test('asks only for the credentials the components read, and knows which ones it may generate', () => {
  const facts = describeEnvironment(dev, files());
  const credentials = facts.secretKeys.map((k) => k.credential);
  // dev runs PostgreSQL in the cluster: the external database's URL is configured but never read.
  expect(Object.keys(dev.settings.security.credentials)).toContain('database-url');
  expect(credentials).not.toContain('database-url');
  expect(credentials).toContain('database-password');
  expect(facts.secretKeys.find((k) => k.credential === 'gateway-master-key')?.generate).toBe('sk-token');
  expect(facts.secretKeys.find((k) => k.credential === 'openai-api-key')?.generate).toBeUndefined();
  const spendDatabase = facts.createCommands.find((c) => c.secretName === 'spend-database')!.command;
  expect(spendDatabase).not.toContain('--from-literal=url=');
});

test('config rules: production requires confirmation; only throwaway environments may create Secrets', () => {
  const load = (overlay: string) => () => loadEnvironment(configCopy({ 'prod.yaml': overlay }), 'prod');
  const prodFile = fs.readFileSync(path.join(CONFIG_DIR, 'prod.yaml'), 'utf8');
  expect(load(prodFile.replace('requireConfirmation: true', 'requireConfirmation: false'))).toThrow(
    /prod\.yaml: deploy\.requireConfirmation: expected true in a production-tier environment \(platform\.production is true\), found false/,
  );
  expect(load(prodFile.replace('requireConfirmation: true', 'requireConfirmation: true\n  createMissingSecrets: true'))).toThrow(
    ConfigError,
  );
  expect(load(prodFile.replace('requireConfirmation: true', 'requireConfirmation: true\n  createMissingSecrets: true'))).toThrow(
    /deploy\.createMissingSecrets: expected false here \(platform\.production is true, deploy\.requireConfirmation is true, security\.secretsMode is external-secrets\)/,
  );
  expect(load(prodFile.replace('rolloutTimeout: 10m', 'rolloutTimeout: 1d'))).toThrow(
    /deploy\.rolloutTimeout: expected a duration such as "30s", "5m" or "1h" .*; here units h, m, s only, at least 1s \(kubectl's --timeout takes no d, w or y\), found "1d"/,
  );
});
