import * as fs from 'node:fs';
import * as path from 'node:path';
import { deepMerge } from '../../lib/config/deep-merge';
import { listEnvironments } from '../../lib/config/load-environment';
import { loadEnvironment } from '../../lib/registry';
import { CONFIG_DIR, configCopy, configProblems } from '../support/environments';

describe('overlay semantics', () => {
  test('maps merge deeply, lists and scalars replace', () => {
    const base = { a: { b: 1, c: [1, 2], d: { e: 'x' } }, f: true };
    const overlay = { a: { c: [3], d: { g: 'y' } }, f: false };
    expect(deepMerge(base, overlay)).toEqual({ a: { b: 1, c: [3], d: { e: 'x', g: 'y' } }, f: false });
    expect(base.a.c).toEqual([1, 2]);
  });

  test('an environment overrides base values and inherits the rest', () => {
    const dev = loadEnvironment(CONFIG_DIR, 'dev').settings;
    const prod = loadEnvironment(CONFIG_DIR, 'prod').settings;
    expect(dev.namespace.name).toBe('suoke-life-dev');
    expect(prod.namespace.name).toBe('suoke-life');
    expect(dev.namespace.limitRange).toEqual(prod.namespace.limitRange);
  });

  test('every other YAML file in config/ is an environment', () => {
    const dir = configCopy({ 'staging.yaml': 'namespace:\n  name: suoke-life-staging\ndeploy:\n  kubeContext: suoke-staging\n' });
    expect(listEnvironments(dir)).toEqual(['dev', 'prod', 'staging', 'test']);
    expect(loadEnvironment(dir, 'staging').settings.namespace.name).toBe('suoke-life-staging');
  });
});

describe('bad config gets a clear error naming file, field, expected and found', () => {
  test('unknown key, with the closest valid key suggested', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  nmae: x\n' })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: namespace\.nmae: expected one of the keys \[name, quota, limitRange\] \(did you mean "name"\?\), found the unknown key "nmae"$/,
      ),
    ]);
  });

  test('wrong type', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  quota:\n    pods: many\n' })).toEqual([
      'dev.yaml: namespace.quota.pods: expected a whole number >= 1, found "many"',
    ]);
  });

  test('out-of-range number', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  quota:\n    persistentVolumeClaims: -1\n' })).toEqual([
      'dev.yaml: namespace.quota.persistentVolumeClaims: expected a whole number >= 0, found -1',
    ]);
  });

  test('invalid Kubernetes quantity', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  limitRange:\n    max:\n      memory: lots\n' })).toEqual([
      'dev.yaml: namespace.limitRange.max.memory: expected a Kubernetes byte quantity with a binary suffix, such as "512Mi" or "2Gi", found "lots"',
    ]);
  });

  test('name that is not DNS-1123', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  name: Suoke_Dev\n' })).toEqual([
      expect.stringMatching(/^dev\.yaml: namespace\.name: expected a DNS-1123 label .*, found "Suoke_Dev"$/),
    ]);
  });

  test('duplicate key names the line and the key', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  name: a\n  name: b\n' })).toEqual([
      expect.stringMatching(/^dev\.yaml:3: name: expected each key at most once in a map, found the key "name" a second time$/),
    ]);
  });

  test('a missing required field is attributed to the overlay being loaded', () => {
    const dir = configCopy({ 'base.yaml': 'platform:\n  name: suoke-life\n  version: 1.0.0\n' });
    expect(() => loadEnvironment(dir, 'test')).toThrow(
      /test\.yaml: namespace\.quota\.pods: expected a whole number >= 1, found nothing \(the field is missing\)/,
    );
  });

  test('a bad value in base.yaml is attributed to base.yaml', () => {
    const base = configProblems(
      { 'base.yaml': fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8').replace('pods: 40', 'pods: 0') },
      'test',
    );
    expect(base).toEqual(['base.yaml: namespace.quota.pods: expected a whole number >= 1, found 0']);
  });

  test('all problems are reported at once', () => {
    expect(configProblems({ 'dev.yaml': 'namespace:\n  name: UPPER\n  quota:\n    pods: -3\n  colour: blue\n' })).toHaveLength(3);
  });

  test('an environment file name that is not DNS-1123 is refused', () => {
    const dir = configCopy({ 'Staging_1.yaml': 'namespace:\n  name: staging\n' });
    expect(() => loadEnvironment(dir, 'Staging_1')).toThrow(/Staging_1\.yaml: expected a file name that is a DNS-1123 label/);
  });
});
