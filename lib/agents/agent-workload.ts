import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageConfig, ResourcesConfig } from '../config/fields';
import { REDIS_ENDPOINT } from '../cache/endpoint';
import { GATEWAY_ENDPOINT } from '../gateway/endpoint';
import { scrapeAnnotations, workloadPeer } from '../gateway/peers';
import { ConfigLayers } from '../layers/config-layers';
import { Credentials } from '../layers/credentials';
import { ClusterService } from '../platform/cluster-service';
import type { DirectoryMount } from '../platform/hardened-container';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { PlatformChart } from '../platform/platform-chart';
import { PodDisruptionBudget } from '../platform/pod-disruption-budget';
import { NetworkRule, PodNetworkPolicy } from '../platform/pod-network-policy';
import { endpointUrl, ServiceEndpoint } from '../platform/service-endpoint';
import { AGENT_CLIENT_LABEL } from './agent-monitoring';

/** Label of the pods allowed to call the orchestrator and the agent services. */
export const AGENT_API_CLIENT_LABEL = 'suoke.life/agent-api-client';

/** Path of the agent metric contract (lib/agents/agent-monitoring.ts), served on the HTTP port. */
export const AGENT_METRICS_PATH = '/metrics';

/** The user every agent container runs as (the images' non-root user). */
const AGENT_USER = 10001;

/** Properties of an AgentWorkload. */
export interface AgentWorkloadProps {
  /** Deployment name, also `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  /** The Service in front of the pods: its name, port and port name. */
  readonly endpoint: ServiceEndpoint;
  /** Pinned image. */
  readonly image: ImageConfig;
  /** Requests and limits. */
  readonly resources: ResourcesConfig;
  /** Pods; 2 or more get a PodDisruptionBudget and are spread over nodes. */
  readonly replicas: number;
  /** Container port of the HTTP API, `/health` and `/metrics`. */
  readonly containerPort: number;
  /** Credential id of the workload's own gateway virtual key (`OPENAI_API_KEY`). */
  readonly gatewayKeyCredential: string;
  /**
   * Environment variables besides the gateway, Redis and listen address.
   * @default - none
   */
  readonly env?: Readonly<Record<string, kplus.EnvValue>>;
  /**
   * Volumes mounted as directories, read-only.
   * @default - none
   */
  readonly mounts?: readonly DirectoryMount[];
  /**
   * Pod annotations besides the scrape and config-layer ones (e.g. a config version).
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Namespace of an ingress controller allowed to call the API.
   * @default - none: only labelled client pods
   */
  readonly ingressControllerNamespace?: string;
}

/**
 * The common shape of every agent workload (the orchestrator and each per-agent service): a
 * hardened Deployment that calls models only through the gateway, with its own virtual key, keeps
 * shared knowledge in Redis, reads the global and agent config layers, is scraped for the agent
 * metric contract, and may reach nothing but the gateway, Redis and DNS. Its Service, its
 * NetworkPolicy and, with 2+ replicas, a PodDisruptionBudget come with it.
 */
export class AgentWorkload extends Construct {
  /** The Deployment. */
  public readonly workload: HardenedDeployment;
  /** The Service. */
  public readonly service: ClusterService;

  constructor(scope: Construct, id: string, props: AgentWorkloadProps) {
    super(scope, id);
    const chart = PlatformChart.of(this);
    const settings = chart.environment.settings;
    const credentials = Credentials.of(this);
    // Agents read the global and agent layers; the security layer gives their API its CORS
    // origins, JWT lifetime and rate limits.
    const layers = ConfigLayers.of(this).consumer(this, ['global', 'agent', 'security']);
    const gatewayUrl = endpointUrl(GATEWAY_ENDPOINT);
    const port = props.endpoint.portName;
    const health = (overrides: Partial<kplus.HttpGetProbeOptions>) =>
      kplus.Probe.fromHttpGet('/health', { port: props.containerPort, timeoutSeconds: Duration.seconds(5), ...overrides });

    this.workload = new HardenedDeployment(this, 'deployment', {
      name: props.name,
      replicas: props.replicas,
      spreadAcrossNodes: props.replicas > 1,
      runAs: { user: AGENT_USER, group: AGENT_USER },
      // The gateway's and Redis's NetworkPolicies admit pods with this label.
      podLabels: { [AGENT_CLIENT_LABEL]: 'true' },
      podAnnotations: {
        ...scrapeAnnotations(props.containerPort, AGENT_METRICS_PATH),
        ...layers.annotations,
        ...props.podAnnotations,
      },
      containers: [
        {
          name: props.name,
          image: props.image,
          resources: props.resources,
          ports: [{ name: port, number: props.containerPort }],
          envFrom: layers.envFrom(),
          env: {
            // PraisonAI's wrapper reads OPENAI_BASE_URL, its agents OPENAI_API_BASE: set both,
            // so no call can fall back to api.openai.com (egress would block it anyway).
            OPENAI_BASE_URL: kplus.EnvValue.fromValue(gatewayUrl),
            OPENAI_API_BASE: kplus.EnvValue.fromValue(gatewayUrl),
            OPENAI_API_KEY: credentials.env(this, props.gatewayKeyCredential),
            REDIS_PASSWORD: credentials.env(this, settings.redis.passwordCredential),
            HOST: kplus.EnvValue.fromValue('0.0.0.0'),
            PORT: kplus.EnvValue.fromValue(String(props.containerPort)),
            HOME: kplus.EnvValue.fromValue('/tmp'),
            // Telemetry could not leave the namespace anyway; switching it off saves the timeouts.
            PRAISONAI_TELEMETRY_DISABLED: kplus.EnvValue.fromValue('true'),
            DO_NOT_TRACK: kplus.EnvValue.fromValue('true'),
            ...props.env,
          },
          mounts: props.mounts,
          // Python writes caches and PraisonAI its local memory files; the root stays read-only.
          scratch: [{ path: '/tmp', sizeLimit: '256Mi' }],
          // Importing PraisonAI and its model clients takes a while on a cold start.
          startup: health({ periodSeconds: Duration.seconds(5), failureThreshold: 24 }),
          readiness: health({ periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
          liveness: health({ periodSeconds: Duration.seconds(20), failureThreshold: 3 }),
        },
      ],
    });
    const selector = this.workload.selector;

    this.service = new ClusterService(this, 'service', {
      name: props.endpoint.serviceName,
      selector,
      ports: [{ name: port, port: props.endpoint.port }],
    });

    const callers = [
      { podLabels: { [AGENT_API_CLIENT_LABEL]: 'true' } },
      ...(props.ingressControllerNamespace ? [{ namespaceLabels: { 'kubernetes.io/metadata.name': props.ingressControllerNamespace } }] : []),
    ];
    new PodNetworkPolicy(this, 'network-policy', {
      name: props.name,
      podLabels: selector,
      ingress: agentIngressRules(chart.environmentName, port, callers),
      egress: agentEgressRules(chart.environmentName),
    });

    if (props.replicas >= 2) new PodDisruptionBudget(this, 'disruption-budget', { name: props.name, selector });
  }
}

/** Who may reach an agent workload: its API callers, and Prometheus for `/metrics` (same port). */
export function agentIngressRules(environment: string, port: string, callers: NetworkRule['peers']): NetworkRule[] {
  return [
    { peers: callers, ports: [{ port }] },
    { peers: [workloadPeer('prometheus', environment)], ports: [{ port }] },
  ];
}

/**
 * Where an agent workload may connect: the gateway and Redis, each on its named port (DNS is
 * allowed namespace-wide by the baseline). No provider, no internet: every model call goes
 * through the gateway.
 */
export function agentEgressRules(environment: string): NetworkRule[] {
  return [
    { peers: [workloadPeer('gateway', environment)], ports: [{ port: GATEWAY_ENDPOINT.portName }] },
    { peers: [workloadPeer('redis', environment)], ports: [{ port: REDIS_ENDPOINT.portName }] },
  ];
}
