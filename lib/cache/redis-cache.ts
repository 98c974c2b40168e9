import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterService } from '../platform/cluster-service';
import { Component } from '../platform/component';
import { Credentials } from '../platform/credentials';
import { HardenedDeployment } from '../platform/hardened-deployment';
import { scrapeAnnotations } from '../platform/monitoring-contribution';
import { type NetworkPeer, PeerList, PodNetworkPolicy } from '../platform/pod-network-policy';
import type { ServiceEndpoint } from '../platform/service-endpoint';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import type { RedisSettings } from './config';
import {
  REDIS_ACL_DIR,
  REDIS_ACL_FILE,
  REDIS_ACL_PASSWORD_ENV,
  REDIS_DATA_DIR,
  REDIS_EXPORTER_LATENCY_ENV,
  REDIS_EXPORTER_USER,
  redisConfInput,
  renderRedisAclScript,
  renderRedisConf,
} from './redis-conf';

/** `app.kubernetes.io/name` of the Redis pods, and the name of its workload and NetworkPolicy. */
export const REDIS_NAME = 'redis';

/** The Redis cache's Service (the original name, `redis-service`). */
export const REDIS_ENDPOINT: ServiceEndpoint = { serviceName: 'redis-service', port: 6379, portName: 'redis', scheme: 'redis' };

/** Port of the redis_exporter sidecar. */
export const REDIS_EXPORTER_PORT = { name: 'metrics', number: 9121 } as const;

/** UID and GID of the `redis` user in the official image. */
const REDIS_UID = 999;
/** UID of the redis_exporter image (`USER 59000:59000`). */
const EXPORTER_UID = 59000;
const CONFIG_DIR = '/etc/redis';

/** Properties of a RedisCache. */
export interface RedisCacheProps {
  /** The `redis` section of the environment's config. */
  readonly settings: RedisSettings;
  /** The pods that scrape the exporter (Prometheus), let in on its port. */
  readonly scraper: NetworkPeer;
}

/**
 * Redis as the gateway's response cache and shared router state: one pod of the official image
 * (a cache needs no replicas), redis.conf from a hashed ConfigMap (pods roll when it changes),
 * users from an ACL file written at start from Secrets, probes that fail on auth errors, a
 * redis_exporter sidecar, and a NetworkPolicy admitting only the gateway, the agents and Prometheus.
 */
export class RedisCache extends Component {
  /** The Redis Service. */
  public readonly service: ClusterService;
  /** Where clients reach Redis. */
  public readonly endpoint: ServiceEndpoint = REDIS_ENDPOINT;
  /** The Redis pods, as a NetworkPolicy peer (for a client's egress). */
  public readonly peer: NetworkPeer;
  /** Credential id of the password of the `default` user, the one clients use. */
  public readonly passwordCredential: string;
  /** The pods let in on the Redis port: each client adds itself (`allowClient`). */
  private readonly clients = new PeerList();

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    const s = props.settings;
    super(scope, id, { name: REDIS_NAME, component: 'cache', version: s.image.tag });
    const credentials = Credentials.of(this);
    this.passwordCredential = s.passwordCredential;

    const config = new VersionedConfigMap(this, 'Config', {
      baseName: 'redis-config',
      data: {
        'redis.conf': renderRedisConf(redisConfInput(s, REDIS_ENDPOINT.port)),
        'write-acl.sh': renderRedisAclScript(),
      },
    });
    const configVolume = kplus.Volume.fromConfigMap(this, 'config-volume', config.configMap, { name: 'config' });
    const aclVolume = kplus.Volume.fromEmptyDir(this, 'acl-volume', 'acl', {
      medium: kplus.EmptyDirMedium.MEMORY,
      sizeLimit: Size.mebibytes(1),
    });
    const ping = ['redis-cli', '-e', '-h', '127.0.0.1', '-p', String(REDIS_ENDPOINT.port), 'ping'];

    const workload = new HardenedDeployment(this, 'Deployment', {
      name: REDIS_NAME,
      replicas: 1,
      runAs: { user: REDIS_UID, group: REDIS_UID },
      podAnnotations: { ...scrapeAnnotations(REDIS_EXPORTER_PORT.number, '/metrics'), 'suoke.life/redis-config-version': config.version },
      volumes: [configVolume, aclVolume],
      initContainers: [
        {
          name: 'write-acl',
          image: s.image,
          resources: s.exporter.resources,
          command: ['sh', `${CONFIG_DIR}/write-acl.sh`, REDIS_ACL_FILE],
          env: {
            [REDIS_ACL_PASSWORD_ENV.default]: credentials.env(this, s.passwordCredential),
            [REDIS_ACL_PASSWORD_ENV[REDIS_EXPORTER_USER]]: credentials.env(this, s.exporterPasswordCredential),
          },
          mounts: [
            { path: CONFIG_DIR, volume: configVolume },
            { path: REDIS_ACL_DIR, volume: aclVolume, readOnly: false },
          ],
        },
      ],
      containers: [
        {
          name: 'redis',
          image: s.image,
          resources: s.resources,
          command: ['redis-server', `${CONFIG_DIR}/redis.conf`],
          ports: [{ name: REDIS_ENDPOINT.portName, number: REDIS_ENDPOINT.port }],
          // redis-cli reads the password from REDISCLI_AUTH (never from its arguments). `-e` makes
          // it exit non-zero when the reply is an error: a plain `ping` exits 0 on NOAUTH.
          env: { REDISCLI_AUTH: credentials.env(this, s.passwordCredential) },
          mounts: [
            { path: CONFIG_DIR, volume: configVolume },
            { path: REDIS_ACL_DIR, volume: aclVolume },
          ],
          scratch: [{ path: REDIS_DATA_DIR, sizeLimit: '64Mi' }],
          readiness: kplus.Probe.fromCommand(ping, {
            periodSeconds: Duration.seconds(5),
            timeoutSeconds: Duration.seconds(2),
            failureThreshold: 3,
          }),
          liveness: kplus.Probe.fromCommand(ping, {
            periodSeconds: Duration.seconds(10),
            timeoutSeconds: Duration.seconds(3),
            failureThreshold: 5,
          }),
        },
        {
          name: 'exporter',
          image: s.exporter.image,
          resources: s.exporter.resources,
          user: EXPORTER_UID,
          ports: [REDIS_EXPORTER_PORT],
          env: {
            REDIS_ADDR: kplus.EnvValue.fromValue(`redis://127.0.0.1:${REDIS_ENDPOINT.port}`),
            REDIS_USER: kplus.EnvValue.fromValue(REDIS_EXPORTER_USER),
            REDIS_PASSWORD: credentials.env(this, s.exporterPasswordCredential),
            ...Object.fromEntries(Object.entries(REDIS_EXPORTER_LATENCY_ENV).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
          },
          readiness: kplus.Probe.fromHttpGet('/health', { port: REDIS_EXPORTER_PORT.number, periodSeconds: Duration.seconds(10) }),
          liveness: kplus.Probe.fromHttpGet('/health', {
            port: REDIS_EXPORTER_PORT.number,
            periodSeconds: Duration.seconds(20),
            failureThreshold: 5,
          }),
        },
      ],
    });

    this.service = new ClusterService(this, 'Service', {
      name: REDIS_ENDPOINT.serviceName,
      selector: workload.selector,
      ports: [
        { name: REDIS_ENDPOINT.portName, port: REDIS_ENDPOINT.port },
        { name: REDIS_EXPORTER_PORT.name, port: REDIS_EXPORTER_PORT.number },
      ],
    });

    this.peer = { podLabels: workload.selector };

    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: REDIS_NAME,
      podLabels: workload.selector,
      ingress: [
        { peers: [this.clients], ports: [{ port: REDIS_ENDPOINT.port }] },
        { peers: [props.scraper], ports: [{ port: REDIS_EXPORTER_PORT.number }] },
      ],
    });
  }

  /** Lets a client's pods in on the Redis port (the policy admits nobody else). */
  public allowClient(peer: NetworkPeer): void {
    this.clients.add(peer);
  }
}
