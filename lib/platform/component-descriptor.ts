import type { Construct } from 'constructs';
import type { z } from 'zod';
import type { CrossFieldProblem } from '../config/cross-checks';
import type { ClosedMap, EnvironmentConfig, IneffectiveField, OwnField } from '../config/load-environment';
import type { AccessPoint, HealthCheck } from './deploy-targets';
import type { MonitoringContribution } from './monitoring-contribution';

/**
 * The component contract. Each component of the platform is one folder under lib/ whose
 * `index.ts` exports one ComponentDescriptor: everything the rest of the platform needs to know
 * about it. lib/registry.ts lists the descriptors; the config loader, the charts, the config
 * layers, monitoring, deploy and the generated docs all read that one list, so adding a component
 * is one new folder and one line there.
 *
 * The type parameter `S` is what the component reads of an environment's settings: its own
 * sections, and, where it needs them, sections of other components (declared with a Pick of their
 * section types, so the dependency shows in the types). The registry checks at compile time that
 * the composed settings give every component what it reads.
 */

/** The three configuration layers (ConfigMaps of `10-config-layers`). */
export type ConfigLayerName = 'global' | 'agent' | 'security';

/** Keys a component publishes into the configuration layers (service discovery and the like). */
export type LayerData = Partial<Record<ConfigLayerName, Readonly<Record<string, string>>>>;

/** What a component's checks see besides the settings. */
export interface CheckContext<S> {
  /** Environment name, e.g. `prod`, for rules that hold only in some environments. */
  readonly environment: string;
  /** Every registered component's monitoring contributions, in registry order. */
  readonly contributions: readonly MonitoringContribution<S>[];
}

/**
 * A rule across fields or sections, run once the schema is satisfied. `R` is what it reads; it is
 * called with whole settings that include that (`S`), so a rule over a few sections fits any
 * component that reads at least those.
 */
export type CrossCheck<R> = <S extends R>(settings: S, context: CheckContext<S>) => readonly CrossFieldProblem[];

/** A credential (an id of `security.credentials`) a component reads in an environment. */
export interface CredentialRequirement {
  /** The credential id. */
  readonly id: string;
  /** What it holds, for messages: `the master key`, `a Redis password`. */
  readonly purpose: string;
  /**
   * The config field that names the credential. A missing credential is reported there (`expected
   * the id of a credential in security.credentials holding <purpose>`); without a field the id is
   * fixed, and the problem is reported at `security.credentials`.
   * @default - a fixed id
   */
  readonly field?: readonly (string | number)[];
  /**
   * The component starts without it (a notification channel, say): the deploy warns instead of
   * refusing when its Secret key is absent. It must still be defined in `security.credentials`.
   * @default false
   */
  readonly optional?: boolean;
}

/**
 * A reference to a component by id, typed by what its build returns. A descriptor is one; a
 * component whose descriptor is made in the registry (because the registry wires it) exports a
 * reference for the components that use it.
 */
export interface ComponentRef<Built> {
  /** The component's id. */
  readonly id: string;
  /** What building it returns (only its type matters here). */
  readonly build?: (context: never) => Built;
}

/** A typed reference to the component with this id (see ComponentRef). */
export function componentRef<Built>(id: string): ComponentRef<Built> {
  return { id };
}

/** What a component's build step receives. */
export interface BuildContext<S> {
  /** Where charts go: the App of this environment. */
  readonly scope: Construct;
  /** The environment: its name, file and settings. */
  readonly environment: EnvironmentConfig<S>;
  /** Every key every registered component publishes into the configuration layers, by layer. */
  readonly layerData: Readonly<Record<ConfigLayerName, Readonly<Record<string, string>>>>;
  /** Every registered component's monitoring contributions, in registry order. */
  readonly contributions: readonly MonitoringContribution<S>[];
  /**
   * What another registered component built: it is built first if it was not yet. This is how
   * components reach each other, by object reference (its constructs, endpoints and peers), never
   * by name. Throws when the component is not registered, or when two components use each other.
   */
  use<Built>(component: ComponentRef<Built>): Built;
}

/** One component: one folder under lib/, whose index.ts exports this. */
export interface ComponentDescriptor<Id extends string, Shape extends z.ZodRawShape, S, Built> extends ComponentRef<Built> {
  /** Component id (`gateway`); unique in the registry. */
  readonly id: Id;
  /** What it is, for docs and messages: `LLM gateway (LiteLLM)`. */
  readonly title: string;
  /**
   * Its top-level config sections and their schemas, e.g. `{ redis: redisSection }`. The registry
   * composes every component's sections into the environment schema (and `config/schema.json`).
   */
  readonly config: Shape;
  /**
   * Maps of its sections only base.yaml may add entries to.
   * @default - none
   */
  readonly closedMaps?: readonly ClosedMap[];
  /**
   * Fields of its sections every environment file sets itself (never inherited from base.yaml).
   * @default - none
   */
  readonly ownFields?: readonly OwnField[];
  /**
   * Fields of its sections that have no effect in some settings; an environment file that sets
   * one there is refused.
   * @default - none
   */
  readonly ineffectiveFields?: readonly IneffectiveField<S>[];
  /**
   * Cross-field rules (they may read other sections: declare which in `S`).
   * @default - none
   */
  readonly checks?: readonly CrossCheck<S>[];
  /**
   * The credentials it reads in an environment. A generic check reports the ones
   * `security.credentials` does not define.
   * @default - none
   */
  readonly credentials?: (settings: S) => readonly CredentialRequirement[];
  /**
   * Its monitoring mixins: metrics, scrape targets, alerts and dashboards.
   * @default - none
   */
  readonly monitoring?: readonly MonitoringContribution<S>[];
  /**
   * Keys it publishes into the configuration layers: its service discovery (from the endpoints
   * its constructs create), and its own settings that applications read.
   * @default - none
   */
  readonly layerData?: (settings: S, environment: string) => LayerData;
  /**
   * Builds its charts into `context.scope` and returns what other components and deploy may use
   * (its constructs, endpoints and peers). Chart file names order `kubectl apply`.
   * @default - no charts
   */
  readonly build?: (context: BuildContext<S>) => Built;
  /**
   * Services the deploy script probes after a rollout, given what was built.
   * @default - none
   */
  readonly healthChecks?: (built: Built) => readonly HealthCheck[];
  /**
   * Services an operator may want to reach, given what was built.
   * @default - none
   */
  readonly accessPoints?: (built: Built) => readonly AccessPoint[];
  /**
   * Lines appended to an environment's section of `docs/required-secrets.md` (what an operator sets
   * up beside the Secrets, such as a database login).
   * @default - none
   */
  readonly requiredSecretsNotes?: (environment: EnvironmentConfig<S>) => readonly string[];
}

/** Any descriptor, as the registry holds them (it is generic over what each reads and builds). */
export type AnyComponent = ComponentDescriptor<string, z.ZodRawShape, any, any>;

/** What a descriptor reads of the settings (its `S`). */
export type ReadsOf<C> = C extends ComponentDescriptor<string, z.ZodRawShape, infer S, infer _Built> ? S : never;

/**
 * Declares a component: `component<Reads>()({ id, title, config, … })`. `Reads` is what it reads
 * of the settings; the id, sections and built type are inferred.
 */
export function component<S>() {
  return <const Id extends string, Shape extends z.ZodRawShape, Built = void>(descriptor: ComponentDescriptor<Id, Shape, S, Built>) =>
    descriptor;
}
