import type { CrossCheck, CrossFieldProblem } from '../config/cross-checks';
import { closestMatch } from '../config/closest-match';
import type { EnvironmentSettings } from '../config/schema';
import { agentGatewayKeyCredential, gatewayModelGroups } from '../gateway/model-groups';
import { agentServiceEndpoint } from './endpoint';
import { REVIEW_TASK } from './render-agents-yaml';

type Path = (string | number)[];

const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');
const didYouMean = (word: string, known: readonly string[]) => {
  const match = closestMatch(word, known);
  return match ? ` (did you mean "${match}"?)` : '';
};

function agentLabel(settings: EnvironmentSettings, id: string): string {
  const member = settings.agents.members[id];
  return member ? `${id} (${member.chineseName})` : id;
}

/** Every model group the agents name exists in the gateway; the error names who uses it. */
const modelGroupsExist: CrossCheck = (settings) => {
  const groups = gatewayModelGroups(settings);
  const agents = settings.agents;
  const uses: { path: Path; group: string; user: string }[] = [
    ...Object.entries(agents.members).map(([id, m]) => ({ path: ['agents', 'members', id, 'modelGroup'], group: m.modelGroup, user: `agent ${agentLabel(settings, id)}` })),
    ...Object.entries(agents.workflows)
      .filter(([, w]) => w.managerModelGroup !== undefined)
      .map(([id, w]) => ({ path: ['agents', 'workflows', id, 'managerModelGroup'], group: w.managerModelGroup!, user: `the manager of workflow ${id}` })),
    { path: ['agents', 'qualityControl', 'reviewer', 'modelGroup'], group: agents.qualityControl.reviewer.modelGroup, user: 'the quality reviewer' },
    { path: ['agents', 'orchestrator', 'modelGroup'], group: agents.orchestrator.modelGroup, user: 'the orchestrator' },
  ];
  return uses
    .filter((u) => !groups.includes(u.group))
    .map((u) => ({
      path: u.path,
      expected: `a model group of gateway.modelGroups (${quoted(groups)})${didYouMean(u.group, groups)}`,
      found: `${JSON.stringify(u.group)}, which ${u.user} would call but the gateway lacks`,
    }));
};

/** An agent whose gateway key is limited to some model groups must be allowed its own group. */
const agentKeyAllowsModelGroup: CrossCheck = (settings) =>
  Object.entries(settings.agents.members).flatMap(([id, member]) => {
    const allowed = settings.gateway.agentKeys[id]?.models;
    if (!allowed || allowed.includes(member.modelGroup)) return [];
    return [{
      path: ['agents', 'members', id, 'modelGroup'],
      expected: `a group agent ${agentLabel(settings, id)}'s gateway key may call (gateway.agentKeys.${id}.models: ${quoted(allowed)})`,
      found: `${JSON.stringify(member.modelGroup)}, which the key refuses`,
    }];
  });

/** Steps name known, enabled agents; step ids are unique and leave the review's id free. */
const workflowStepsResolve: CrossCheck = (settings) => {
  const members = settings.agents.members;
  const agentIds = Object.keys(members);
  return Object.entries(settings.agents.workflows).flatMap(([workflowId, workflow]) => {
    const problems: CrossFieldProblem[] = [];
    const at = (i: number, ...rest: (string | number)[]): Path => ['agents', 'workflows', workflowId, 'steps', i, ...rest];
    const ids = workflow.steps.map((s) => s.id);
    workflow.steps.forEach((step, i) => {
      const member = members[step.agent];
      if (!member) {
        problems.push({ path: at(i, 'agent'), expected: `an agent of agents.members (${quoted(agentIds)})${didYouMean(step.agent, agentIds)}`, found: `the unknown agent ${JSON.stringify(step.agent)}` });
      } else if (!member.enabled) {
        problems.push({ path: at(i, 'agent'), expected: `an enabled agent (agents.members.${step.agent}.enabled is false)`, found: JSON.stringify(step.agent) });
      }
      if (step.id === REVIEW_TASK) {
        problems.push({ path: at(i, 'id'), expected: `a step id other than "${REVIEW_TASK}" (the review appended to every workflow)`, found: JSON.stringify(step.id) });
      }
      const first = ids.indexOf(step.id);
      if (first !== i) {
        problems.push({ path: at(i, 'id'), expected: `a step id unique in workflow ${workflowId}`, found: `${JSON.stringify(step.id)}, already the id of step ${first}` });
      }
    });
    return problems;
  });
};

/** A manager model group is given for, and only for, hierarchical workflows. */
const managerForHierarchical: CrossCheck = (settings) =>
  Object.entries(settings.agents.workflows).flatMap(([id, w]) => {
    const process = w.process ?? settings.agents.collaboration.mode;
    const path = ['agents', 'workflows', id, 'managerModelGroup'];
    if (process === 'hierarchical' && !w.managerModelGroup) {
      return [{ path, expected: `the gateway model group of the manager, because workflow ${id} is hierarchical`, found: 'nothing (the field is missing)' }];
    }
    if (process === 'sequential' && w.managerModelGroup) {
      return [{ path, expected: `no manager: workflow ${id} is sequential (set process: hierarchical to use one)`, found: JSON.stringify(w.managerModelGroup) }];
    }
    return [];
  });

/** At least one workflow. */
const someWorkflow: CrossCheck = (settings) =>
  Object.keys(settings.agents.workflows).length > 0
    ? []
    : [{ path: ['agents', 'workflows'], expected: 'at least one workflow (e.g. health_consultation: {topic, steps})', found: 'an empty map' }];

/** The credentials the agent workloads read exist; a service image only for agents with a port. */
const agentWorkloadsResolve: CrossCheck = (settings) => {
  const credentials = settings.security.credentials;
  const o = settings.agents.orchestrator;
  const problems: CrossFieldProblem[] = [];
  const credential = (path: Path, id: string, what: string) => {
    if (!(id in credentials)) problems.push({ path, expected: `the id of a credential in security.credentials holding ${what}`, found: `${JSON.stringify(id)}, which security.credentials does not define` });
  };
  credential(['agents', 'orchestrator', 'apiKeyCredential'], o.apiKeyCredential, 'the API key clients present to the orchestrator');
  credential(['agents', 'orchestrator', 'gatewayKeyCredential'], o.gatewayKeyCredential, "the orchestrator's gateway virtual key");
  for (const [id, member] of Object.entries(settings.agents.members)) {
    if (!member.serviceImage) continue;
    if (!agentServiceEndpoint(id)) {
      problems.push({ path: ['agents', 'members', id, 'serviceImage'], expected: `no service image, or a service endpoint for agent ${id} in lib/agents/endpoint.ts`, found: 'an image for an agent that has no service port' });
    }
    credential(['agents', 'members', id, 'serviceImage'], agentGatewayKeyCredential(id), `the gateway virtual key of agent ${id}, which its service uses`);
  }
  return problems;
};

/** Production keeps agent workloads available through a node drain: 2+ replicas and a PDB. */
const replicatedInProduction: CrossCheck = (settings) => {
  if (!settings.platform.production) return [];
  const a = settings.agents;
  const problems: CrossFieldProblem[] = [];
  if (a.orchestrator.replicas < 2) problems.push({ path: ['agents', 'orchestrator', 'replicas'], expected: 'at least 2 orchestrator replicas in production', found: String(a.orchestrator.replicas) });
  const withServices = Object.values(a.members).some((m) => m.serviceImage && m.enabled);
  if (withServices && a.services.replicas < 2) problems.push({ path: ['agents', 'services', 'replicas'], expected: 'at least 2 replicas per agent service in production', found: String(a.services.replicas) });
  return problems;
};

/** The agents' cross-field rules. */
export const agentChecks: readonly CrossCheck[] = [modelGroupsExist, agentKeyAllowsModelGroup, workflowStepsResolve, managerForHierarchical, someWorkflow, agentWorkloadsResolve, replicatedInProduction];
