import { Construct } from 'constructs';
import type { RedisCache } from '../cache';
import type { EnvironmentConfig } from '../config/load-environment';
import { type LiteLlmGateway, workflowGatewayKeyCredential } from '../gateway';
import type { AppSettings } from '../layers';
import { Component } from '../platform/component';
import { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';
import type { NetworkPeer } from '../platform/pod-network-policy';
import { AGENT_CLIENT_LABEL } from './agent-monitoring';
import type { AgentsSettings } from './config';
import { WorkflowRuntime, workflowAppName } from './workflow-runtime';

/** `app.kubernetes.io/component` of every agent workload (the original `component=agent`). */
export const AGENT_COMPONENT = 'agent';

/** What the agents chart reads: their section, and the log level of the environment. */
export type AgentsChartReads = PlatformSettings & { readonly agents: AgentsSettings; readonly app: Pick<AppSettings, 'logLevel'> };

/** Properties of an AgentsChart. */
export interface AgentsChartProps {
  /** The gateway every model call goes to; it lets the workflow pods in. */
  readonly gateway: LiteLlmGateway;
  /** The agents' shared knowledge store (`agents.knowledge.backend: redis`); it lets the workflow pods in. */
  readonly knowledgeStore: RedisCache;
}

/**
 * The agents: one PraisonAI runtime per workflow of `agents.workflows`, each serving that
 * workflow's agents.yaml (40-agents, after the gateway they call).
 */
export class AgentsChart extends PlatformChart {
  /** The workflows' runtimes, by workflow id, in id order. */
  public readonly runtimes: ReadonlyMap<string, WorkflowRuntime>;
  /** Credential id of the API key clients present to every workflow. */
  public readonly apiKeyCredential: string;

  constructor(scope: Construct, environment: EnvironmentConfig<AgentsChartReads>, props: AgentsChartProps) {
    super(scope, 'agents', { environment, fileName: '40-agents', component: AGENT_COMPONENT });
    const settings = environment.settings;
    const agents = settings.agents;
    const gateway = { endpoint: props.gateway.endpoint, peer: props.gateway.peer };
    const runtimes = new Map<string, WorkflowRuntime>();
    for (const workflowId of Object.keys(agents.workflows).sort()) {
      const name = workflowAppName(workflowId);
      const component = new Component(this, name, { name, component: AGENT_COMPONENT, version: agents.runtime.image.tag });
      const gatewayKeyCredential = workflowGatewayKeyCredential(workflowId);
      runtimes.set(
        workflowId,
        new WorkflowRuntime(component, 'Runtime', { workflowId, agents, logLevel: settings.app.logLevel, gateway, gatewayKeyCredential }),
      );
    }
    this.runtimes = runtimes;
    this.apiKeyCredential = agents.runtime.apiKeyCredential;
    // Every workflow pod carries the client label (WorkflowRuntime); the gateway and the knowledge store let them in by it.
    const workflowPods: NetworkPeer = { podLabels: { [AGENT_CLIENT_LABEL]: 'true' } };
    props.gateway.allowCaller(workflowPods);
    props.knowledgeStore.allowClient(workflowPods);
  }
}
