import { closestMatch } from '../config/closest-match';
import type { CrossFieldProblem } from '../config/cross-checks';
import { gatewayModelGroups, type GatewaySettings } from '../gateway';
import type { CrossCheck } from '../platform/component-descriptor';
import type { PlatformSettings } from '../platform/platform-settings';
import type { AgentsSettings } from './config';
import { REVIEW_TASK } from './render-agents-yaml';
import { MAX_WORKFLOW_ID_LENGTH, workflowEndpoint } from './workflow-runtime';

/** What the agents' rules read: their section, the gateway's model groups, and the platform tier. */
export type AgentChecksReads = PlatformSettings & { readonly agents: AgentsSettings; readonly gateway: GatewaySettings };

type Path = (string | number)[];

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');
const didYouMean = (word: string, known: readonly string[]) => {
  const match = closestMatch(word, known);
  return match ? ` (did you mean "${match}"?)` : '';
};

function agentLabel(settings: AgentChecksReads, id: string): string {
  const member = settings.agents.members[id];
  return member ? `${id} (${member.chineseName})` : id;
}

/** Every model group the agents name exists in the gateway; the error names who uses it. */
const modelGroupsExist: CrossCheck<AgentChecksReads> = (settings) => {
  const groups = gatewayModelGroups(settings);
  const agents = settings.agents;
  const uses: { path: Path; group: string; user: string }[] = [
    ...Object.entries(agents.members).map(([id, m]) => ({
      path: ['agents', 'members', id, 'modelGroup'],
      group: m.modelGroup,
      user: `agent ${agentLabel(settings, id)}`,
    })),
    ...Object.entries(agents.workflows)
      .filter(([, w]) => w.managerModelGroup !== undefined)
      .map(([id, w]) => ({
        path: ['agents', 'workflows', id, 'managerModelGroup'],
        group: w.managerModelGroup!,
        user: `the manager of workflow ${id}`,
      })),
    {
      path: ['agents', 'qualityControl', 'reviewer', 'modelGroup'],
      group: agents.qualityControl.reviewer.modelGroup,
      user: 'the quality reviewer',
    },
  ];
  return uses
    .filter((u) => !groups.includes(u.group))
    .map((u) => ({
      path: u.path,
      expected: `a model group of gateway.modelGroups (${quoted(groups)})${didYouMean(u.group, groups)}`,
      found: `${JSON.stringify(u.group)}, which ${u.user} would call but the gateway lacks`,
    }));
};

/** Steps name known, enabled agents; step ids are unique and leave the review's id free. */
const workflowStepsResolve: CrossCheck<AgentChecksReads> = (settings) => {
  const members = settings.agents.members;
  const agentIds = Object.keys(members);
  return Object.entries(settings.agents.workflows).flatMap(([workflowId, workflow]) => {
    const problems: CrossFieldProblem[] = [];
    const at = (i: number, ...rest: (string | number)[]): Path => ['agents', 'workflows', workflowId, 'steps', i, ...rest];
    const ids = workflow.steps.map((s) => s.id);
    workflow.steps.forEach((step, i) => {
      const member = members[step.agent];
      if (!member) {
        problems.push({
          path: at(i, 'agent'),
          expected: `an agent of agents.members (${quoted(agentIds)})${didYouMean(step.agent, agentIds)}`,
          found: `the unknown agent ${JSON.stringify(step.agent)}`,
        });
      } else if (!member.enabled) {
        problems.push({
          path: at(i, 'agent'),
          expected: `an enabled agent (agents.members.${step.agent}.enabled is false)`,
          found: JSON.stringify(step.agent),
        });
      }
      if (step.id === REVIEW_TASK) {
        problems.push({
          path: at(i, 'id'),
          expected: `a step id other than "${REVIEW_TASK}" (the review appended to every workflow)`,
          found: JSON.stringify(step.id),
        });
      }
      const first = ids.indexOf(step.id);
      if (first !== i) {
        problems.push({
          path: at(i, 'id'),
          expected: `a step id unique in workflow ${workflowId}`,
          found: `${JSON.stringify(step.id)}, already the id of step ${first}`,
        });
      }
    });
    return problems;
  });
};

/** A manager model group is given for, and only for, hierarchical workflows. */
const managerForHierarchical: CrossCheck<AgentChecksReads> = (settings) =>
  Object.entries(settings.agents.workflows).flatMap(([id, w]) => {
    const process = w.process ?? settings.agents.collaboration.mode;
    const path = ['agents', 'workflows', id, 'managerModelGroup'];
    if (process === 'hierarchical' && !w.managerModelGroup) {
      return [
        {
          path,
          expected: `the gateway model group of the manager, because workflow ${id} is hierarchical`,
          found: 'nothing (the field is missing)',
        },
      ];
    }
    if (process === 'sequential' && w.managerModelGroup) {
      return [
        {
          path,
          expected: `no manager: workflow ${id} is sequential (set process: hierarchical to use one)`,
          found: JSON.stringify(w.managerModelGroup),
        },
      ];
    }
    return [];
  });

/** At least one workflow. */
const someWorkflow: CrossCheck<AgentChecksReads> = (settings) =>
  Object.keys(settings.agents.workflows).length > 0
    ? []
    : [
        {
          path: ['agents', 'workflows'],
          expected: 'at least one workflow (e.g. health_consultation: {topic, steps})',
          found: 'an empty map',
        },
      ];

/**
 * Each workflow id is short enough for its names (`workflow-<id>-service`,
 * `workflow-<id>-gateway-key`) to be DNS labels. (The runtime's API key is checked with the other
 * credentials: the agents' descriptor declares it.)
 */
const workflowRuntimesResolve: CrossCheck<AgentChecksReads> = (settings) => {
  const runtime = settings.agents.runtime;
  const problems: CrossFieldProblem[] = [];
  for (const id of Object.keys(settings.agents.workflows)) {
    if (id.length > MAX_WORKFLOW_ID_LENGTH) {
      problems.push({
        path: ['agents', 'workflows', id],
        expected: `a workflow id of at most ${MAX_WORKFLOW_ID_LENGTH} characters (its Service is ${workflowEndpoint(id, runtime.port).serviceName})`,
        found: `${id.length} characters`,
      });
    }
  }
  return problems;
};

/** Production keeps every workflow available through a node drain: 2+ replicas and a PDB. */
const replicatedInProduction: CrossCheck<AgentChecksReads> = (settings) =>
  settings.platform.production && settings.agents.runtime.replicas < 2
    ? [
        {
          path: ['agents', 'runtime', 'replicas'],
          expected: 'at least 2 pods per workflow in production',
          found: String(settings.agents.runtime.replicas),
        },
      ]
    : [];

/** The agents' cross-field rules. */
export const agentChecks: readonly CrossCheck<AgentChecksReads>[] = [
  modelGroupsExist,
  workflowStepsResolve,
  managerForHierarchical,
  someWorkflow,
  workflowRuntimesResolve,
  replicatedInProduction,
];
