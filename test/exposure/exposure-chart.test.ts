import { App } from 'cdk8s';
import { ConfigError, formatConfigIssue } from '../../lib/config/config-error';
import { ContractSet } from '../../lib/contracts/contract';
import { CLUSTER_REQUIREMENTS } from '../../lib/platform/cluster-requirements';
import { unknownKeyPaths } from '../../lib/contracts/key-patterns';
import { describeEnvironment, renderAccessInfo } from '../../lib/deploy/environment-facts';
import { exposure } from '../../lib/exposure';
import type { YamlMap } from '../../lib/config/deep-merge';
import { type EnvironmentConfig, REGISTRY } from '../../lib/registry';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import type { KubeObject, RenderedEnvironment } from '../../lib/synth/render-environment';
import { loadChanged } from '../support/config-changes';
import { objectIn, objectsIn } from '../support/gateway-side';
import { rendered } from '../support/environments';

const EXPOSURE_FILE = '50-exposure.k8s.yaml';
const contracts = ContractSet.load();
const certManager = contracts.require(CLUSTER_REQUIREMENTS.certManager.program, CLUSTER_REQUIREMENTS.certManager.version);
const gatewayApi = contracts.require(CLUSTER_REQUIREMENTS.gatewayApi.program, CLUSTER_REQUIREMENTS.gatewayApi.version);

/** dev rendered with `exposure` set to `settings`. */
const devWith = (settings: YamlMap): RenderedEnvironment =>
  renderEnvironment(loadChanged({ merge: { 'dev.yaml': { exposure: settings } } }));

const DEV_INGRESS: YamlMap = {
  mode: 'ingress',
  hosts: { gateway: 'api.dev.example.com' },
  controller: { namespace: 'ingress-nginx' },
  ingress: { className: 'nginx', tls: { secretName: 'dev-tls' } },
};

/** The pods a Service selects, and the container port its port targets. */
function backendOf(rendering: RenderedEnvironment, serviceName: string) {
  const service = objectIn(rendering, 'Service', serviceName);
  const [port] = service.spec.ports;
  return { selector: service.spec.selector as Record<string, string>, port: port.port as number, portName: port.name as string };
}

/** The containers of the workloads whose pods carry `labels`. */
function containersSelectedBy(rendering: RenderedEnvironment, labels: Record<string, string>): any[] {
  return objectsIn(rendering)
    .filter((o) => o.kind === 'Deployment' && Object.entries(labels).every(([k, v]) => o.spec.template.metadata.labels[k] === v))
    .flatMap((o) => o.spec.template.spec.containers);
}

describe('off by default', () => {
  test('dev renders no exposure, no Ingress and no HTTPRoute', () => {
    const dev = rendered('dev');
    expect(dev.files.map((f) => f.fileName)).not.toContain(EXPOSURE_FILE);
    expect(objectsIn(dev).filter((o) => o.kind === 'Ingress' || o.kind === 'HTTPRoute')).toEqual([]);
  });
});

describe('Ingress (prod: cert-manager ClusterIssuer)', () => {
  const prod = rendered('prod');
  const settings = prod.environment.settings as EnvironmentConfig['settings'];
  const cases = [
    { name: 'litellm-gateway', service: 'litellm-gateway-service', host: settings.exposure.hosts?.gateway },
    { name: 'grafana', service: 'grafana-service', host: settings.exposure.hosts?.grafana },
  ];

  test.each(cases)('$name: routes its host to the Service, with the class and a certificate from the issuer', ({ name, service, host }) => {
    const ingress = objectIn(prod, 'Ingress', name);
    const backend = backendOf(prod, service);
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules).toEqual([
      {
        host,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: backend.port } } } }] },
      },
    ]);
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt-prod' });
    expect(ingress.spec.tls).toEqual([{ hosts: [host], secretName: `${name}-tls` }]);
  });

  test.each(cases)('$name: its NetworkPolicy lets the controller namespace in on its pods and port only', ({ name, service }) => {
    const policy = objectIn(prod, 'NetworkPolicy', `${name}-from-ingress`);
    const backend = backendOf(prod, service);
    expect(policy.spec.podSelector).toEqual({ matchLabels: backend.selector });
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ port: backend.portName, protocol: 'TCP' }],
      },
    ]);
    const ports = containersSelectedBy(prod, backend.selector).flatMap((c) => c.ports ?? []);
    expect(ports).toContainEqual(expect.objectContaining({ name: backend.portName }));
  });

  test('every cert-manager annotation rendered is a fact of the pinned cert-manager contract', () => {
    const keys = objectsIn(prod)
      .filter((o) => o.kind === 'Ingress')
      .flatMap((o) => Object.keys(o.metadata.annotations ?? {}));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !certManager.has('annotations', k))).toEqual([]);
  });
});

describe('Ingress TLS sources and controller pods', () => {
  test('an existing Secret: no cert-manager annotation, the Secret named in tls', () => {
    const ingress = objectIn(devWith(DEV_INGRESS), 'Ingress', 'litellm-gateway');
    expect(ingress.metadata.annotations).toBeUndefined();
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.dev.example.com'], secretName: 'dev-tls' }]);
  });

  test('a namespaced Issuer: the issuer annotation', () => {
    const ingress = objectIn(
      devWith({ ...DEV_INGRESS, ingress: { className: 'traefik', tls: { issuer: { kind: 'Issuer', name: 'internal-ca' } } } }),
      'Ingress',
      'litellm-gateway',
    );
    expect(ingress.metadata.annotations).toEqual({ 'cert-manager.io/issuer': 'internal-ca' });
    expect(ingress.spec.ingressClassName).toBe('traefik');
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.dev.example.com'], secretName: 'litellm-gateway-tls' }]);
  });

  test('no TLS outside production: no tls block', () => {
    expect(objectIn(devWith({ ...DEV_INGRESS, ingress: { className: 'nginx' } }), 'Ingress', 'litellm-gateway').spec.tls).toBeUndefined();
  });

  test('controller pod labels narrow the same peer to those pods of that namespace', () => {
    const podLabels = { 'app.kubernetes.io/name': 'ingress-nginx' };
    const policy = objectIn(
      devWith({ ...DEV_INGRESS, controller: { namespace: 'edge', podLabels } }),
      'NetworkPolicy',
      'litellm-gateway-from-ingress',
    );
    expect(policy.spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } }, podSelector: { matchLabels: podLabels } },
    ]);
  });

  test('only the services with a host are exposed', () => {
    const dev = devWith(DEV_INGRESS);
    const exposed = dev.files.find((f) => f.fileName === EXPOSURE_FILE)!.objects.map((o: KubeObject) => `${o.kind}/${o.metadata.name}`);
    expect(exposed).toEqual(['Ingress/litellm-gateway', 'NetworkPolicy/litellm-gateway-from-ingress']);
  });
});

describe('HTTPRoute (test: the shared Gateway)', () => {
  const test_ = rendered('test');

  test.each([
    ['litellm-gateway', 'litellm-gateway-service', 'api.test.suoke.life'],
    ['grafana', 'grafana-service', 'grafana.test.suoke.life'],
  ])('%s: attached to the Gateway listener, its host routed to the Service port', (name, service, host) => {
    const route = objectIn(test_, 'HTTPRoute', name);
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'suoke-gateway', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: [host],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: service, port: backendOf(test_, service).port }] },
      ],
    });
    expect(objectIn(test_, 'NetworkPolicy', `${name}-from-ingress`).spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } },
    ]);
  });

  test('no Ingress where routes are HTTPRoutes', () => {
    expect(objectsIn(test_).filter((o) => o.kind === 'Ingress')).toEqual([]);
  });

  test('the HTTPRoute version is served and every field rendered is in the pinned Gateway API contract', () => {
    const routes = objectsIn(test_).filter((o) => o.kind === 'HTTPRoute');
    const fields = gatewayApi.keyPatterns('fields');
    for (const route of routes) {
      expect(gatewayApi.fact('apiVersions', `${route.apiVersion} HTTPRoute`).served).toBe(true);
      expect(unknownKeyPaths({ spec: route.spec }, { known: new Set([...fields.known, 'spec']), opaque: fields.opaque })).toEqual([]);
    }
  });

  test('a field the contract does not list is caught', () => {
    const fields = gatewayApi.keyPatterns('fields');
    expect(unknownKeyPaths({ spec: { timeouts: {} } }, { known: new Set([...fields.known, 'spec']), opaque: fields.opaque })).toEqual([
      'spec.timeouts',
    ]);
  });
});

/** Builds the exposure of dev with `hosts`, given what `use` returns for every other component. */
function buildExposure(hosts: YamlMap, built: unknown): unknown {
  const environment = loadChanged({ merge: { 'dev.yaml': { exposure: { ...DEV_INGRESS, hosts } } } });
  try {
    const layerData = REGISTRY.layerData(environment);
    exposure.build!({ scope: new App(), environment, layerData, contributions: [], use: <T>(): T => built as T });
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('what the exposure receives by reference', () => {
  test('a gateway whose pods it cannot name is refused, rather than opening every pod', () => {
    const litellm = { identity: { name: 'litellm-gateway' }, endpoint: { serviceName: 's', port: 1, portName: 'http' }, peer: {} };
    expect(buildExposure({ gateway: 'api.dev.example.com' }, { litellm })).toEqual(
      new Error('the LiteLLM gateway names no pod labels to expose'),
    );
  });
});

describe('Grafana exposure depends on a Grafana', () => {
  test('refused, at exposure.hosts.grafana, when the monitoring component built none', () => {
    const thrown = buildExposure({ grafana: 'grafana.dev.example.com' }, {});
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((i) => formatConfigIssue({ ...i, file: 'dev.yaml' }))).toEqual([
      'dev.yaml: exposure.hosts.grafana: expected no Grafana host: this environment deploys no Grafana, found "grafana.dev.example.com"',
    ]);
  });
});

describe('access info', () => {
  test('prints the exposed URLs, https with TLS, without a port-forward for them', () => {
    const prod = rendered('prod');
    const facts = describeEnvironment(prod.environment as EnvironmentConfig, prod.files);
    expect(facts.access.filter((a) => a.externalUrl).map((a) => [a.label, a.service, a.externalUrl])).toEqual([
      ['LiteLLM gateway (exposed)', 'litellm-gateway-service', 'https://api.suoke.life/'],
      ['Grafana (exposed)', 'grafana-service', 'https://grafana.suoke.life/'],
    ]);
    const info = renderAccessInfo(facts);
    expect(info).toContain('  LiteLLM gateway (exposed)\n    open https://api.suoke.life/\n');
    expect(info).toContain('the services with an address are exposed outside the cluster');
  });

  test('plain HTTP prints http, and an HTTPRoute the scheme of its listener', () => {
    const dev = devWith({ ...DEV_INGRESS, ingress: { className: 'nginx' } });
    expect(describeEnvironment(dev.environment as EnvironmentConfig, dev.files).access.flatMap((a) => a.externalUrl ?? [])).toEqual([
      'http://api.dev.example.com/',
    ]);
    const test_ = rendered('test');
    expect(describeEnvironment(test_.environment as EnvironmentConfig, test_.files).access.flatMap((a) => a.externalUrl ?? [])).toEqual([
      'https://api.test.suoke.life/',
      'https://grafana.test.suoke.life/',
    ]);
  });

  test('nothing exposed: port-forwards only, and it says so', () => {
    const dev = rendered('dev');
    const facts = describeEnvironment(dev.environment as EnvironmentConfig, dev.files);
    expect(facts.access.filter((a) => a.externalUrl)).toEqual([]);
    expect(renderAccessInfo(facts)).toContain('nothing is exposed outside the cluster');
  });
});
