import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { deepMerge } from '../../lib/config/deep-merge';
import { configLayersOf, loadEnvironment, REGISTRY } from '../../lib/registry';
import { layerVersionAnnotation } from '../../lib/layers/config-layers';
import { LAYER_NAMES, LayerName } from '../../lib/layers/layer-data';
import { requiredSecrets } from '../../lib/layers/required-secrets';
import { podTemplateOf } from '../../lib/platform/pod-specs';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { CONFIG_DIR, configCopy, configProblems, ENVIRONMENTS, objectsOf } from '../support/environments';

const configMaps = (env: string) => objectsOf(env).filter((o) => o.kind === 'ConfigMap');

describe.each(ENVIRONMENTS)('layers in %s', (env) => {
  test.each(LAYER_NAMES)('the %s layer is an immutable ConfigMap with a content-hashed name', (layer) => {
    const rendered = configLayersOf(loadEnvironment(CONFIG_DIR, env)).layer(layer);
    const cm = configMaps(env).find((o) => o.metadata.name === rendered.configMapName);
    expect(cm).toBeDefined();
    expect(cm!.metadata.name).toMatch(new RegExp(`^${layer}-config-[0-9a-f]{10}$`));
    expect(cm!.immutable).toBe(true);
    expect(cm!.data).toEqual(rendered.data);
  });
});

test('service discovery is derived from the components: the original URLs', () => {
  const data = REGISTRY.layerData(loadEnvironment(CONFIG_DIR, 'prod')).global;
  expect(data).toMatchObject({
    LITELLM_GATEWAY_URL: 'http://litellm-gateway-service:4000',
    PROMETHEUS_URL: 'http://prometheus-service:9090',
    GRAFANA_URL: 'http://grafana-service:3000',
    ALERTMANAGER_URL: 'http://alertmanager-service:9093',
    REDIS_HOST: 'redis-service',
    REDIS_PORT: '6379',
    APP_ENVIRONMENT: 'prod',
  });
});

test('the security layer names Secrets and keys, never values', () => {
  const env = loadEnvironment(CONFIG_DIR, 'dev');
  const data = configLayersOf(env).layer('security').data;
  expect(data.CREDENTIAL_GATEWAY_MASTER_KEY_SECRET).toBe(env.settings.security.credentials['gateway-master-key'].secretName);
  expect(data.CREDENTIAL_GATEWAY_MASTER_KEY_KEY).toBe('master-key');
  expect(
    Object.keys(data)
      .filter((k) => k.startsWith('CREDENTIAL_'))
      .every((k) => /_(SECRET|KEY)$/.test(k)),
  ).toBe(true);
});

test('prod runs in namespace suoke-life, with no wildcard CORS', () => {
  const prod = loadEnvironment(CONFIG_DIR, 'prod').settings;
  expect(prod.namespace.name).toBe('suoke-life');
  expect(prod.security.allowedOrigins.some((o) => o.includes('*'))).toBe(false);
});

test("prod's Secrets all come from ExternalSecrets, one per required Secret", () => {
  const prod = loadEnvironment(CONFIG_DIR, 'prod');
  const externalSecrets = objectsOf('prod').filter((o) => o.kind === 'ExternalSecret');
  expect(externalSecrets.map((e) => e.metadata.name).sort()).toEqual(requiredSecrets(prod).map((s) => s.secretName));
  for (const es of externalSecrets) {
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'suoke-secret-manager' });
    expect(es.spec.target.name).toBe(es.metadata.name);
    expect(es.spec.data.every((d: any) => d.remoteRef.key.startsWith('suoke-life/prod/'))).toBe(true);
  }
  expect(objectsOf('dev').filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
});

/** Objects whose rendered content differs between two renders, by kind/name (renames included). */
function changedObjects(before: readonly KubeObject[], after: readonly KubeObject[]): string[] {
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  const old = new Map(before.map((o) => [key(o), JSON.stringify(o)]));
  const now = new Map(after.map((o) => [key(o), JSON.stringify(o)]));
  const names = new Set([...old.keys(), ...now.keys()]);
  return [...names].filter((n) => old.get(n) !== now.get(n)).sort();
}

function consumersOf(objects: readonly KubeObject[], layer: LayerName): string[] {
  return objects
    .filter((o) => podTemplateOf(o)?.metadata.annotations?.[layerVersionAnnotation(layer)])
    .map((o) => `${o.kind}/${o.metadata.name}`);
}

test.each<[LayerName, string, string[]]>([
  // The workflow runtimes read no layer (PraisonAI reads none of its keys), so the agent and
  // security layers have no consumer yet: a change renames only their ConfigMap.
  ['agent', 'agents:\n  knowledge:\n    ttl: 2h\n', []],
  ['global', 'app:\n  publicUrl: https://other.suoke.life\n', ['Deployment/litellm-gateway']],
  ['security', 'security:\n  jwtExpiration: 12h\n', []],
])(
  'changing one value of the %s layer changes exactly that ConfigMap and the pod templates that consume it',
  (layer, change, expectedConsumers) => {
    const before = renderEnvironment(loadEnvironment(CONFIG_DIR, 'test')).files.flatMap((f) => f.objects);
    // Overlay the change on test.yaml itself, so the file keeps one key per map.
    const testYaml = path.join(CONFIG_DIR, 'test.yaml');
    const dir = configCopy({ 'test.yaml': yaml.dump(deepMerge(yaml.load(fs.readFileSync(testYaml, 'utf8')), yaml.load(change))) });
    const after = renderEnvironment(loadEnvironment(dir, 'test')).files.flatMap((f) => f.objects);
    const layerConfigMap = (objects: readonly KubeObject[]) =>
      objects.find((o) => o.metadata.name.startsWith(`${layer}-config-`))!.metadata.name;
    expect(layerConfigMap(after)).not.toBe(layerConfigMap(before));
    expect(consumersOf(after, layer).sort()).toEqual(expectedConsumers);
    expect(changedObjects(before, after)).toEqual(
      [`ConfigMap/${layerConfigMap(before)}`, `ConfigMap/${layerConfigMap(after)}`, ...expectedConsumers].sort(),
    );
  },
);

const prodYaml = () => fs.readFileSync(path.join(CONFIG_DIR, 'prod.yaml'), 'utf8') as string;

describe('bad layer config gets a clear error with file and field', () => {
  test('an unknown agent', () => {
    expect(configProblems({ 'dev.yaml': 'agents:\n  members:\n    xiaoia: { enabled: false }\n' }, 'dev')).toEqual([
      expect.stringMatching(
        /^dev\.yaml: agents\.members\.xiaoia: expected a known agent \[xiaoai, xiaoke, laoke, soer\] \(did you mean "xiaoai"\?\).*found the unknown agent "xiaoia"$/,
      ),
    ]);
  });
  test('an unknown secrets mode', () => {
    expect(configProblems({ 'dev.yaml': 'security:\n  secretsMode: vault\n' }, 'dev')).toEqual([
      'dev.yaml: security.secretsMode: expected one of: external, external-secrets, found "vault"',
    ]);
  });
  test('a missing SecretStore in external-secrets mode', () => {
    expect(configProblems({ 'test.yaml': 'security:\n  secretsMode: external-secrets\n' }, 'test')).toEqual([
      'test.yaml: security.secretStore: expected a secretStore {kind, name, refreshInterval, remoteKeyPrefix} in external-secrets mode, found nothing (the field is missing)',
    ]);
  });
  test('a duplicate key', () => {
    expect(configProblems({ 'dev.yaml': 'security:\n  secretsMode: external\n  secretsMode: external\n' }, 'dev')).toEqual([
      expect.stringMatching(/^dev\.yaml:3: secretsMode: expected each key at most once/),
    ]);
  });
  test('a CORS wildcard in prod', () => {
    expect(
      configProblems(
        {
          'prod.yaml': prodYaml().replace(
            'allowedOrigins: ["https://app.suoke.life", "https://admin.suoke.life"]',
            'allowedOrigins: ["https://app.suoke.life", "*"]',
          ),
        },
        'prod',
      ),
    ).toEqual([
      'prod.yaml: security.allowedOrigins[1]: expected an explicit origin such as "https://app.suoke.life" (no wildcard CORS in production), found "*"',
    ]);
  });
});
