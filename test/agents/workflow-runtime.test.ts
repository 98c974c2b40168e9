import * as yaml from 'js-yaml';
import { durationSeconds } from '../../lib/config/fields';
import { AGENT_CLIENT_LABEL } from '../../lib/agents/agent-monitoring';
import { workflowAppName, workflowEndpoint } from '../../lib/agents/workflow-runtime';
import { workflowFileName } from '../../lib/agents/render-agents-yaml';
import { AGENT_RUNTIME_USER, parseDockerfile, readRuntimeImageFiles } from '../../lib/agents/runtime-image';
import { AGENT_API_CLIENT_LABEL, serveArgs, WORKFLOW_FILE_DIR, WORKFLOW_VERSION_ANNOTATION } from '../../lib/agents/workflow-runtime';
import { loadEnvironment } from '../../lib/registry';
import { ContractSet } from '../../lib/contracts/contract';
import { GATEWAY_ENDPOINT } from '../../lib/gateway/litellm-gateway';
import { workflowGatewayKeyCredential } from '../../lib/gateway/model-groups';
import { selectorLabels } from '../../lib/platform/labels';
import { endpointUrl } from '../../lib/platform/service-endpoint';
import { selectorMatches } from '../../lib/platform/pod-specs';
import type { KubeObject } from '../../lib/synth/render-environment';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import type { AgentsSettings } from '../../lib/agents/config';
import { CONFIG_DIR, ENVIRONMENTS, findObject, objectsOf } from '../support/environments';
import { workflowConfigMap } from '../support/agent-workflows';
import { loadWithGatewayAgentsFixture } from '../support/config-changes';
import type { Overrides } from '../support/fixture-settings';

/**
 * The agent runtime as rendered: one PraisonAI `serve agents` process per workflow, and every
 * flag, variable and path it is given checked against contracts/praisonai/4.7.0.yaml. The shipped
 * environments are checked against the settings they came from (how the real runtime is wired);
 * what the settings change is checked on the gateway and agents fixtures.
 */
const ROOT = `${__dirname}/../..`;

const envOf = (container: any) => Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
const secretRef = (settings: any, id: string) => ({
  secretKeyRef: { name: settings.security.credentials[id].secretName, key: settings.security.credentials[id].key },
});

describe.each(ENVIRONMENTS)('the workflows of %s', (env) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  const runtime = settings.agents.runtime;
  const contract = ContractSet.load().forImage(runtime.image.repository, runtime.image.tag);
  const objects = objectsOf(env);
  const workflowIds = Object.keys(settings.agents.workflows).sort();
  const deploymentOf = (id: string) => findObject(env, 'Deployment', workflowAppName(id));

  test('run on an image a PraisonAI contract covers', () => {
    expect(contract.data.program).toBe('praisonai');
  });

  test('each workflow is one Deployment behind its own Service, and nothing else runs agents', () => {
    const agentDeployments = objects
      .filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'agent')
      .map((o) => o.metadata.name);
    expect(agentDeployments.sort()).toEqual(workflowIds.map(workflowAppName).sort());
    for (const id of workflowIds) {
      const deployment = deploymentOf(id);
      const endpoint = workflowEndpoint(id, runtime.port);
      const service = findObject(env, 'Service', endpoint.serviceName);
      expect(service.spec.ports).toEqual([{ name: 'http', port: runtime.port, targetPort: 'http', protocol: 'TCP' }]);
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
      expect(deployment.spec.replicas).toBe(runtime.replicas);
    }
  });

  test.each(workflowIds)(
    '%s runs `praisonai serve agents` with its file, every interface and the port, each flag a contract fact',
    (id) => {
      const container = deploymentOf(id).spec.template.spec.containers[0];
      expect(container.image).toBe(`${runtime.image.repository}:${runtime.image.tag}`);
      // The image's entrypoint is praisonai (test/agents/runtime-image.test.ts); only arguments here.
      expect(container.command).toBeUndefined();
      expect(container.args).toEqual([
        'serve',
        'agents',
        '--file',
        `/etc/praisonai/${id}.yaml`,
        '--host',
        '0.0.0.0',
        '--port',
        String(runtime.port),
      ]);
      expect(contract.has('cliFlags', `${container.args[0]} ${container.args[1]}`)).toBe(true);
      for (const flag of container.args.filter((a: string) => a.startsWith('-')))
        expect({ flag, fact: contract.has('cliFlags', flag) }).toEqual({ flag, fact: true });
      expect(container.ports).toEqual([{ name: 'http', containerPort: runtime.port, protocol: 'TCP' }]);
    },
  );

  test.each(workflowIds)(
    '%s gets only variables PraisonAI reads: the gateway Service, its own key, the serve key, /tmp, no update check or telemetry',
    (id) => {
      const container = deploymentOf(id).spec.template.spec.containers[0];
      const vars = envOf(container);
      for (const name of Object.keys(vars)) expect({ name, fact: contract.has('envVars', name) }).toEqual({ name, fact: true });
      expect(container.envFrom).toBeUndefined();
      const gateway = endpointUrl(GATEWAY_ENDPOINT);
      expect(vars).toEqual({
        PRAISONAI_SERVE_API_KEY: secretRef(settings, runtime.apiKeyCredential),
        OPENAI_BASE_URL: gateway,
        OPENAI_API_BASE: gateway,
        OPENAI_API_KEY: secretRef(settings, workflowGatewayKeyCredential(id)),
        HOME: '/tmp',
        PRAISONAI_HOME: '/tmp/.praisonai',
        PRAISONAI_NO_UPDATE_CHECK: 'true',
        PRAISONAI_TELEMETRY_DISABLED: 'true',
        DO_NOT_TRACK: 'true',
        LOGLEVEL: settings.app.logLevel,
      });
    },
  );

  test.each(workflowIds)('%s is probed on PraisonAI’s public health path', (id) => {
    const container = deploymentOf(id).spec.template.spec.containers[0];
    const fact = contract.fact('httpPaths', 'GET /health');
    expect(fact.public).toBe(true);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
      expect(container[probe].httpGet).toMatchObject({ path: '/health', port: runtime.port });
  });

  test.each(workflowIds)('%s runs as the image’s user and writes only /tmp', (id) => {
    const pod = deploymentOf(id).spec.template.spec;
    const container = pod.containers[0];
    const imageUser = parseDockerfile(readRuntimeImageFiles(ROOT).dockerfile).user;
    expect(`${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`).toBe(imageUser);
    expect(pod.securityContext.runAsUser).toBe(AGENT_RUNTIME_USER);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
    const writable = container.volumeMounts.filter((m: any) => !m.readOnly);
    expect(writable.map((m: any) => m.mountPath)).toEqual(['/tmp']);
    expect(pod.volumes.find((v: any) => v.name === writable[0].name).emptyDir).toBeDefined();
    expect(contract.has('writablePaths', '/tmp')).toBe(true);
  });

  test.each(workflowIds)('%s mounts only its own workflow file, as a whole directory, and rolls when it changes', (id) => {
    const pod = deploymentOf(id).spec.template;
    const cm = workflowConfigMap(objects, id);
    expect(cm.immutable).toBe(true);
    expect(Object.keys(cm.data)).toEqual([workflowFileName(id)]);
    const volume = pod.spec.volumes.find((v: any) => v.configMap);
    expect(volume.configMap.name).toBe(cm.metadata.name);
    expect(pod.spec.containers[0].volumeMounts.find((m: any) => m.name === volume.name)).toEqual({
      name: volume.name,
      mountPath: WORKFLOW_FILE_DIR,
      readOnly: true,
    });
    expect(pod.metadata.annotations[WORKFLOW_VERSION_ANNOTATION]).toBe(cm.metadata.annotations?.['suoke.life/config-version']);
  });

  test.each(workflowIds)('%s gets at least the collaboration timeout to finish its runs when stopped', (id) => {
    const grace = deploymentOf(id).spec.template.spec.terminationGracePeriodSeconds;
    expect(grace).toBeGreaterThanOrEqual(durationSeconds(settings.agents.collaboration.timeout));
  });

  test.each(workflowIds)('%s reaches only the gateway; only API clients reach it; no scraping', (id) => {
    const pod = deploymentOf(id).spec.template;
    expect(pod.metadata.labels[AGENT_CLIENT_LABEL]).toBe('true');
    expect(Object.keys(pod.metadata.annotations).filter((a) => a.startsWith('prometheus.io/'))).toEqual([]);
    const policies = objects.filter(
      (o) =>
        o.kind === 'NetworkPolicy' &&
        Object.keys(o.spec.podSelector.matchLabels ?? {}).length > 0 &&
        selectorMatches(o.spec.podSelector, pod.metadata.labels),
    );
    const egress = policies.filter((p) => p.spec.policyTypes.includes('Egress')).flatMap((p) => p.spec.egress);
    expect(egress).toEqual([
      {
        to: [{ podSelector: { matchLabels: selectorLabels('litellm-gateway', env) } }],
        ports: [{ port: GATEWAY_ENDPOINT.portName, protocol: 'TCP' }],
      },
    ]);
    const ingress = policies.filter((p) => p.spec.policyTypes.includes('Ingress')).flatMap((p) => p.spec.ingress);
    expect(ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { [AGENT_API_CLIENT_LABEL]: 'true' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
  });

  test.each(workflowIds)('%s has a PodDisruptionBudget and spreads over nodes exactly when it runs 2+ pods', (id) => {
    const deployment = deploymentOf(id);
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === workflowAppName(id));
    if (runtime.replicas >= 2) {
      expect(pdb?.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
      expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    } else {
      expect(pdb).toBeUndefined();
    }
  });

  test('Prometheus has no job for agent pods (PraisonAI 4.7.0 serves no metrics)', () => {
    expect(contract.has('notProvided', '/metrics')).toBe(true);
    const config = yaml.load(findObject(env, 'ConfigMap', 'prometheus-config').data['prometheus.yml']) as any;
    expect(config.scrape_configs.map((j: any) => j.job_name)).not.toContain('agents');
  });
});

// The shipped sizing itself (a policy of the environments, not of the runtime renderer).
test('prod runs two pods per workflow; dev stays small enough for a laptop', () => {
  expect(loadEnvironment(CONFIG_DIR, 'prod').settings.agents.runtime.replicas).toBe(2);
  const dev = loadEnvironment(CONFIG_DIR, 'dev').settings.agents.runtime;
  expect(dev.replicas).toBe(1);
  expect(dev.resources.requests).toEqual({ cpu: '100m', memory: '256Mi' });
});

test('serveArgs never passes the API key as a flag (it would show in the pod spec)', () => {
  expect(serveArgs('alpha_flow', 8123)).not.toContain('--api-key');
});

describe('the workflows of fixture agents settings', () => {
  const objectsWith = (agentsOverrides: Overrides<AgentsSettings> = {}) =>
    renderEnvironment(loadWithGatewayAgentsFixture({}, agentsOverrides)).files.flatMap((f) => f.objects);
  const before = objectsWith();
  const deployment = (id: string, objects = before) =>
    objects.find((o) => o.kind === 'Deployment' && o.metadata.name === workflowAppName(id))!;

  test('image, port, replicas, resources and grace period come from agents.runtime and agents.collaboration', () => {
    const d = deployment('alpha_flow');
    const container = d.spec.template.spec.containers[0];
    expect(container.image).toBe('ghcr.io/suoke-life/suoke-agent-runtime:4.7.0-r1');
    expect(container.imagePullPolicy).toBe('Always');
    expect(container.args).toEqual(serveArgs('alpha_flow', 8123));
    expect(container.args.slice(-2)).toEqual(['--port', '8123']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8123, protocol: 'TCP' }]);
    expect(container.resources).toEqual({ requests: { cpu: '40m', memory: '80Mi' }, limits: { cpu: '400m', memory: '160Mi' } });
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(90);
    expect(envOf(container).PRAISONAI_SERVE_API_KEY).toEqual({ secretKeyRef: { name: 'fixture-keys', key: 'fixture-agent-api-key' } });
    expect(envOf(container).OPENAI_API_KEY).toEqual({ secretKeyRef: { name: 'fixture-keys', key: 'workflow-alpha-flow-gateway-key' } });
  });

  test('one pod: no PodDisruptionBudget', () => {
    const objects = objectsWith({ runtime: { replicas: 1 } });
    expect(deployment('beta_flow', objects).spec.replicas).toBe(1);
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === workflowAppName('beta_flow'))).toBe(false);
    expect(before.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === workflowAppName('beta_flow'))).toBe(true);
  });

  test('changing one workflow rolls only that workflow', () => {
    const after = objectsWith({ workflows: { beta_flow: { topic: 'A different default question.' } } });
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    const old = new Map(before.map((o) => [key(o), JSON.stringify(o)]));
    const now = new Map(after.map((o) => [key(o), JSON.stringify(o)]));
    const changed = [...new Set([...old.keys(), ...now.keys()])].filter((k) => old.get(k) !== now.get(k));
    const cm = (objects: readonly KubeObject[]) => `ConfigMap/${workflowConfigMap(objects, 'beta_flow').metadata.name}`;
    // The agent layer lists no workflow text, so only the workflow's ConfigMap (renamed) and its Deployment change.
    expect(changed.sort()).toEqual([cm(before), cm(after), `Deployment/${workflowAppName('beta_flow')}`].sort());
  });
});
