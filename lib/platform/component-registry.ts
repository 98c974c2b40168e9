import { App } from 'cdk8s';
import { z } from 'zod';
import type { CrossFieldProblem } from '../config/cross-checks';
import { section } from '../config/fields';
import { type EnvironmentConfig, type EnvironmentDefinition, loadEnvironment, loadEnvironments } from '../config/load-environment';
import type { AnyComponent, ComponentRef, ConfigLayerName, CredentialRequirement, LayerData } from './component-descriptor';
import type { AccessPoint, HealthCheck } from './deploy-targets';
import type { MonitoringContribution } from './monitoring-contribution';
import { PlatformChart } from './platform-chart';
import { PLATFORM_SETTINGS, type PlatformSettings } from './platform-settings';

/**
 * Composes a list of component descriptors into everything the platform does with them: the
 * environment schema and its rules (for the config loader), the monitoring contributions, the
 * configuration layers' data, the charts, and deploy's health checks and access points. It knows
 * no component: lib/registry.ts hands it the list.
 */

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type ShapeOf<C> = C extends { readonly config: infer Shape } ? Shape : never;

/** The sections of an environment: the platform's own, then every component's. */
export type ComposedShape<C extends readonly AnyComponent[]> = typeof PLATFORM_SETTINGS.config & UnionToIntersection<ShapeOf<C[number]>>;

/** The settings of an environment with these components, as validated from YAML. */
export type SettingsOf<C extends readonly AnyComponent[]> = z.infer<z.ZodObject<ComposedShape<C>, z.core.$strict>>;

/** Every layer a component may publish into, in rendering order. */
export const CONFIG_LAYER_NAMES: readonly ConfigLayerName[] = ['global', 'agent', 'security'];

/** Everything one environment's components built. */
export interface BuiltPlatform {
  /** Every chart, in the order `kubectl apply` takes them (by file name). */
  readonly charts: readonly PlatformChart[];
  /** The services deploy probes after a rollout, in registry order. */
  readonly healthChecks: readonly HealthCheck[];
  /** The services an operator may reach, in registry order. */
  readonly accessPoints: readonly AccessPoint[];
  /** What a component built. */
  built<Built>(component: ComponentRef<Built>): Built;
}

/** A list of components, composed. */
export interface ComponentRegistry<S> {
  /** The components, in registry order (the order of monitoring outputs, deploy lists and docs). */
  readonly components: readonly AnyComponent[];
  /** The environment schema: the platform's sections, then each component's. */
  readonly schema: z.ZodType<S>;
  /** Schema, rules and closed maps, for lib/config's loader. */
  readonly definition: EnvironmentDefinition<S>;
  /** Every component's monitoring contributions, in registry order. */
  readonly contributions: readonly MonitoringContribution<S>[];
  /** Loads and validates one environment. */
  load(configDir: string, environment: string): EnvironmentConfig<S>;
  /** Loads several environments, reporting the problems of all of them together. */
  loadAll(configDir: string, environments: readonly string[]): EnvironmentConfig<S>[];
  /** The credentials the components read in an environment, in registry order. */
  credentials(settings: S): CredentialRequirement[];
  /** Every key the components publish into each configuration layer. */
  layerData(environment: EnvironmentConfig<S>): Record<ConfigLayerName, Record<string, string>>;
  /** Builds every component's charts for an environment. */
  build(environment: EnvironmentConfig<S>): BuiltPlatform;
  /** The lines components add to an environment's section of `docs/required-secrets.md`. */
  requiredSecretsNotes(environment: EnvironmentConfig<S>): string[];
}

/** A problem for each required credential `security.credentials` does not define (each field once). */
export function missingCredentials(
  requirements: readonly CredentialRequirement[],
  defined: Readonly<Record<string, unknown>>,
): CrossFieldProblem[] {
  const seen = new Set<string>();
  return requirements.flatMap((r): CrossFieldProblem[] => {
    const path = r.field ?? ['security', 'credentials'];
    const key = `${JSON.stringify(path)} ${r.id}`;
    if (r.id in defined || seen.has(key)) return [];
    seen.add(key);
    return r.field
      ? [
          {
            path,
            expected: `the id of a credential in security.credentials holding ${r.purpose}`,
            found: `${JSON.stringify(r.id)}, which security.credentials does not define`,
          },
        ]
      : [{ path, expected: `a credential "${r.id}" (${r.purpose})`, found: 'no such credential' }];
  });
}

/** Composes components (see the top of this file). Throws when two claim the same id or section. */
export function componentRegistry<const C extends readonly AnyComponent[]>(components: C): ComponentRegistry<SettingsOf<C>> {
  type S = SettingsOf<C>;
  const all: readonly AnyComponent[] = [PLATFORM_SETTINGS, ...components];
  const owners = new Map<string, string>();
  for (const c of all) {
    if (owners.has(`component ${c.id}`)) throw new Error(`two components have the id "${c.id}"`);
    owners.set(`component ${c.id}`, c.id);
    for (const key of Object.keys(c.config)) {
      const owner = owners.get(key);
      if (owner) throw new Error(`config section "${key}" is claimed by both ${owner} and ${c.id}`);
      owners.set(key, c.id);
    }
  }
  const schema = section(Object.assign({}, ...all.map((c) => c.config))) as unknown as z.ZodType<S>;
  const contributions: readonly MonitoringContribution<S>[] = components.flatMap((c) => c.monitoring ?? []);
  const credentials = (settings: S) => components.flatMap((c) => [...(c.credentials?.(settings) ?? [])]);

  // The components' rules in registry order, then one that reports every credential a component
  // reads and `security.credentials` lacks, at the field that names it.
  const rules = all.flatMap((c) => c.checks ?? []);
  const checks = [
    ...rules.map((rule) => (settings: S, environment: string) => rule(settings, { environment, contributions })),
    // Every environment has the platform's sections (PLATFORM_SETTINGS is always composed in).
    (settings: S) => missingCredentials(credentials(settings), (settings as unknown as PlatformSettings).security.credentials),
  ];
  const definition: EnvironmentDefinition<S> = {
    schema,
    checks,
    closedMaps: all.flatMap((c) => c.closedMaps ?? []),
    ownFields: all.flatMap((c) => c.ownFields ?? []),
    ineffectiveFields: all.flatMap((c) => c.ineffectiveFields ?? []),
  };

  const layerData = (environment: EnvironmentConfig<S>) => {
    const data = Object.fromEntries(CONFIG_LAYER_NAMES.map((l) => [l, {} as Record<string, string>])) as Record<
      ConfigLayerName,
      Record<string, string>
    >;
    const publisher = new Map<string, string>();
    for (const c of components) {
      const published: LayerData = c.layerData?.(environment.settings, environment.name) ?? {};
      for (const [layer, keys] of Object.entries(published) as [ConfigLayerName, Record<string, string>][]) {
        if (!(layer in data))
          throw new Error(`${c.id} publishes into the unknown config layer "${layer}" (layers: ${CONFIG_LAYER_NAMES.join(', ')})`);
        for (const [key, value] of Object.entries(keys)) {
          const other = publisher.get(`${layer}/${key}`);
          if (other) throw new Error(`${layer} layer key ${key} is published by both ${other} and ${c.id}`);
          publisher.set(`${layer}/${key}`, c.id);
          data[layer][key] = value;
        }
      }
    }
    return data;
  };

  const build = (environment: EnvironmentConfig<S>): BuiltPlatform => {
    const app = new App({ outdir: 'unused' });
    const byId = new Map(components.map((c) => [c.id, c]));
    const built = new Map<string, unknown>();
    const building: string[] = [];
    const use = <Built>(ref: ComponentRef<Built>): Built => {
      if (built.has(ref.id)) return built.get(ref.id) as Built;
      const c = byId.get(ref.id);
      if (!c) throw new Error(`${building.at(-1) ?? 'the platform'} uses the component "${ref.id}", which the registry does not list`);
      if (building.includes(ref.id))
        throw new Error(`components use each other: ${[...building.slice(building.indexOf(ref.id)), ref.id].join(' -> ')}`);
      building.push(ref.id);
      const result = c.build?.(context);
      building.pop();
      built.set(ref.id, result);
      return result as Built;
    };
    const context = { scope: app, environment, layerData: layerData(environment), contributions, use };
    for (const c of components) use(c);
    const charts = app.node.children
      .filter((child): child is PlatformChart => child instanceof PlatformChart)
      .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    return {
      charts,
      healthChecks: components.flatMap((c) => [...(c.healthChecks?.(built.get(c.id)) ?? [])]),
      accessPoints: components.flatMap((c) => [...(c.accessPoints?.(built.get(c.id)) ?? [])]),
      built: use,
    };
  };

  return {
    components,
    schema,
    definition,
    contributions,
    load: (configDir, environment) => loadEnvironment(configDir, environment, definition),
    loadAll: (configDir, environments) => loadEnvironments(configDir, environments, definition),
    credentials,
    layerData,
    build,
    requiredSecretsNotes: (environment) => components.flatMap((c) => [...(c.requiredSecretsNotes?.(environment) ?? [])]),
  };
}
