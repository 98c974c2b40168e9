import { unknownKeyPaths } from '../../lib/contracts/key-patterns';
import { PRAISONAI_VERSION, praisonaiContract, renderedAgentsFiles } from '../support/agent-workflows';
import { ENVIRONMENTS } from '../support/environments';

/**
 * Every rendered agents.yaml holds only keys the pinned PraisonAI acts on: the key paths its
 * contract lists under `agentsYamlKeys` (contracts/praisonai/4.7.0.yaml). Keys it accepts but
 * ignores (`agentsYamlKeysIgnored`) are reported like any other unknown key.
 */
const contract = praisonaiContract();
const patterns = contract.keyPatterns('agentsYamlKeys');

describe.each(ENVIRONMENTS)('the agents.yaml files of %s', (env) => {
  test.each(Object.entries<any>(renderedAgentsFiles(env)))(`%s has only keys PraisonAI ${PRAISONAI_VERSION} reads`, (_file, doc) => {
    expect(unknownKeyPaths(doc, patterns)).toEqual([]);
  });
});

test('a rendered file with max_iter is reported', () => {
  const doc = structuredClone(renderedAgentsFiles('dev')['health_consultation.yaml']);
  doc.roles.xiaoai.max_iter = 10;
  expect(unknownKeyPaths(doc, patterns)).toEqual(['roles.*.max_iter']);
});

test('every key PraisonAI 4.7.0 accepts but ignores is reported, as its pattern', () => {
  const doc = structuredClone(renderedAgentsFiles('dev')['health_consultation.yaml']);
  doc.roles.soer.max_rpm = 30;
  doc.roles.soer.max_execution_time = 60;
  doc.roles.xiaoke.tasks.symptom_analysis.context = ['health_assessment'];
  doc.dependencies = [];
  const unknown = unknownKeyPaths(doc, patterns);
  expect(unknown).toEqual(['roles.*.tasks.*.context', 'roles.*.max_rpm', 'roles.*.max_execution_time', 'dependencies']);
  for (const key of unknown) expect({ key, ignored: contract.has('agentsYamlKeysIgnored', key) }).toEqual({ key, ignored: true });
});
