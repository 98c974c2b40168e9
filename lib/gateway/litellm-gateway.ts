import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { secondsOf } from '../config/fields';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { RedisCache } from '../cache';
import type { SpendStore } from '../database';
import type { ConfigLayers } from '../layers';
import { ClusterService } from '../platform/cluster-service';
import { Component } from '../platform/component';
import { Credentials } from '../platform/credentials';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { scrapeAnnotations } from '../platform/monitoring-contribution';
import { PlatformChart } from '../platform/platform-chart';
import { PodDisruptionBudget } from '../platform/pod-disruption-budget';
import { type NetworkPeer, type NetworkRule, PeerList, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { AgentKeyBootstrap, agentKeysPeer } from './agent-key-bootstrap';
import { agentModelGroups, type GatewayClients } from './agent-model-groups';
import type { GatewaySettings } from './config';
import { MIGRATE_DATABASE_PY, WAIT_FOR_DATABASE_PY } from './gateway-scripts';
import { litellmConfigYaml, renderLiteLlmConfig } from './litellm-config';
import { LITELLM_ENV } from './litellm-keys';
import { credentialEnvVar, minGatewayReplicas, providerEgressPorts, providerKeyCredentials } from './model-groups';

/** `app.kubernetes.io/name` of the gateway pods, and the name of its Deployment and NetworkPolicy. */
export const GATEWAY_NAME = 'litellm-gateway';

/** The LiteLLM gateway's Service: the one address every model call goes to. */
export const GATEWAY_ENDPOINT: ServiceEndpoint = { serviceName: 'litellm-gateway-service', port: 4000, portName: 'http' };

/** Where config.yaml is mounted: the whole directory, so ConfigMap updates are never hidden by a subPath. */
export const LITELLM_CONFIG_DIR = '/etc/litellm';
/** Where the helper scripts are mounted. */
const SCRIPTS_DIR = '/etc/litellm-scripts';
/**
 * The image's own user: `USER nobody` on wolfi-base, uid and gid 65534 (contracts/litellm,
 * facts `image.user` and `image.nobodyAccount`). Its baked files are owned by it.
 */
const LITELLM_UID = 65534;
/**
 * The one directory the migration step writes: LiteLLM copies its schema and migrations there
 * and records a baseline diff (`LITELLM_MIGRATION_DIR`, contracts/litellm `envVars`). Nothing is
 * mounted over `/app/.cache`: the Prisma CLI and engines are baked there and must stay visible.
 */
const MIGRATIONS_DIR = '/var/lib/litellm-migrations';

/** Properties of a LiteLlmGateway. */
export interface LiteLlmGatewayProps {
  /** The `gateway` section of the environment's config. */
  readonly settings: GatewaySettings;
  /** Who calls it: the callers' model names and the workflows' keys (from the agents). */
  readonly clients: GatewayClients;
  /** The configuration layers; the gateway reads the global one. */
  readonly layers: ConfigLayers;
  /** Its cache and shared router state: the gateway connects to it and is let in. */
  readonly cache: RedisCache;
  /** Its spend store: the gateway connects to it and is let in. */
  readonly database: SpendStore;
  /** The pods that scrape its metrics (Prometheus), let in on its port. */
  readonly scraper: NetworkPeer;
}

/**
 * The LiteLLM proxy: every model call of the agents goes through it.
 *
 * Start-up order of each pod (a new image or config rolls the pods, so this runs on every
 * upgrade, image-only ones included): `wait-for-database` blocks until the spend store accepts
 * connections (and fails after `gateway.databaseWait`); `migrate-database` applies
 * LiteLLM's Prisma migrations (idempotent; Prisma serialises concurrent runs with an advisory
 * lock) and exits 1 when they fail; then the proxy starts with `DISABLE_SCHEMA_UPDATE=true` and
 * receives traffic only once `/health/readiness` (which pings the database) answers. A failing
 * migration leaves the new pod in `Init:Error`, the rollout stalls, and the old pods keep serving.
 *
 * The root filesystem stays read-only and the pod runs as the image's own user. The image's
 * Prisma CLI and engines (`/app/.cache/prisma-python/binaries`), admin UI and schema are used
 * where the image bakes them; only `/tmp` and the migration step's directory are writable.
 * Every flag, variable and path is a fact of contracts/litellm/<tag>.yaml.
 */
export class LiteLlmGateway extends Component {
  /** The gateway Service. */
  public readonly service: ClusterService;
  /** Where clients reach the gateway. */
  public readonly endpoint: ServiceEndpoint = GATEWAY_ENDPOINT;
  /** The gateway pods, as a NetworkPolicy peer (for a client's egress). */
  public readonly peer: NetworkPeer;
  /** Credential id of the master key (the admin API and UI sign in with it). */
  public readonly masterKeyCredential: string;
  /** The config.yaml ConfigMap. */
  public readonly config: VersionedConfigMap;
  /** The callers' pods let in on the gateway port: each caller adds itself (`allowCaller`). */
  private readonly callers = new PeerList();

  constructor(scope: Construct, id: string, props: LiteLlmGatewayProps) {
    const g = props.settings;
    super(scope, id, { name: GATEWAY_NAME, component: 'gateway', version: g.image.tag });
    const environment = PlatformChart.of(this).environmentName;
    const credentials = Credentials.of(this);
    const layers = props.layers.consumer(this, ['global']);
    this.masterKeyCredential = g.masterKeyCredential;

    this.config = new VersionedConfigMap(this, 'Config', {
      baseName: 'litellm-config',
      data: { 'config.yaml': litellmConfigYaml(renderLiteLlmConfig(g, agentModelGroups(g, props.clients.callers))) },
    });
    const scripts = new VersionedConfigMap(this, 'Scripts', {
      baseName: 'litellm-scripts',
      data: { 'wait_for_database.py': WAIT_FOR_DATABASE_PY, 'migrate_database.py': MIGRATE_DATABASE_PY },
    });
    const configVolume = kplus.Volume.fromConfigMap(this, 'config-volume', this.config.configMap, { name: 'config' });
    const scriptsVolume = kplus.Volume.fromConfigMap(this, 'scripts-volume', scripts.configMap, { name: 'scripts' });
    const database = props.database.urlEnv(this);
    const providerKeys = Object.fromEntries(providerKeyCredentials(g).map((id) => [credentialEnvVar(id), credentials.env(this, id)]));
    const multiproc = g.metricsMultiprocessDir;

    const args = [
      '--config',
      `${LITELLM_CONFIG_DIR}/config.yaml`,
      '--port',
      String(GATEWAY_ENDPOINT.port),
      '--num_workers',
      String(g.numWorkers),
    ];
    const workload = new HardenedDeployment(this, 'Deployment', {
      name: GATEWAY_NAME,
      replicas: g.autoscaling ? undefined : g.replicas,
      spreadAcrossNodes: minGatewayReplicas(g) > 1,
      runAs: { user: LITELLM_UID, group: LITELLM_UID },
      // In-flight requests may take up to the routing timeout plus retries; uvicorn drains them on SIGTERM.
      terminationGracePeriod: Duration.seconds(90),
      podAnnotations: {
        ...scrapeAnnotations(GATEWAY_ENDPOINT.port, '/metrics/'),
        'suoke.life/litellm-config-version': this.config.version,
        'suoke.life/litellm-scripts-version': scripts.version,
        ...layers.annotations,
      },
      volumes: [configVolume, scriptsVolume],
      initContainers: [
        {
          name: 'wait-for-database',
          image: g.image,
          resources: g.helperResources,
          command: ['python', `${SCRIPTS_DIR}/wait_for_database.py`],
          env: { ...database, WAIT_SECONDS: kplus.EnvValue.fromValue(String(secondsOf(g.databaseWait))) },
          mounts: [{ path: SCRIPTS_DIR, volume: scriptsVolume }],
        },
        {
          // Upstream's own migration entry points exit 0 when a migration fails (contracts/litellm
          // migrations.upstreamScript); this script exits 1 unless LiteLLM reports success, so a
          // failed migration leaves the pod in Init:Error.
          name: 'migrate-database',
          image: g.image,
          resources: g.resources,
          command: ['python', `${SCRIPTS_DIR}/migrate_database.py`],
          env: { ...database, LITELLM_MIGRATION_DIR: kplus.EnvValue.fromValue(MIGRATIONS_DIR) },
          mounts: [{ path: SCRIPTS_DIR, volume: scriptsVolume }],
          scratch: [
            { path: MIGRATIONS_DIR, sizeLimit: '64Mi' },
            { path: '/tmp', sizeLimit: '64Mi' },
          ],
        },
      ],
      containers: [
        {
          name: 'litellm',
          image: g.image,
          resources: g.resources,
          args,
          ports: [{ name: GATEWAY_ENDPOINT.portName, number: GATEWAY_ENDPOINT.port }],
          env: {
            [LITELLM_ENV.masterKey]: credentials.env(this, g.masterKeyCredential),
            [LITELLM_ENV.saltKey]: credentials.env(this, g.saltKeyCredential),
            ...database,
            [LITELLM_ENV.redisHost]: kplus.EnvValue.fromValue(props.cache.endpoint.serviceName),
            [LITELLM_ENV.redisPort]: kplus.EnvValue.fromValue(String(props.cache.endpoint.port)),
            [LITELLM_ENV.redisPassword]: credentials.env(this, props.cache.passwordCredential),
            ...providerKeys,
            // Migrations ran in the init step; the proxy must not change the schema itself.
            DISABLE_SCHEMA_UPDATE: kplus.EnvValue.fromValue('true'),
            LITELLM_MODE: kplus.EnvValue.fromValue('PRODUCTION'),
            LITELLM_LOG: layers.env('global', 'LOG_LEVEL'),
            ...(multiproc ? { PROMETHEUS_MULTIPROC_DIR: kplus.EnvValue.fromValue(multiproc) } : {}),
          },
          mounts: [{ path: LITELLM_CONFIG_DIR, volume: configVolume }],
          scratch: [{ path: '/tmp', sizeLimit: '256Mi' }, ...(multiproc ? [{ path: multiproc, sizeLimit: '256Mi' }] : [])],
          // Never `/health`: it calls every configured model and costs tokens.
          startup: kplus.Probe.fromHttpGet('/health/readiness', {
            port: GATEWAY_ENDPOINT.port,
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 30,
          }),
          readiness: kplus.Probe.fromHttpGet('/health/readiness', {
            port: GATEWAY_ENDPOINT.port,
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 3,
          }),
          liveness: kplus.Probe.fromHttpGet('/health/liveliness', {
            port: GATEWAY_ENDPOINT.port,
            periodSeconds: Duration.seconds(15),
            timeoutSeconds: Duration.seconds(5),
            failureThreshold: 5,
          }),
        },
      ],
    });
    // Keep serving while the endpoint removal propagates, then let uvicorn drain on SIGTERM.
    ApiObject.of(workload.deployment).addJsonPatch(
      JsonPatch.add('/spec/template/spec/containers/0/lifecycle', {
        preStop: { exec: { command: ['python', '-c', 'import time; time.sleep(10)'] } },
      }),
    );

    if (g.autoscaling) {
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: GATEWAY_NAME },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: GATEWAY_NAME },
          minReplicas: g.autoscaling.minReplicas,
          maxReplicas: g.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: g.autoscaling.targetCpuUtilization } },
            },
          ],
        },
      });
    }
    if (minGatewayReplicas(g) > 1) {
      new PodDisruptionBudget(this, 'DisruptionBudget', { name: GATEWAY_NAME, selector: workload.selector });
    }

    this.service = new ClusterService(this, 'Service', {
      name: GATEWAY_ENDPOINT.serviceName,
      selector: workload.selector,
      ports: [{ name: GATEWAY_ENDPOINT.portName, port: GATEWAY_ENDPOINT.port }],
    });

    this.peer = { podLabels: workload.selector };
    const keyRegistration = agentKeysPeer(environment);
    const ingressNamespace = g.network.ingressControllerNamespace;
    const providers: NetworkRule = {
      peers: [{ cidr: g.network.providerEgress.cidr, except: g.network.providerEgress.except }],
      ports: providerEgressPorts(g).map((port) => ({ port })),
    };
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: GATEWAY_NAME,
      podLabels: workload.selector,
      ingress: [
        {
          peers: [
            this.callers,
            keyRegistration,
            props.scraper,
            ...(ingressNamespace ? [{ namespaceLabels: { 'kubernetes.io/metadata.name': ingressNamespace } }] : []),
          ],
          ports: [{ port: GATEWAY_ENDPOINT.port }],
        },
      ],
      egress: [{ peers: [props.cache.peer], ports: [{ port: props.cache.endpoint.port }] }, props.database.egress, providers],
    });
    // The gateway's own connections, let in at the other end.
    props.cache.allowClient(this.peer);
    props.database.allowClient(this.peer);

    new AgentKeyBootstrap(this, 'AgentKeys', {
      settings: g,
      workflows: props.clients.workflows,
      imageUser: LITELLM_UID,
      gateway: { endpoint: GATEWAY_ENDPOINT, peer: this.peer },
    });
  }

  /** Lets a caller's pods in on the gateway port (the policy admits only callers, its key registration and Prometheus). */
  public allowCaller(peer: NetworkPeer): void {
    this.callers.add(peer);
  }
}
