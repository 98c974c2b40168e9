import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { section, text } from '../lib/config/fields';
import type { AnyComponent } from '../lib/platform/component-descriptor';
import { componentRegistry } from '../lib/platform/component-registry';
import { COMPONENTS } from '../lib/registry';
import { CONFIG_DIR, configProblems } from './support/environments';

describe('the registry refuses what would make the list ambiguous', () => {
  const fake = (id: string, extra: Partial<AnyComponent> = {}): AnyComponent => ({ id, title: id, config: {}, ...extra });
  const someSection = section({ greeting: text });
  const environment = { name: 'dev', file: 'dev.yaml', settings: {} };

  test('two components with one id, or one section claimed twice', () => {
    expect(() => componentRegistry([fake('a'), fake('a')])).toThrow('two components have the id "a"');
    expect(() => componentRegistry([fake('a', { config: { deploy: someSection } })])).toThrow('config section "deploy" is claimed by both platform and a');
    expect(() => componentRegistry([...COMPONENTS, fake('other', { config: { redis: someSection } })])).toThrow('config section "redis" is claimed by both cache and other');
  });

  test('two components publishing one configuration-layer key, or a layer that does not exist', () => {
    const publishing = (id: string, layer: string) => fake(id, { layerData: () => ({ [layer]: { SHARED_URL: id } }) });
    expect(() => componentRegistry([publishing('a', 'global'), publishing('b', 'global')]).layerData(environment)).toThrow('global layer key SHARED_URL is published by both a and b');
    expect(() => componentRegistry([publishing('a', 'secret')]).layerData(environment)).toThrow('a publishes into the unknown config layer "secret" (layers: global, agent, security)');
  });

  test('a component using one the registry does not list, or two using each other', () => {
    const a = fake('a', { build: (context) => context.use(b) });
    const b: AnyComponent = fake('b', { build: (context) => context.use(a) });
    expect(() => componentRegistry([a]).build(environment)).toThrow('a uses the component "b", which the registry does not list');
    expect(() => componentRegistry([a, b]).build(environment)).toThrow('components use each other: a -> b -> a');
  });
});

describe('every credential a component reads must be defined', () => {
  const withoutCredential = (id: string) => {
    const base = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA }) as any;
    delete base.security.credentials[id];
    return configProblems({ 'base.yaml': yaml.dump(base) });
  };

  test('reported at the field that names it', () => {
    expect(withoutCredential('redis-exporter-password')).toEqual([
      'base.yaml: redis.exporterPasswordCredential: expected the id of a credential in security.credentials holding a Redis password, found "redis-exporter-password", which security.credentials does not define',
    ]);
  });

  test('reported at security.credentials when the id is fixed', () => {
    expect(withoutCredential('grafana-admin-password')).toEqual([
      'base.yaml: security.credentials: expected a credential "grafana-admin-password" (Grafana\'s admin account; there is no default password), found no such credential',
    ]);
  });
});
