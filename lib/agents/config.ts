import { z } from 'zod';
import { dnsLabel, duration, flag, imageConfig, oneOf, portNumber, resourcesConfig, section, text, wholeNumber } from '../config/fields';

/** An agent id: lowercase letters and digits (also the PraisonAI role key and part of its gateway model name). */
export const agentId = z
  .string({ error: 'an agent id' })
  .regex(/^[a-z][a-z0-9]{1,30}$/, { error: 'an agent id of lowercase letters and digits, such as "xiaoai"' });

/** A snake_case id: workflow, step, check and tool ids (also file names and PraisonAI task keys). */
const snakeId = (what: string, example: string) =>
  z.string({ error: `a ${what}` }).regex(/^[a-z][a-z0-9_]{0,62}$/, { error: `a snake_case ${what} such as "${example}"` });

/**
 * Free text handed to a model: a role, goal, backstory, task description or expected output.
 * Multi-line is fine. It is rendered as written: `{topic}` is the one placeholder, which PraisonAI
 * 4.7.0 replaces with the user's request; every other brace, doubled ones included, reaches the
 * model literally (PraisonAI substitutes by regex, not with Python's `str.format`).
 */
export const prose = z.string({ error: 'a non-empty text' }).refine((s) => s.trim().length > 0, { error: 'a non-empty text' });

/** A gateway model group name (a key of `gateway.modelGroups`, checked across sections). */
const modelGroupRef = z.string({ error: 'a gateway model group name' }).regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, {
  error: 'a gateway model group name such as "gpt-4" (no provider prefix: calls must go through the gateway)',
});

/** One agent's settings. Environments may tune agents that base.yaml declares, not add new ones. */
export const agentMember = section({
  /** The agent's Chinese name, e.g. 小艾. */
  chineseName: text,
  /**
   * The agent's base model group (a key of `gateway.modelGroups`): the gateway serves the agent's
   * own name `agent-<id>` with copies of its deployments, temperature and max tokens.
   */
  modelGroup: modelGroupRef,
  /** What the agent specialises in, e.g. `health_assessment`. */
  speciality: z
    .string({ error: 'a speciality id' })
    .regex(/^[a-z][a-z0-9_]*$/, { error: 'a snake_case speciality id such as "health_assessment"' }),
  /**
   * Time the agent may take per task, published in the agent layer (`<ID>_TIMEOUT`) for the
   * agent's own service. PraisonAI 4.7.0 has no per-agent time limit, so it is not rendered into
   * agents.yaml.
   */
  timeout: duration,
  /** Retries of a failed model call. */
  retries: wholeNumber(0, 10),
  /** Whether the agent takes part. */
  enabled: flag,
  /** PraisonAI `role`: who the agent is, in a few words. */
  role: prose,
  /** PraisonAI `goal`: what the agent works towards. */
  goal: prose,
  /** PraisonAI `backstory`: the agent's background and manner (its system prompt). */
  backstory: prose,
  /**
   * Tools, by the name of a function the runtime image provides (PraisonAI `tools`). Empty: the
   * image ships none, and names that do not exist fail at run time.
   */
  tools: z.array(snakeId('tool name', 'tcm_knowledge_search'), { error: 'a list of tool names' }),
});
export type AgentMember = z.infer<typeof agentMember>;

/**
 * One step of a workflow: a PraisonAI task of one agent. A step receives only the result of the
 * step before it (the first step: the user's request as `{topic}`), so its expected output must
 * carry forward whatever later steps need.
 */
export const workflowStep = section({
  /** Step id, unique in the workflow (the PraisonAI task key). */
  id: snakeId('step id', 'health_assessment'),
  /** The agent that performs the step (a key of `agents.members`). */
  agent: agentId,
  /** What to do (PraisonAI task `description`). */
  description: prose,
  /** What the result must look like (PraisonAI task `expected_output`). */
  expectedOutput: prose,
});
export type WorkflowStep = z.infer<typeof workflowStep>;

/** A workflow: one PraisonAI agents.yaml. */
export const workflowConfig = section({
  /**
   * PraisonAI `topic`: what `{topic}` stands for when a request comes without a query. Every
   * request with one replaces it with the user's message, so texts use `{topic}` as "what the user
   * wrote", and this is only a default.
   */
  topic: prose,
  /**
   * PraisonAI `process`: steps in order (`sequential`) or assigned by a manager model (`hierarchical`).
   * @default - `agents.collaboration.mode`
   */
  process: oneOf(['sequential', 'hierarchical']).optional(),
  /** Gateway model group of the manager; required for (and only for) `hierarchical`. */
  managerModelGroup: modelGroupRef.optional(),
  /** The steps, in the order they run. The quality review is appended to every workflow. */
  steps: z.array(workflowStep, { error: 'a list of steps' }).min(1, { error: 'at least one step' }),
});
export type WorkflowConfig = z.infer<typeof workflowConfig>;

/** One quality check the reviewer scores. */
export const qualityCheck = section({
  /** Check id, e.g. `medical_safety`. */
  id: snakeId('check id', 'medical_safety'),
  /** What the reviewer checks. */
  description: prose,
});

/** The agents and how they collaborate. */
export const agentsSection = section({
  /** The agents, by id (xiaoai, xiaoke, laoke, soer). */
  members: z.record(agentId, agentMember, {
    error: 'a map of agent id to its settings',
  }),
  /** How agents collaborate on a consultation. */
  collaboration: section({
    /** Whether agents collaborate at all. */
    enabled: flag,
    /** Default process of a workflow. */
    mode: oneOf(['sequential', 'hierarchical']),
    /** Time a whole collaboration may take. */
    timeout: duration,
    /** Whether agents share knowledge through the shared store (`agents.knowledge`). */
    knowledgeSharing: flag,
    /** Whether a final synthesis step merges the agents' results. */
    resultSynthesis: flag,
  }),
  /** Workflows by id; each renders to `<id>.yaml`, a PraisonAI agents.yaml. */
  workflows: z.record(snakeId('workflow id', 'health_consultation'), workflowConfig, {
    error: 'a map of workflow id to {topic, process, steps}',
  }),
  /** The shared knowledge store agents read and write across steps and sessions. */
  knowledge: section({
    /** Store; Redis is the one the agents' NetworkPolicy allows. */
    backend: oneOf(['redis']),
    /** Key prefix of every entry, so agent knowledge never collides with the gateway's cache. */
    namespace: z
      .string({ error: 'a key prefix' })
      .regex(/^[a-z][a-z0-9_.:-]*$/, { error: 'a key prefix such as "suoke:agents:knowledge"' }),
    /** Who shares an entry: one consultation (`session`), one user across sessions, or everyone. */
    scope: oneOf(['session', 'user', 'global']),
    /** How long an entry lives. */
    ttl: duration,
  }),
  /** The review stage appended to every workflow before a result reaches the user. */
  qualityControl: section({
    /** The reviewer: a role of its own, not one of the agents, so no agent reviews its own work. */
    reviewer: section({
      /** Gateway model group of the reviewer. */
      modelGroup: modelGroupRef,
      role: prose,
      goal: prose,
      backstory: prose,
    }),
    /** What the reviewer scores, each from 0 to 1. */
    checks: z.array(qualityCheck, { error: 'a list of checks {id, description}' }).min(1, { error: 'at least one check' }),
    /** What the review must produce (PraisonAI `expected_output`). */
    expectedOutput: prose,
    /** Lowest score every check must reach for the result to pass. */
    passThreshold: z
      .number({ error: 'a number between 0 and 1' })
      .min(0, { error: 'a number between 0 and 1' })
      .max(1, { error: 'a number between 0 and 1' }),
  }),
  /**
   * The agent runtime: PraisonAI serving each workflow's agents.yaml over HTTP, one Deployment
   * per workflow (PraisonAI 4.7.0 serves one file per process).
   */
  runtime: section({
    /**
     * The runtime image the project builds (images/agent-runtime/, pushed by
     * .github/workflows/agent-runtime-image.yml). Its tag must be one a PraisonAI contract lists.
     */
    image: imageConfig,
    /** Container and Service port of every workflow's API (`--port`). */
    port: portNumber,
    /** Pods per workflow; at least 2 in production, where a PodDisruptionBudget keeps one up. */
    replicas: wholeNumber(1, 20),
    /** Requests and limits of each workflow pod. */
    resources: resourcesConfig,
    /** Credential id of the API key clients present to every workflow (PRAISONAI_SERVE_API_KEY). */
    apiKeyCredential: dnsLabel,
  }),
  /** Who may call the agents besides pods labelled `suoke.life/agent-api-client: "true"`. */
  network: section({
    /**
     * Namespace of an ingress controller allowed to reach the workflows' APIs.
     * @default - none
     */
    ingressControllerNamespace: dnsLabel.optional(),
  }),
});
export type AgentsSettings = z.infer<typeof agentsSection>;
