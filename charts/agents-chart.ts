import { Construct } from 'constructs';
import { AgentOrchestrator, ORCHESTRATOR_NAME } from '../lib/agents/agent-orchestrator';
import { AgentService } from '../lib/agents/agent-service';
import { runsAgentService } from '../lib/agents/agent-layer-data';
import { agentServiceEndpoint } from '../lib/agents/endpoint';
import type { EnvironmentConfig } from '../lib/config/schema';
import { Component } from '../lib/platform/component';
import { PlatformChart } from '../lib/platform/platform-chart';

/** `app.kubernetes.io/component` of every agent workload (the original `component=agent`). */
export const AGENT_COMPONENT = 'agent';

/**
 * The agents: the PraisonAI workflow orchestrator with one agents.yaml per workflow, and the
 * per-agent services of the agents given a `serviceImage` (40-agents, after the gateway and Redis
 * they call).
 */
export class AgentsChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'agents', { environment, fileName: '40-agents', component: AGENT_COMPONENT });
    const settings = environment.settings;
    const agents = settings.agents;
    const orchestrator = new Component(this, ORCHESTRATOR_NAME, { name: ORCHESTRATOR_NAME, component: AGENT_COMPONENT, version: agents.orchestrator.image.tag });
    new AgentOrchestrator(orchestrator, 'orchestrator', { agents });
    for (const [agentId, member] of Object.entries(agents.members)) {
      if (!runsAgentService(settings, agentId) || !member.serviceImage) continue;
      const name = agentServiceEndpoint(agentId)!.serviceName;
      const component = new Component(this, name, { name, component: AGENT_COMPONENT, version: member.serviceImage.tag });
      new AgentService(component, 'service', { agentId, member, agents });
    }
  }
}
