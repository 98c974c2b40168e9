import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { deepMerge, YamlMap } from '../../lib/config/deep-merge';
import { loadEnvironment } from '../../lib/registry';
import type { EnvironmentConfig } from '../../lib/registry';
import { CONFIG_DIR, configCopy, configProblems } from './environments';
import { gatewayAgentsFixture, type Overrides } from './fixture-settings';
import type { AgentsSettings } from '../../lib/agents/config';
import type { GatewaySettings } from '../../lib/gateway/config';

/** Changes to a config copy, made on the parsed YAML. */
export interface ConfigChanges {
  /** Maps deep-merged into config files (lists replace), by file name, e.g. `dev.yaml`. */
  readonly merge?: Record<string, YamlMap>;
  /** Edits the parsed base.yaml in place (for what an overlay cannot express, like removing keys). */
  readonly base?: (base: any) => void;
}

/** The config files the changes rewrite, by file name. */
function changedFiles(changes: ConfigChanges): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [file, patch] of Object.entries(changes.merge ?? {})) {
    const doc = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8'), { schema: yaml.CORE_SCHEMA }) as YamlMap;
    overrides[file] = yaml.dump(deepMerge(doc, patch));
  }
  if (changes.base) {
    const base = yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA });
    changes.base(base);
    overrides['base.yaml'] = yaml.dump(base);
  }
  if (changes.base && changes.merge?.['base.yaml']) {
    throw new Error('give base.yaml changes either as merge or as base, not both');
  }
  return overrides;
}

/** Loads an environment from a changed config copy. */
export function loadChanged(changes: ConfigChanges, environment = 'dev'): EnvironmentConfig {
  return loadEnvironment(configCopy(changedFiles(changes)), environment);
}

/** The formatted problems of loading an environment from a changed config copy. */
export function problemsWith(changes: ConfigChanges, environment = 'dev'): string[] {
  return configProblems(changedFiles(changes), environment);
}

/**
 * config/'s base.yaml and environment file with the named top-level sections replaced whole by
 * these (and the environment file's own settings of them dropped), these credentials added to
 * `security.credentials`, then `change` applied to the parsed base.yaml: for tests of a component
 * that needs the whole platform around it but must not depend on what config/ says about the
 * component itself.
 */
export function filesWithSections(
  sections: YamlMap,
  credentials: YamlMap = {},
  environment = 'dev',
  change: (base: any) => void = () => undefined,
): Record<string, string> {
  const read = (file: string) => yaml.load(fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8'), { schema: yaml.CORE_SCHEMA }) as any;
  const base = read('base.yaml');
  const overlay = read(`${environment}.yaml`);
  for (const [name, section] of Object.entries(sections)) {
    base[name] = structuredClone(section);
    delete overlay[name];
  }
  base.security.credentials = { ...base.security.credentials, ...credentials };
  change(base);
  return { 'base.yaml': yaml.dump(base, { lineWidth: -1 }), [`${environment}.yaml`]: yaml.dump(overlay, { lineWidth: -1 }) };
}

/** Loads an environment of {@link filesWithSections}. */
export function loadWithSections(sections: YamlMap, credentials: YamlMap = {}, environment = 'dev'): EnvironmentConfig {
  return loadEnvironment(configCopy(filesWithSections(sections, credentials, environment)), environment);
}

/**
 * config/'s files (dev unless named) with the gateway and agents fixtures of
 * test/support/fixture-settings.ts in place of its sections and their credentials added, then
 * `change` applied to the parsed base.yaml.
 */
export function gatewayAgentsFixtureFiles(change: (base: any) => void = () => undefined, environment = 'dev'): Record<string, string> {
  const fixture = gatewayAgentsFixture();
  return filesWithSections(
    { gateway: fixture.gateway, agents: fixture.agents } as YamlMap,
    fixture.credentials as YamlMap,
    environment,
    change,
  );
}

/**
 * An environment of config/ (dev unless named) whose gateway and agents sections are the fixtures
 * of test/support/fixture-settings.ts with these overrides, and whose credentials include theirs.
 */
export function loadWithGatewayAgentsFixture(
  gatewayOverrides: Overrides<GatewaySettings> = {},
  agentsOverrides: Overrides<AgentsSettings> = {},
  environment = 'dev',
): EnvironmentConfig {
  const fixture = gatewayAgentsFixture(gatewayOverrides, agentsOverrides);
  return loadWithSections({ gateway: fixture.gateway, agents: fixture.agents } as YamlMap, fixture.credentials as YamlMap, environment);
}
