import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { AgentsSettings } from '../config/sections/agents';
import { Credentials } from '../layers/credentials';
import { VersionedConfigMap } from '../platform/versioned-config-map';
import { AgentWorkload } from './agent-workload';
import { ORCHESTRATOR_ENDPOINT } from './endpoint';
import { renderWorkflowFiles } from './render-agents-yaml';

/** Name of the orchestrator Deployment (and of its pods' `app.kubernetes.io/name`). */
export const ORCHESTRATOR_NAME = 'agent-orchestrator';
/** Where the workflow files (one PraisonAI agents.yaml per workflow) are mounted. */
export const WORKFLOWS_DIR = '/etc/praisonai/workflows';
/** Base name of the workflows ConfigMap (the rendered name adds a content hash). */
export const WORKFLOWS_CONFIG_MAP = 'agent-workflows';
/** Pod annotation recording the workflows version the pods run. */
export const WORKFLOWS_VERSION_ANNOTATION = 'suoke.life/config-version-workflows';

/** Properties of an AgentOrchestrator. */
export interface AgentOrchestratorProps {
  /** The agents section of the environment. */
  readonly agents: AgentsSettings;
}

/**
 * The workflow orchestrator: PraisonAI serving each workflow's agents.yaml over HTTP on
 * `agents.orchestrator.port` (the image's contract: every `*.yaml` in `PRAISONAI_WORKFLOWS_DIR`
 * is a workflow, served at `POST /workflows/<id>`; clients present `PRAISONAI_SERVE_API_KEY`).
 * The workflows live in an immutable, content-hashed ConfigMap mounted as a directory, so a
 * changed workflow rolls the pods.
 */
export class AgentOrchestrator extends Construct {
  /** The workflows ConfigMap. */
  public readonly workflows: VersionedConfigMap;
  /** The orchestrator workload (Deployment, Service, NetworkPolicy, PDB). */
  public readonly workload: AgentWorkload;

  constructor(scope: Construct, id: string, props: AgentOrchestratorProps) {
    super(scope, id);
    const o = props.agents.orchestrator;
    this.workflows = new VersionedConfigMap(this, 'workflows', { baseName: WORKFLOWS_CONFIG_MAP, data: renderWorkflowFiles(props.agents) });
    const volume = kplus.Volume.fromConfigMap(this, 'workflows-volume', this.workflows.configMap, { name: 'workflows' });
    const value = (v: string) => kplus.EnvValue.fromValue(v);
    this.workload = new AgentWorkload(this, 'workload', {
      name: ORCHESTRATOR_NAME,
      endpoint: ORCHESTRATOR_ENDPOINT,
      image: o.image,
      resources: o.resources,
      replicas: o.replicas,
      containerPort: o.port,
      gatewayKeyCredential: o.gatewayKeyCredential,
      mounts: [{ path: WORKFLOWS_DIR, volume }],
      podAnnotations: { [WORKFLOWS_VERSION_ANNOTATION]: this.workflows.version },
      ingressControllerNamespace: props.agents.network.ingressControllerNamespace,
      env: {
        PRAISONAI_WORKFLOWS_DIR: value(WORKFLOWS_DIR),
        // `praisonai serve` refuses a non-localhost bind without a key.
        PRAISONAI_SERVE_API_KEY: Credentials.of(this).env(this, o.apiKeyCredential),
        // Used only where a role names no model; still a gateway model group.
        MODEL_NAME: value(o.modelGroup),
        OPENAI_MODEL_NAME: value(o.modelGroup),
      },
    });
  }
}
