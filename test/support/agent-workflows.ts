import * as yaml from 'js-yaml';
import { workflowAppName } from '../../lib/agents/workflow-runtime';
import { workflowFileName } from '../../lib/agents/render-agents-yaml';
import { Contract, ContractSet } from '../../lib/contracts/contract';
import type { KubeObject } from '../../lib/synth/render-environment';
import { objectsOf } from './environments';

/** The PraisonAI version the runtime image pins (contracts/praisonai/<version>.yaml). */
export const PRAISONAI_VERSION = '4.7.0';

/** The ConfigMap of one workflow (`workflow-<id>-<hash>`, holding `<id>.yaml`) in an environment's render. */
export function workflowConfigMap(objects: readonly KubeObject[], workflowId: string): KubeObject {
  const prefix = `${workflowAppName(workflowId)}-`;
  const found = objects.filter(
    (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(prefix) && /^[0-9a-f]{10}$/.test(o.metadata.name.slice(prefix.length)),
  );
  if (found.length !== 1) throw new Error(`expected one ConfigMap ${prefix}<hash>, found ${found.length}`);
  return found[0];
}

/** Every rendered agents.yaml of an environment, parsed, by file name (one per workflow ConfigMap). */
export function renderedAgentsFiles(environment: string): Record<string, any> {
  const objects = objectsOf(environment);
  const workflowIds = objects
    .filter((o) => o.kind === 'Deployment' && o.metadata.name.startsWith('workflow-'))
    .map((o) => {
      const args: string[] = o.spec.template.spec.containers[0].args;
      return args[args.indexOf('--file') + 1].replace(/^.*\//, '').replace(/\.yaml$/, '');
    });
  return Object.fromEntries(
    workflowIds.map((id: string) => {
      const text = workflowConfigMap(objects, id).data[workflowFileName(id)];
      return [workflowFileName(id), yaml.load(text, { schema: yaml.CORE_SCHEMA })];
    }),
  );
}

/** The contract of the pinned PraisonAI, which reads the rendered agents.yaml files. */
export function praisonaiContract(): Contract {
  return ContractSet.load().require('praisonai', PRAISONAI_VERSION);
}

/**
 * PraisonAI 4.7.0's placeholder substitution, as its contract documents it (`templating`,
 * BaseFrameworkAdapter._format_template): every match of the contract's regex whose name is a
 * supplied variable (only `topic`) becomes the value; everything else stays as written, doubled
 * braces included. Not Python's `str.format`: nothing is unescaped and nothing can fail.
 */
export function praisonSubstitute(text: string, topic: string): string {
  const fact = praisonaiContract().fact('templating', '{topic}');
  if (fact.mechanism !== 'regex' || JSON.stringify(fact.variables) !== '["topic"]')
    throw new Error(`the contract's templating changed: ${JSON.stringify(fact)}`);
  return text.replace(new RegExp(String(fact.pattern), 'g'), (match, name: string) => (name === 'topic' ? topic : match));
}

/** Every string of a parsed document, with its key path (for messages). */
export function stringsOf(node: unknown, at = ''): { path: string; text: string }[] {
  if (typeof node === 'string') return [{ path: at, text: node }];
  if (Array.isArray(node)) return node.flatMap((item, i) => stringsOf(item, `${at}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => stringsOf(v, at ? `${at}.${k}` : k));
  return [];
}
