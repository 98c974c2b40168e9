import { Construct } from 'constructs';
import { workflowAppName } from '../lib/agents/endpoint';
import { WorkflowRuntime } from '../lib/agents/workflow-runtime';
import type { EnvironmentConfig } from '../lib/config/schema';
import { Component } from '../lib/platform/component';
import { PlatformChart } from '../lib/platform/platform-chart';

/** `app.kubernetes.io/component` of every agent workload (the original `component=agent`). */
export const AGENT_COMPONENT = 'agent';

/**
 * The agents: one PraisonAI runtime per workflow of `agents.workflows`, each serving that
 * workflow's agents.yaml (40-agents, after the gateway they call).
 */
export class AgentsChart extends PlatformChart {
  constructor(scope: Construct, environment: EnvironmentConfig) {
    super(scope, 'agents', { environment, fileName: '40-agents', component: AGENT_COMPONENT });
    const settings = environment.settings;
    const agents = settings.agents;
    for (const workflowId of Object.keys(agents.workflows).sort()) {
      const name = workflowAppName(workflowId);
      const component = new Component(this, name, { name, component: AGENT_COMPONENT, version: agents.runtime.image.tag });
      new WorkflowRuntime(component, 'runtime', { workflowId, agents, logLevel: settings.app.logLevel });
    }
  }
}
