import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { problemsWith } from '../support/config-changes';
import { CONFIG_DIR, configProblems } from '../support/environments';

describe('each environment file sets its own namespace and kube context', () => {
  test('an environment file without them is refused, each field named', () => {
    expect(configProblems({ 'staging.yaml': 'app:\n  logLevel: INFO\n' }, 'staging')).toEqual([
      "staging.yaml: deploy.kubeContext: expected a value set in the environment's own file (each environment deploys to a cluster of its own; an inherited context is the one of another), found nothing (the field is missing)",
      "staging.yaml: namespace.name: expected a value set in the environment's own file (each environment has a namespace of its own; an inherited one is another environment's), found nothing (the field is missing)",
    ]);
  });

  test('a value in base.yaml is not inherited: the message says what would have been', () => {
    const base = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8')) as any;
    base.deploy.kubeContext = 'suoke-prod';
    const problems = configProblems(
      { 'base.yaml': yaml.dump(base), 'staging.yaml': 'namespace:\n  name: suoke-life-staging\n' },
      'staging',
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^staging\.yaml: deploy\.kubeContext: expected a value set in the environment's own file \(.*\), found nothing, so it would inherit "suoke-prod" from .*base\.yaml, which no environment may inherit$/,
      ),
    );
    expect(problems).toHaveLength(1);
  });
});

describe('a key at the wrong level', () => {
  test('names the full path where the schema has it', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { maxReplicas: 5 } } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.maxReplicas: expected one of the keys \[.*\] \(did you mean "replicas"\? "maxReplicas" itself belongs at `gateway\.autoscaling\.maxReplicas`\), found the unknown key "maxReplicas"$/,
      ),
    ]);
  });

  test('a key known at another level only gets that full path', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { targetCpuUtilization: 70 } } } })).toEqual([
      expect.stringContaining('(did you mean `gateway.autoscaling.targetCpuUtilization`? "targetCpuUtilization" belongs there)'),
    ]);
  });

  test('a key at the top level that belongs under a section', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { kubeContext: 'x' } } })).toEqual([
      expect.stringContaining('(did you mean `deploy.kubeContext`? "kubeContext" belongs there)'),
    ]);
  });

  test('a typo of a sibling still gets the sibling, and a key known nowhere gets no hint', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { replicsa: 2 } } } })).toEqual([
      expect.stringContaining('(did you mean "replicas"?)'),
    ]);
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { zzzqqq: 2 } } } })).toEqual([expect.not.stringContaining('did you mean')]);
  });
});

describe('a value that has no effect is refused where the environment file sets it', () => {
  test('gateway.replicas under an autoscaler', () => {
    const autoscaling = { minReplicas: 1, maxReplicas: 2, targetCpuUtilization: 70 };
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { replicas: 2, autoscaling } } } })).toEqual([
      'dev.yaml: gateway.replicas: expected no value here: it has no effect, because gateway.autoscaling is set: the autoscaler owns the replica count, found 2',
    ]);
    expect(() => problemsWith({ merge: { 'dev.yaml': { gateway: { autoscaling } } } })).toThrow('expected a ConfigError');
    expect(() => problemsWith({ merge: { 'dev.yaml': { gateway: { replicas: 2 } } } })).toThrow('expected a ConfigError');
  });

  test('database settings of the mode not chosen', () => {
    expect(problemsWith({ merge: { 'prod.yaml': { database: { inCluster: { storageSize: '50Gi' } } } } }, 'prod')).toEqual([
      'prod.yaml: database.inCluster: expected no value here: it has no effect, because database.mode is external: no PostgreSQL runs in the cluster, found a map with keys [storageSize]',
    ]);
    expect(problemsWith({ merge: { 'dev.yaml': { database: { external: { host: 'db.example' } } } } })).toEqual([
      expect.stringContaining('dev.yaml: database.external: expected no value here: it has no effect, because database.mode is in-cluster'),
    ]);
  });

  test('a secret store when no ExternalSecret reads one', () => {
    const secretStore = { kind: 'ClusterSecretStore', name: 'vault', refreshInterval: '1h', remoteKeyPrefix: 'x' };
    expect(problemsWith({ merge: { 'dev.yaml': { security: { secretStore } } } })).toEqual([
      expect.stringContaining(
        'dev.yaml: security.secretStore: expected no value here: it has no effect, because security.secretsMode is external',
      ),
    ]);
  });
});

test('a key found in many places of the schema gets no path hint (it says nothing of where it belongs)', () => {
  expect(problemsWith({ merge: { 'dev.yaml': { gateway: { routing: { limits: {} } } } } })).toEqual([
    expect.not.stringContaining('belongs'),
  ]);
});
