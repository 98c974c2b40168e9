import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { durationSeconds } from '../config/fields';
import { ClusterService } from '../platform/cluster-service';
import { Credentials } from '../platform/credentials';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { PodDisruptionBudget } from '../platform/pod-disruption-budget';
import { type NetworkPeer, type NetworkRule, PodNetworkPolicy } from '../platform/pod-network-policy';
import { endpointUrl, type ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { workflowSlug } from './agent-identities';
import { AGENT_CLIENT_LABEL } from './agent-monitoring';
import type { AgentsSettings } from './config';
import { agentsYamlText, renderAgentsFile, workflowFileName } from './render-agents-yaml';
import { AGENT_RUNTIME_USER, RUNTIME_WRITABLE_DIR } from './runtime-image';

/**
 * Names of a workflow's objects. PraisonAI 4.7.0 serves exactly one agents.yaml per process
 * (contracts/praisonai/4.7.0.yaml, cliFlags."serve agents"), so each workflow of
 * `agents.workflows` runs as its own Deployment behind its own Service, named after its id.
 */

/** The longest workflow id whose names (`workflow-<id>-service`, `workflow-<id>-gateway-key`) stay DNS labels. */
export const MAX_WORKFLOW_ID_LENGTH = 42;

/** Deployment name of a workflow (and `app.kubernetes.io/name` of its pods): `workflow-<slug>`. */
export function workflowAppName(workflowId: string): string {
  return `workflow-${workflowSlug(workflowId)}`;
}

/** The Service of a workflow: `workflow-<slug>-service` on the runtime's port, port name `http`. */
export function workflowEndpoint(workflowId: string, port: number): ServiceEndpoint {
  return { serviceName: `${workflowAppName(workflowId)}-service`, port, portName: 'http' };
}

/** Label of the pods allowed to call the workflows' APIs (give it to your API or adapter pods). */
export const AGENT_API_CLIENT_LABEL = 'suoke.life/agent-api-client';
/** Where a workflow's ConfigMap (its one agents.yaml) is mounted, as a whole directory. */
export const WORKFLOW_FILE_DIR = '/etc/praisonai';
/** Pod annotation recording the version of the workflow file the pods run. */
export const WORKFLOW_VERSION_ANNOTATION = 'suoke.life/config-version-workflow';
/** PraisonAI's public health path (contracts/praisonai/4.7.0.yaml, httpPaths."GET /health"). */
export const RUNTIME_HEALTH_PATH = '/health';
/** Extra seconds a stopping pod gets beyond the collaboration timeout. */
const SHUTDOWN_MARGIN_SECONDS = 30;

/** The path of a workflow's agents.yaml inside its pods. */
export function workflowFilePath(workflowId: string): string {
  return `${WORKFLOW_FILE_DIR}/${workflowFileName(workflowId)}`;
}

/**
 * The container arguments (after the image's `praisonai` entrypoint): `serve agents` with the
 * workflow's file, every interface and the runtime's port (contracts/praisonai/4.7.0.yaml,
 * cliFlags). The API key is not a flag: flag values show in the process list and the pod spec,
 * so it comes from PRAISONAI_SERVE_API_KEY.
 */
export function serveArgs(workflowId: string, port: number): string[] {
  return ['serve', 'agents', '--file', workflowFilePath(workflowId), '--host', '0.0.0.0', '--port', String(port)];
}

/**
 * Seconds a stopping workflow pod is given: the collaboration timeout (how long one run may take)
 * plus a margin, so a rolling update or a drain does not cut runs short that are within it.
 */
export function terminationGraceSeconds(agents: AgentsSettings): number {
  return durationSeconds(agents.collaboration.timeout) + SHUTDOWN_MARGIN_SECONDS;
}

/** Properties of a WorkflowRuntime. */
export interface WorkflowRuntimeProps {
  /** The workflow's id, a key of `agents.workflows`. */
  readonly workflowId: string;
  /** The agents section of the environment. */
  readonly agents: AgentsSettings;
  /** Log level of the environment (`app.logLevel`), as PraisonAI's LOGLEVEL. */
  readonly logLevel: string;
  /** The gateway every model call goes to: its Service and its pods (the only egress). */
  readonly gateway: { readonly endpoint: ServiceEndpoint; readonly peer: NetworkPeer };
  /** Credential id of the workflow's own gateway key (the gateway names it). */
  readonly gatewayKeyCredential: string;
}

/**
 * One workflow served by PraisonAI: `praisonai serve agents --file /etc/praisonai/<id>.yaml
 * --host 0.0.0.0 --port <port>` in the agent runtime image, behind `workflow-<id>-service`.
 *
 * - The workflow's agents.yaml is its own immutable, content-hashed ConfigMap, so a changed
 *   workflow rolls only its own pods.
 * - Every model call goes to the gateway Service (OPENAI_BASE_URL and OPENAI_API_BASE, both read
 *   by PraisonAI) with the workflow's own virtual key (OPENAI_API_KEY, one per process), whose
 *   alias is the workflow id.
 * - Clients present the serve API key (PRAISONAI_SERVE_API_KEY); without one PraisonAI refuses to
 *   bind to 0.0.0.0. `/health` is public and static, and serves the probes.
 * - It writes only under /tmp (HOME and PRAISONAI_HOME), with the update check and telemetry off.
 * Every variable is one PraisonAI reads (contracts/praisonai/4.7.0.yaml, envVars); nothing of the
 * config layers is injected, since PraisonAI reads none of it.
 */
export class WorkflowRuntime extends Construct {
  /** The workflow's ConfigMap. */
  public readonly file: VersionedConfigMap;
  /** The Deployment. */
  public readonly workload: HardenedDeployment;
  /** The Service. */
  public readonly service: ClusterService;
  /** Where clients reach the workflow's API. */
  public readonly endpoint: ServiceEndpoint;

  constructor(scope: Construct, id: string, props: WorkflowRuntimeProps) {
    super(scope, id);
    const credentials = Credentials.of(this);
    const runtime = props.agents.runtime;
    const name = workflowAppName(props.workflowId);
    const endpoint = workflowEndpoint(props.workflowId, runtime.port);
    this.endpoint = endpoint;
    const gatewayUrl = endpointUrl(props.gateway.endpoint);
    const value = (v: string) => kplus.EnvValue.fromValue(v);

    this.file = new VersionedConfigMap(this, 'File', {
      baseName: `workflow-${workflowSlug(props.workflowId)}`,
      data: { [workflowFileName(props.workflowId)]: agentsYamlText(renderAgentsFile(props.agents, props.workflowId)) },
    });
    const volume = kplus.Volume.fromConfigMap(this, 'file-volume', this.file.configMap, { name: 'workflow' });
    const health = (overrides: Partial<kplus.HttpGetProbeOptions>) =>
      kplus.Probe.fromHttpGet(RUNTIME_HEALTH_PATH, { port: runtime.port, timeoutSeconds: Duration.seconds(5), ...overrides });

    this.workload = new HardenedDeployment(this, 'Deployment', {
      name,
      replicas: runtime.replicas,
      spreadAcrossNodes: runtime.replicas > 1,
      runAs: { user: AGENT_RUNTIME_USER, group: AGENT_RUNTIME_USER },
      // The gateway's NetworkPolicy admits pods with this label (lib/agents/agents-chart.ts).
      podLabels: { [AGENT_CLIENT_LABEL]: 'true' },
      podAnnotations: { [WORKFLOW_VERSION_ANNOTATION]: this.file.version },
      terminationGracePeriod: Duration.seconds(terminationGraceSeconds(props.agents)),
      containers: [
        {
          name: 'praisonai',
          image: runtime.image,
          resources: runtime.resources,
          ports: [{ name: endpoint.portName, number: runtime.port }],
          args: serveArgs(props.workflowId, runtime.port),
          env: {
            PRAISONAI_SERVE_API_KEY: credentials.env(this, runtime.apiKeyCredential),
            // The wrapper reads OPENAI_BASE_URL first, the agents' client OPENAI_API_BASE: both,
            // so no call can fall back to api.openai.com (egress would block it anyway).
            OPENAI_BASE_URL: value(gatewayUrl),
            OPENAI_API_BASE: value(gatewayUrl),
            OPENAI_API_KEY: credentials.env(this, props.gatewayKeyCredential),
            HOME: value(RUNTIME_WRITABLE_DIR),
            PRAISONAI_HOME: value(`${RUNTIME_WRITABLE_DIR}/.praisonai`),
            // The update check would call the package index and write state; telemetry could not
            // leave the namespace anyway, and switching it off saves the timeouts.
            PRAISONAI_NO_UPDATE_CHECK: value('true'),
            PRAISONAI_TELEMETRY_DISABLED: value('true'),
            DO_NOT_TRACK: value('true'),
            LOGLEVEL: value(props.logLevel),
          },
          mounts: [{ path: WORKFLOW_FILE_DIR, volume }],
          scratch: [{ path: RUNTIME_WRITABLE_DIR, sizeLimit: '256Mi' }],
          // Importing PraisonAI and its model clients takes a while on a cold start.
          startup: health({ periodSeconds: Duration.seconds(5), failureThreshold: 24 }),
          readiness: health({ periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          liveness: health({ periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
        },
      ],
    });
    const selector = this.workload.selector;

    this.service = new ClusterService(this, 'Service', {
      name: endpoint.serviceName,
      selector,
      ports: [{ name: endpoint.portName, port: endpoint.port }],
    });

    const callers = [
      { podLabels: { [AGENT_API_CLIENT_LABEL]: 'true' } },
      ...(props.agents.network.ingressControllerNamespace
        ? [{ namespaceLabels: { 'kubernetes.io/metadata.name': props.agents.network.ingressControllerNamespace } }]
        : []),
    ];
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name,
      podLabels: selector,
      ingress: [{ peers: callers, ports: [{ port: endpoint.portName }] }],
      egress: workflowEgressRules(props.gateway),
    });

    if (runtime.replicas >= 2) new PodDisruptionBudget(this, 'DisruptionBudget', { name, selector });
  }
}

/**
 * Where a workflow pod may connect: the gateway, on its named port (DNS is allowed namespace-wide
 * by the baseline). No provider, no internet: every model call goes through the gateway.
 */
export function workflowEgressRules(gateway: WorkflowRuntimeProps['gateway']): NetworkRule[] {
  return [{ peers: [gateway.peer], ports: [{ port: gateway.endpoint.portName }] }];
}
