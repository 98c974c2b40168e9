import { Duration } from 'cdk8s';
import { secondsOf } from '../config/fields';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Credentials } from '../platform/credentials';
import { imageReference } from '../platform/hardened-container';
import { HardenedJob } from '../platform/hardened-job';
import { PlatformChart } from '../platform/platform-chart';
import { selectorLabels } from '../platform/labels';
import { type NetworkPeer, PodNetworkPolicy } from '../platform/pod-network-policy';
import { endpointUrl, type ServiceEndpoint } from '../platform/service-endpoint';
import { contentVersion, VersionedConfigMap } from '../platform/versioned-config-map';
import type { GatewayWorkflow } from './agent-model-groups';
import type { GatewaySettings } from './config';
import { REGISTER_AGENT_KEYS_PY, workflowKeyRegistrations } from './gateway-scripts';
import { LITELLM_ENV } from './litellm-keys';

/** `app.kubernetes.io/name` of the registration job's pods (its Job name adds a content hash). */
export const AGENT_KEYS_NAME = 'litellm-agent-keys';

/** The registration job's pods in an environment, as a NetworkPolicy peer (the gateway lets them in). */
export function agentKeysPeer(environment: string): NetworkPeer {
  return { podLabels: selectorLabels(AGENT_KEYS_NAME, environment) };
}

const SCRIPT_DIR = '/etc/litellm-agent-keys';

/** Properties of an AgentKeyBootstrap. */
export interface AgentKeyBootstrapProps {
  /** The `gateway` section of the environment's config. */
  readonly settings: GatewaySettings;
  /** The workflows whose keys it registers (from the agents). */
  readonly workflows: readonly GatewayWorkflow[];
  /** The user id of the gateway image the job runs (its own user). */
  readonly imageUser: number;
  /** The gateway it registers the keys with: its Service and its pods. */
  readonly gateway: { readonly endpoint: ServiceEndpoint; readonly peer: NetworkPeer };
}

/**
 * Per-workflow attribution: registers one LiteLLM virtual key per workflow, whose alias is the
 * workflow id (`api_key_alias` in the gateway's metrics and spend logs) and whose budget comes from
 * `gateway.workflowKeys`. The key values are generated out of band and stored in Secrets the
 * workflow pods also read, so the job needs no RBAC. Its name carries a hash of what it registers
 * and of the image, so a changed budget or upgrade runs it again, while re-applying unchanged
 * manifests does not.
 */
export class AgentKeyBootstrap extends Construct {
  /** The Job's name. */
  public readonly jobName: string;

  constructor(scope: Construct, id: string, props: AgentKeyBootstrapProps) {
    super(scope, id);
    const g = props.settings;
    const gateway = props.gateway.endpoint;
    const credentials = Credentials.of(this);
    const registrations = workflowKeyRegistrations(g, props.workflows);
    const script = new VersionedConfigMap(this, 'Script', {
      baseName: AGENT_KEYS_NAME,
      data: { 'register_agent_keys.py': REGISTER_AGENT_KEYS_PY, 'keys.json': `${JSON.stringify(registrations, null, 2)}\n` },
    });
    const scriptVolume = kplus.Volume.fromConfigMap(this, 'script-volume', script.configMap, { name: 'script' });
    this.jobName = `${AGENT_KEYS_NAME}-${contentVersion({ script: script.version, image: imageReference(g.image) })}`;
    new HardenedJob(this, 'Job', {
      name: this.jobName,
      appName: AGENT_KEYS_NAME,
      runAs: { user: props.imageUser, group: props.imageUser },
      backoffLimit: 4,
      activeDeadline: Duration.seconds(secondsOf(g.keyBootstrapWait) + 600),
      volumes: [scriptVolume],
      containers: [
        {
          name: 'register',
          image: g.image,
          resources: g.helperResources,
          command: ['python', `${SCRIPT_DIR}/register_agent_keys.py`],
          env: {
            GATEWAY_URL: kplus.EnvValue.fromValue(endpointUrl(gateway)),
            KEYS_FILE: kplus.EnvValue.fromValue(`${SCRIPT_DIR}/keys.json`),
            WAIT_SECONDS: kplus.EnvValue.fromValue(String(secondsOf(g.keyBootstrapWait))),
            [LITELLM_ENV.masterKey]: credentials.env(this, g.masterKeyCredential),
            ...Object.fromEntries(registrations.map((r) => [r.keyEnv, credentials.env(this, r.credential)])),
          },
          mounts: [{ path: SCRIPT_DIR, volume: scriptVolume }],
          scratch: [{ path: '/tmp', sizeLimit: '16Mi' }],
        },
      ],
    });
    new PodNetworkPolicy(this, 'NetworkPolicy', {
      name: AGENT_KEYS_NAME,
      podLabels: agentKeysPeer(PlatformChart.of(this).environmentName).podLabels!,
      egress: [{ peers: [props.gateway.peer], ports: [{ port: gateway.port }] }],
    });
  }
}
