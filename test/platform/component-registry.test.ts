import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { ConfigError, formatConfigIssue } from '../../lib/config/config-error';
import { section, text } from '../../lib/config/fields';
import { renderConfigJsonSchema } from '../../lib/config/json-schema';
import { describeEnvironment } from '../../lib/deploy/environment-facts';
import type { AnyComponent } from '../../lib/platform/component-descriptor';
import { componentRegistry } from '../../lib/platform/component-registry';
import { COMPONENTS, REGISTRY } from '../../lib/registry';
import type { KubeObject } from '../../lib/synth/render-environment';
import { generatedFiles, renderEnvironment } from '../../lib/synth/synth-cli';
import { widget } from '../fixtures/widget';
import { CONFIG_DIR, configCopy, configProblems } from '../support/environments';

/**
 * Adding a component is one folder and one line in the registry list. The throwaway component in
 * test/fixtures/widget/ (its own folder; nothing else knows it) is registered with that one line,
 * and every part of the platform that deals with components picks it up: the config loader and
 * its rules, the schema, the charts and their wiring, the configuration layers, monitoring, deploy
 * and the generated docs.
 */

/** The one line. */
const WITH_WIDGET = componentRegistry([...COMPONENTS, widget]);

/** The real config, with a `widget` section and its token credential in base.yaml. */
function configWithWidget(widgetSettings: Record<string, unknown> = {}): string {
  const base = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA }) as any;
  base.widget = {
    // An image with a contract (docs/pinned-versions.md holds every rendered image to one).
    image: { ...base.redis.image },
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    replicas: 1,
    tokenCredential: 'widget-token',
    greeting: 'hello',
    ...widgetSettings,
  };
  base.security.credentials['widget-token'] = { secretName: 'widget', key: 'token', purpose: 'Token the widget presents' };
  return configCopy({ 'base.yaml': yaml.dump(base) });
}

/** The problems of loading dev from a config with these widget settings. */
function problems(registry: typeof WITH_WIDGET | typeof REGISTRY, dir: string): string[] {
  try {
    registry.load(dir, 'dev');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((i) => formatConfigIssue({ ...i, file: path.basename(i.file) }));
  }
  return [];
}

const dir = configWithWidget();
const dev = WITH_WIDGET.load(dir, 'dev');
const rendering = renderEnvironment(dev, WITH_WIDGET);
const objects = rendering.files.flatMap((f) => f.objects);
const find = (kind: string, name: string): KubeObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

describe('the loader and the schema', () => {
  test('read the widget section with the registry that lists it, and only that one', () => {
    expect(dev.settings.widget).toMatchObject({ greeting: 'hello', tokenCredential: 'widget-token' });
    expect(problems(REGISTRY, dir)).toEqual([
      expect.stringMatching(/^base\.yaml: widget: expected one of the keys \[.*\], found the unknown key "widget"$/),
    ]);
  });

  test('validate it: its schema, its rules and the credentials it reads', () => {
    expect(problems(WITH_WIDGET, configWithWidget({ replicas: 9 }))).toEqual([
      'base.yaml: widget.replicas: expected a whole number between 1 and 3, found 9',
    ]);
    expect(problems(WITH_WIDGET, configWithWidget({ greeting: 'TODO: greet' }))).toEqual([
      'base.yaml: widget.greeting: expected a finished greeting, found "TODO: greet"',
    ]);
    expect(problems(WITH_WIDGET, configWithWidget({ tokenCredential: 'nobody' }))).toEqual([
      'base.yaml: widget.tokenCredential: expected the id of a credential in security.credentials holding the widget token, found "nobody", which security.credentials does not define',
    ]);
  });

  test('the environment schema (config/schema.json) has its section', () => {
    const schema = (registry: typeof WITH_WIDGET | typeof REGISTRY) => JSON.parse(renderConfigJsonSchema(registry.schema)).properties;
    expect(Object.keys(schema(WITH_WIDGET)).slice(-1)).toEqual(['widget']);
    expect(schema(WITH_WIDGET).widget.properties.greeting).toEqual({ type: 'string', minLength: 1 });
    expect(schema(REGISTRY).widget).toBeUndefined();
  });
});

describe('the charts', () => {
  test('its chart is rendered, in apply order by its file name', () => {
    expect(rendering.files.map((f) => f.fileName)).toEqual([
      ...renderEnvironment(REGISTRY.load(CONFIG_DIR, 'dev')).files.map((f) => f.fileName),
      '50-widget.k8s.yaml',
    ]);
    expect(find('Deployment', 'widget').metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'widget',
      'app.kubernetes.io/instance': 'suoke-life-dev',
    });
  });

  test('it reaches the gateway by reference: its egress names the gateway pods, and the gateway lets it in', () => {
    const gatewayPods = find('Deployment', 'litellm-gateway').spec.selector.matchLabels;
    const widgetPods = find('Deployment', 'widget').spec.selector.matchLabels;
    expect(find('NetworkPolicy', 'widget').spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: gatewayPods } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
    expect(find('NetworkPolicy', 'litellm-gateway').spec.ingress[0].from).toContainEqual({ podSelector: { matchLabels: widgetPods } });
  });

  test('the components it does not touch render exactly as in dist/', () => {
    for (const file of ['00-baseline.k8s.yaml', '20-redis.k8s.yaml', '21-postgres.k8s.yaml', '40-agents.k8s.yaml']) {
      expect({ file, content: rendering.files.find((f) => f.fileName === file)!.content }).toEqual({
        file,
        content: fs.readFileSync(path.join(CONFIG_DIR, '..', 'dist', 'dev', file), 'utf8'),
      });
    }
  });

  test('what it publishes is in the global configuration layer', () => {
    const global = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('global-config-'))!;
    expect(global.data.WIDGET_URL).toBe('http://widget-service:8080');
  });
});

describe('monitoring', () => {
  const prometheusYml = yaml.load(find('ConfigMap', 'prometheus-config').data['prometheus.yml']) as any;

  test('scrapes it, and Prometheus may reach its pods', () => {
    expect(prometheusYml.scrape_configs.map((j: any) => j.job_name)).toContain('widget');
    const widgetPods = find('Deployment', 'widget').spec.selector.matchLabels;
    expect(find('NetworkPolicy', 'prometheus').spec.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: widgetPods } }],
      ports: [{ port: 'metrics', protocol: 'TCP' }],
    });
  });

  test('ships its alerts (its own and its scrape job’s) and its dashboard', () => {
    expect(prometheusYml.rule_files).toContain('/etc/prometheus/rules/widget.rules.yml');
    const rules = yaml.load(find('ConfigMap', 'prometheus-rules').data['widget.rules.yml']) as any;
    expect(rules.groups[0].rules.map((r: any) => r.alert)).toEqual(['WidgetSilent', 'WidgetTargetMissing']);
    expect(objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.includes('widget')).map((o) => o.metadata.name)).toContain(
      'grafana-dashboard-widget',
    );
  });
});

describe('deploy and docs', () => {
  const manifests = rendering.files.map((f) => ({ fileName: f.fileName, objects: f.objects }));

  test('deploy probes it and lists it, with the credential that signs in', () => {
    const facts = describeEnvironment(dev, manifests, WITH_WIDGET);
    expect(facts.healthChecks).toContainEqual({
      label: 'Widget',
      service: 'widget-service',
      port: 8080,
      protocol: 'http',
      path: '/healthz',
    });
    expect(facts.access).toContainEqual({
      label: 'Widget',
      service: 'widget-service',
      port: 8080,
      url: 'http://localhost:8080/',
      credentials: [expect.objectContaining({ credential: 'widget-token', secretName: 'widget', key: 'token' })],
    });
    expect(describeEnvironment(REGISTRY.load(CONFIG_DIR, 'dev'), manifests).healthChecks.map((h) => h.label)).not.toContain('Widget');
  });

  test('the generated docs describe it: its config section, its note beside the Secrets, its alerts and dashboard', () => {
    const generated = Object.fromEntries(generatedFiles(dir, WITH_WIDGET).map(([file, text]) => [path.basename(file), text]));
    expect(JSON.parse(generated['schema.json']).properties.widget).toBeDefined();
    expect(generated['required-secrets.md']).toContain('The widget token (widget-token) is rotated by hand.');
    expect(generated['monitoring.md']).toContain(
      '| `WidgetSilent` | widget | warning | 30m | — | dev, prod, test | The widget says nothing |',
    );
    expect(generated['monitoring.md']).toContain('| `WidgetTargetMissing` | widget | warning | 5m | — | dev, prod, test |');
    expect(generated['monitoring.md']).toContain('| Widget (`widget`) | widget | dev, prod, test | Greetings. |');
  });
});

describe('the registry refuses what would make the list ambiguous', () => {
  const fake = (id: string, extra: Partial<AnyComponent> = {}): AnyComponent => ({ id, title: id, config: {}, ...extra });
  const someSection = section({ greeting: text });
  const environment = { name: 'dev', file: 'dev.yaml', settings: {} };

  test('two components with one id, or one section claimed twice', () => {
    expect(() => componentRegistry([fake('a'), fake('a')])).toThrow('two components have the id "a"');
    expect(() => componentRegistry([fake('a', { config: { deploy: someSection } })])).toThrow(
      'config section "deploy" is claimed by both platform and a',
    );
    expect(() => componentRegistry([...COMPONENTS, fake('other', { config: { redis: someSection } })])).toThrow(
      'config section "redis" is claimed by both cache and other',
    );
  });

  test('two components publishing one configuration-layer key, or a layer that does not exist', () => {
    const publishing = (id: string, layer: string) => fake(id, { layerData: () => ({ [layer]: { SHARED_URL: id } }) });
    expect(() => componentRegistry([publishing('a', 'global'), publishing('b', 'global')]).layerData(environment)).toThrow(
      'global layer key SHARED_URL is published by both a and b',
    );
    expect(() => componentRegistry([publishing('a', 'secret')]).layerData(environment)).toThrow(
      'a publishes into the unknown config layer "secret" (layers: global, agent, security)',
    );
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
