import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AgentMember, AgentsSettings } from '../config/sections/agents';
import { agentGatewayKeyCredential } from '../gateway/model-groups';
import { AgentWorkload } from './agent-workload';
import { agentServiceEndpoint } from './endpoint';

/** Properties of an AgentService. */
export interface AgentServiceProps {
  /** Agent id, e.g. `xiaoai`. */
  readonly agentId: string;
  /** The agent's settings; its `serviceImage` must be set. */
  readonly member: AgentMember;
  /** The agents section (replicas, resources and network of the services). */
  readonly agents: AgentsSettings;
}

/**
 * One agent's own service, `<id>-service` on the agent's port (8001 for xiaoai 小艾, 8002 xiaoke
 * 小克, 8003 laoke 老克, 8004 soer 索儿). It calls the gateway with the agent's own virtual key
 * (credential `agent-<id>-gateway-key`), so its spend and errors are attributed to the agent.
 */
export class AgentService extends Construct {
  /** The workload (Deployment, Service, NetworkPolicy, PDB). */
  public readonly workload: AgentWorkload;

  constructor(scope: Construct, id: string, props: AgentServiceProps) {
    super(scope, id);
    const endpoint = agentServiceEndpoint(props.agentId);
    if (!endpoint) throw new Error(`agent ${props.agentId} has no service endpoint in lib/agents/endpoint.ts`);
    if (!props.member.serviceImage) throw new Error(`agent ${props.agentId} has no serviceImage`);
    const value = (v: string) => kplus.EnvValue.fromValue(v);
    this.workload = new AgentWorkload(this, 'workload', {
      name: endpoint.serviceName,
      endpoint,
      image: props.member.serviceImage,
      resources: props.agents.services.resources,
      replicas: props.agents.services.replicas,
      containerPort: endpoint.port,
      gatewayKeyCredential: agentGatewayKeyCredential(props.agentId),
      ingressControllerNamespace: props.agents.network.ingressControllerNamespace,
      env: {
        AGENT_ID: value(props.agentId),
        AGENT_NAME: value(props.member.chineseName),
        MODEL_NAME: value(props.member.modelGroup),
        OPENAI_MODEL_NAME: value(props.member.modelGroup),
      },
    });
  }
}
