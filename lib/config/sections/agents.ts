import { z } from 'zod';
import { duration, flag, oneOf, section, text, wholeNumber } from '../fields';

/** One agent's settings. Environments may tune agents that base.yaml declares, not add new ones. */
export const agentMember = section({
  /** The agent's Chinese name, e.g. 小艾. */
  chineseName: text,
  /** Gateway model group the agent calls (a key of `gateway.modelGroups`). */
  modelGroup: text,
  /** What the agent specialises in, e.g. `health_assessment`. */
  speciality: z.string({ error: 'a speciality id' }).regex(/^[a-z][a-z0-9_]*$/, { error: 'a snake_case speciality id such as "health_assessment"' }),
  /** Time the agent may take per task. */
  timeout: duration,
  /** Retries of a failed model call. */
  retries: wholeNumber(0, 10),
  /** Whether the agent takes part. */
  enabled: flag,
});

/** The agents and how they collaborate. */
export const agentsSection = section({
  /** The agents, by id (xiaoai, xiaoke, laoke, soer). */
  members: z.record(z.string().regex(/^[a-z][a-z0-9]{1,30}$/, { error: 'an agent id of lowercase letters and digits' }), agentMember, {
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
    /** Whether agents share knowledge through the shared store. */
    knowledgeSharing: flag,
    /** Whether a final synthesis step merges the agents' results. */
    resultSynthesis: flag,
  }),
});
