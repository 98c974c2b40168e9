import { agentMonitoring, AGENT_CLIENT_LABEL } from '../../lib/agents/agent-monitoring';
import { ORCHESTRATOR_NAME } from '../../lib/agents/agent-orchestrator';
import { AGENT_API_CLIENT_LABEL } from '../../lib/agents/agent-workload';
import { AGENT_SERVICE_ENDPOINTS, ORCHESTRATOR_ENDPOINT } from '../../lib/agents/endpoint';
import { REDIS_ENDPOINT } from '../../lib/cache/endpoint';
import { loadEnvironment } from '../../lib/config/load-environment';
import { GATEWAY_ENDPOINT } from '../../lib/gateway/endpoint';
import { agentGatewayKeyCredential } from '../../lib/gateway/model-groups';
import { ConfigLayers } from '../../lib/layers/config-layers';
import { selectorLabels } from '../../lib/platform/labels';
import { selectorMatches } from '../../lib/policy/pod-specs';
import { checkPolicy } from '../../lib/policy/policy-rules';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { CONFIG_DIR, configCopy, ENVIRONMENTS, objectsOf } from '../support/environments';
import { baseYamlWith } from './support';

const GATEWAY_URL = 'http://litellm-gateway-service:4000';

const loaded = new Map<string, ReturnType<typeof loadEnvironment>>();
/** An environment of a config folder, loaded once per test file. */
function environmentOf(configDir: string, env: string) {
  const key = `${configDir}\0${env}`;
  if (!loaded.has(key)) loaded.set(key, loadEnvironment(configDir, env));
  return loaded.get(key)!;
}

const find = (objects: readonly KubeObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const envOf = (deployment: KubeObject) => Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const secretRef = (settings: any, id: string) => ({ secretKeyRef: { name: settings.security.credentials[id].secretName, key: settings.security.credentials[id].key } });

/** Checks every agent workload shares: gateway wiring, key, labels, scraping, network, PDB. */
function expectAgentWorkload(objects: readonly KubeObject[], env: string, name: string, keyCredential: string, replicas: number, configDir = CONFIG_DIR) {
  const environment = environmentOf(configDir, env);
  const settings = environment.settings;
  const deployment = find(objects, 'Deployment', name);
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];
  const vars = envOf(deployment);
  expect(vars.OPENAI_BASE_URL).toBe(GATEWAY_URL);
  expect(vars.OPENAI_API_BASE).toBe(GATEWAY_URL);
  expect(vars.OPENAI_API_KEY).toEqual(secretRef(settings, keyCredential));
  expect(vars.REDIS_PASSWORD).toEqual(secretRef(settings, settings.redis.passwordCredential));
  const consumed = (['global', 'agent', 'security'] as const).map((l) => ConfigLayers.forEnvironment(environment).layer(l));
  expect(container.envFrom.map((e: any) => e.configMapRef.name)).toEqual(consumed.map((l) => l.configMapName));
  expect(pod.metadata.annotations).toMatchObject(Object.fromEntries(consumed.map((l) => [`suoke.life/config-version-${l.layer}`, l.version])));
  expect(pod.metadata.labels[AGENT_CLIENT_LABEL]).toBe('true');
  const port = container.ports[0];
  expect(port.name).toBe('http');
  expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.containerPort), 'prometheus.io/path': '/metrics' });
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(container[probe].httpGet).toMatchObject({ path: '/health', port: port.containerPort });
  expect(deployment.spec.replicas).toBe(replicas);

  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && selectorMatches(o.spec.podSelector, pod.metadata.labels) && Object.keys(o.spec.podSelector.matchLabels ?? {}).length > 0);
  const egress = policies.filter((p) => p.spec.policyTypes.includes('Egress')).flatMap((p) => p.spec.egress);
  expect(egress).toEqual([
    { to: [{ podSelector: { matchLabels: selectorLabels('litellm-gateway', env) } }], ports: [{ port: GATEWAY_ENDPOINT.portName, protocol: 'TCP' }] },
    { to: [{ podSelector: { matchLabels: selectorLabels('redis', env) } }], ports: [{ port: REDIS_ENDPOINT.portName, protocol: 'TCP' }] },
  ]);
  const ingress = policies.filter((p) => p.spec.policyTypes.includes('Ingress')).flatMap((p) => p.spec.ingress);
  expect(ingress.flatMap((r: any) => r.from)).toEqual([
    { podSelector: { matchLabels: { [AGENT_API_CLIENT_LABEL]: 'true' } } },
    { podSelector: { matchLabels: selectorLabels('prometheus', env) } },
  ]);
  expect(ingress.flatMap((r: any) => r.ports)).toEqual([{ port: 'http', protocol: 'TCP' }, { port: 'http', protocol: 'TCP' }]);

  const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === name);
  if (replicas >= 2) {
    expect(pdb?.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
    expect(pod.spec.topologySpreadConstraints).toHaveLength(2);
  } else {
    expect(pdb).toBeUndefined();
  }
}

describe.each(ENVIRONMENTS)('the orchestrator in %s', (env) => {
  const settings = environmentOf(CONFIG_DIR, env).settings;
  const o = settings.agents.orchestrator;
  const objects = objectsOf(env);

  test('calls models only through the gateway, with its own key, and reaches only the gateway, Redis and DNS', () => {
    expectAgentWorkload(objects, env, ORCHESTRATOR_NAME, o.gatewayKeyCredential, o.replicas);
  });

  test('serves the workflows on the configured port with an API key from a Secret, behind its Service', () => {
    const deployment = find(objects, 'Deployment', ORCHESTRATOR_NAME);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(`${o.image.repository}:${o.image.tag}`);
    expect(container.ports).toEqual([{ name: 'http', containerPort: o.port, protocol: 'TCP' }]);
    const vars = envOf(deployment);
    expect(vars.PRAISONAI_SERVE_API_KEY).toEqual(secretRef(settings, o.apiKeyCredential));
    expect(vars.MODEL_NAME).toBe(o.modelGroup);
    expect(Object.keys(settings.gateway.modelGroups)).toContain(vars.MODEL_NAME);
    const service = find(objects, 'Service', ORCHESTRATOR_ENDPOINT.serviceName);
    expect(service.spec.ports).toEqual([{ name: 'http', port: ORCHESTRATOR_ENDPOINT.port, targetPort: 'http', protocol: 'TCP' }]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
  });

  test('Prometheus’s agent scrape target selects it', () => {
    const pod = find(objects, 'Deployment', ORCHESTRATOR_NAME).spec.template;
    const targets = agentMonitoring.scrapeTargets({ environment: env, namespace: settings.namespace.name, settings });
    expect(targets.some((t) => Object.entries(t.podLabels).every(([k, v]) => pod.metadata.labels[k] === v))).toBe(true);
  });

  test('runs no per-agent service unless an image is configured', () => {
    const withImages = Object.values(settings.agents.members).filter((m) => m.serviceImage).length;
    const services = objects.filter((o) => o.kind === 'Deployment' && /^[a-z0-9]+-service$/.test(o.metadata.name));
    expect(services).toHaveLength(withImages);
  });
});

test('the agent layer carries each agent’s temperature and max tokens from its gateway model group', () => {
  const environment = environmentOf(CONFIG_DIR, 'prod');
  const data = ConfigLayers.forEnvironment(environment).layer('agent').data;
  for (const [id, member] of Object.entries(environment.settings.agents.members)) {
    const group = environment.settings.gateway.modelGroups[member.modelGroup];
    expect([id, data[`${id.toUpperCase()}_TEMPERATURE`], data[`${id.toUpperCase()}_MAX_TOKENS`]]).toEqual([id, String(group.temperature), String(group.maxTokens)]);
  }
  expect(data).toMatchObject({ KNOWLEDGE_BACKEND: 'redis', QUALITY_PASS_THRESHOLD: '0.8', WORKFLOW_IDS: expect.stringContaining('health_consultation') });
});

describe('per-agent services, when their images are given', () => {
  const image = { repository: 'docker.io/suoke-life/agent-service', tag: '1.0.0', pullPolicy: 'IfNotPresent' };
  const dir = configCopy({
    'base.yaml': baseYamlWith((b) => {
      for (const member of Object.values<any>(b.agents.members)) member.serviceImage = image;
    }),
  });
  const rendered = Object.fromEntries(['dev', 'prod'].map((env) => [env, renderEnvironment(environmentOf(dir, env)).files.flatMap((f) => f.objects)]));

  test.each(Object.entries(AGENT_SERVICE_ENDPOINTS))('%s gets its own service on its port, calling the gateway with its own key', (agentId, endpoint) => {
    for (const env of ['dev', 'prod']) {
      const settings = environmentOf(dir, env).settings;
      const objects = rendered[env];
      expectAgentWorkload(objects, env, endpoint.serviceName, agentGatewayKeyCredential(agentId), settings.agents.services.replicas, dir);
      const deployment = find(objects, 'Deployment', endpoint.serviceName);
      expect(deployment.spec.template.spec.containers[0].ports[0].containerPort).toBe(endpoint.port);
      expect(envOf(deployment)).toMatchObject({ AGENT_ID: agentId, MODEL_NAME: settings.agents.members[agentId].modelGroup });
      expect(find(objects, 'Service', endpoint.serviceName).spec.ports[0].port).toBe(endpoint.port);
    }
  });

  test('ports 8001..8004 for xiaoai, xiaoke, laoke, soer', () => {
    expect(Object.entries(AGENT_SERVICE_ENDPOINTS).map(([id, e]) => `${id}:${e.serviceName}:${e.port}`)).toEqual([
      'xiaoai:xiaoai-service:8001',
      'xiaoke:xiaoke-service:8002',
      'laoke:laoke-service:8003',
      'soer:soer-service:8004',
    ]);
  });

  test('the agent layer names each service URL', () => {
    const data = ConfigLayers.forEnvironment(environmentOf(dir, 'dev')).layer('agent').data;
    expect(data.SOER_SERVICE_URL).toBe('http://soer-service:8004');
  });

  test.each(['dev', 'prod'])('the %s render with services meets the policy', (env) => {
    expect(checkPolicy(rendered[env]).map((v) => `${v.rule} ${v.object}: ${v.message}`)).toEqual([]);
  });
});
