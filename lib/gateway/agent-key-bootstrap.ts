import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { EnvironmentSettings } from '../config/schema';
import { Credentials } from '../layers/credentials';
import { HardenedJob } from '../platform/hardened-job';
import { imageReference } from '../platform/hardened-container';
import { PlatformChart } from '../platform/platform-chart';
import { PodNetworkPolicy } from '../platform/pod-network-policy';
import { endpointUrl } from '../platform/service-endpoint';
import { contentVersion, VersionedConfigMap } from '../platform/versioned-config-map';
import { GATEWAY_ENDPOINT } from './endpoint';
import { REGISTER_AGENT_KEYS_PY, workflowKeyRegistrations } from './gateway-scripts';
import { LITELLM_ENV } from './litellm-keys';
import { WORKLOAD_NAMES, workloadPeer } from './peers';

const SCRIPT_DIR = '/etc/litellm-agent-keys';

/** Properties of an AgentKeyBootstrap. */
export interface AgentKeyBootstrapProps {
  /** The environment's settings (gateway, agents and credentials sections). */
  readonly settings: EnvironmentSettings;
  /** The user id of the gateway image the job runs (its own user). */
  readonly imageUser: number;
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
    const g = props.settings.gateway;
    const environment = PlatformChart.of(this).environmentName;
    const credentials = Credentials.of(this);
    const registrations = workflowKeyRegistrations(props.settings);
    const script = new VersionedConfigMap(this, 'script', {
      baseName: WORKLOAD_NAMES.agentKeys,
      data: { 'register_agent_keys.py': REGISTER_AGENT_KEYS_PY, 'keys.json': `${JSON.stringify(registrations, null, 2)}\n` },
    });
    const scriptVolume = kplus.Volume.fromConfigMap(this, 'script-volume', script.configMap, { name: 'script' });
    this.jobName = `${WORKLOAD_NAMES.agentKeys}-${contentVersion({ script: script.version, image: imageReference(g.image) })}`;
    new HardenedJob(this, 'job', {
      name: this.jobName,
      appName: WORKLOAD_NAMES.agentKeys,
      runAs: { user: props.imageUser, group: props.imageUser },
      backoffLimit: 4,
      activeDeadline: Duration.seconds(g.keyBootstrapWaitSeconds + 600),
      volumes: [scriptVolume],
      containers: [
        {
          name: 'register',
          image: g.image,
          resources: g.helperResources,
          command: ['python', `${SCRIPT_DIR}/register_agent_keys.py`],
          env: {
            GATEWAY_URL: kplus.EnvValue.fromValue(endpointUrl(GATEWAY_ENDPOINT)),
            KEYS_FILE: kplus.EnvValue.fromValue(`${SCRIPT_DIR}/keys.json`),
            WAIT_SECONDS: kplus.EnvValue.fromValue(String(g.keyBootstrapWaitSeconds)),
            [LITELLM_ENV.masterKey]: credentials.env(this, g.masterKeyCredential),
            ...Object.fromEntries(registrations.map((r) => [r.keyEnv, credentials.env(this, r.credential)])),
          },
          mounts: [{ path: SCRIPT_DIR, volume: scriptVolume }],
          scratch: [{ path: '/tmp', sizeLimit: '16Mi' }],
        },
      ],
    });
    new PodNetworkPolicy(this, 'network-policy', {
      name: WORKLOAD_NAMES.agentKeys,
      podLabels: workloadPeer('agentKeys', environment).podLabels!,
      egress: [{ peers: [workloadPeer('gateway', environment)], ports: [{ port: GATEWAY_ENDPOINT.port }] }],
    });
  }
}
