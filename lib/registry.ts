import type { EnvironmentConfig as LoadedEnvironment } from './config/load-environment';
import { agents, gatewayClients } from './agents';
import { baseline } from './baseline';
import { cache } from './cache';
import { database } from './database';
import { exposure } from './exposure';
import { gatewayComponent } from './gateway';
import { ConfigLayers, layers } from './layers';
import { monitoring } from './monitoring';
import type { ReadsOf } from './platform/component-descriptor';
import { componentRegistry, type SettingsOf } from './platform/component-registry';
import type { PlatformChart } from './platform/platform-chart';

/**
 * The gateway, serving every agent and workflow under names of their own: who calls it is the
 * agents' to declare, so the registry hands their function to it (the gateway imports no caller).
 */
const gateway = gatewayComponent(gatewayClients);

/**
 * THE list of components. Everything that deals with components maps over it: the config loader
 * (each component's sections and rules), the charts (each component builds its own), the
 * configuration layers, monitoring (each component's contribution), deploy's health checks and
 * access points, and the generated docs. Adding a component is one folder under lib/ whose
 * index.ts exports its descriptor, and one line here.
 *
 * The order is the order of monitoring outputs (scrape jobs, rule files, dashboards), of deploy's
 * health checks and access points, and of the config rules. It is not the build order (each
 * component builds what it uses first: context.use) nor the apply order (chart file names).
 */
export const COMPONENTS = [baseline, layers, monitoring, gateway, cache, database, agents, exposure] as const;

/** The components, composed. */
export const REGISTRY = componentRegistry(COMPONENTS);

/** The validated configuration of one environment, as read from YAML: the platform's sections and every component's. */
export type EnvironmentSettings = SettingsOf<typeof COMPONENTS>;

/** A validated environment: its name (from the file name) and its settings. */
export type EnvironmentConfig = LoadedEnvironment<EnvironmentSettings>;

/** The environment schema; `config/schema.json` is generated from it. */
export const ENVIRONMENT_SCHEMA = REGISTRY.schema;

/** Every component's monitoring contribution, in registry order. */
export const CONTRIBUTIONS = REGISTRY.contributions;

/**
 * Loads `config/base.yaml` overlaid with `config/<environment>.yaml` and validates it against the
 * composed schema and every component's rules. Throws a ConfigError listing every problem.
 */
export function loadEnvironment(configDir: string, environment: string): EnvironmentConfig {
  return REGISTRY.load(configDir, environment);
}

/** Loads several environments, reporting the problems of all of them together. */
export function loadEnvironments(configDir: string, environments: readonly string[]): EnvironmentConfig[] {
  return REGISTRY.loadAll(configDir, environments);
}

/** The configuration layers of an environment: every key every component publishes. */
export function configLayersOf(environment: EnvironmentConfig): ConfigLayers {
  return new ConfigLayers(REGISTRY.layerData(environment));
}

/**
 * Composes every chart of one environment, in the order of their files in `dist/<env>/` (so the
 * order in which `kubectl apply -f` creates them). Components reach each other by reference.
 */
export function composePlatform(environment: EnvironmentConfig): PlatformChart[] {
  return [...REGISTRY.build(environment).charts];
}

/**
 * Compile-time check that the composed settings give every component what it reads (the `S` of
 * its descriptor). Where they fall short, `npm run typecheck` fails here, naming the component.
 */
type FallingShort<C> = C extends { readonly id: infer Id } ? (EnvironmentSettings extends ReadsOf<C> ? never : Id) : never;
type ComponentsFallingShort = FallingShort<(typeof COMPONENTS)[number]>;
const everyComponentGetsWhatItReads: [ComponentsFallingShort] extends [never] ? true : ComponentsFallingShort = true;
void everyComponentGetsWhatItReads;
