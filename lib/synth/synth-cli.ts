import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCommandLine, UsageError } from '../cli/command-line';
import { ConfigError, type ConfigIssue } from '../config/config-error';
import { renderConfigJsonSchema } from '../config/json-schema';
import { formatPath, listEnvironments, type EnvironmentConfig as LoadedEnvironment } from '../config/load-environment';
import { ContractSet } from '../contracts/contract';
import { renderPinnedVersionsDoc } from '../contracts/pinned-versions';
import { renderRequiredSecretsDoc } from '../layers';
import { renderMonitoringDocParts } from '../monitoring';
import type { ComponentRegistry } from '../platform/component-registry';
import type { PlatformSettings } from '../platform/platform-settings';
import { quotaProblems } from '../policy/quota-usage';
import { type EnvironmentConfig, type EnvironmentSettings, REGISTRY } from '../registry';
import { spliceGeneratedParts } from './generated-parts';
import { renderCharts, RenderedEnvironment } from './render-environment';
import { writeDist } from './write-dist';

/** Options of one synth run. */
export interface SynthOptions {
  /** Folder of `base.yaml` and the environment files. */
  readonly configDir: string;
  /** Output folder (`dist`). */
  readonly outDir: string;
  /** Environments to render; empty means all. */
  readonly environments: readonly string[];
}

const USAGE = `usage: npm run synth [-- --env <name> ...] [--config <dir>] [--out <dir>]
       npm run generate          regenerate config/schema.json and the generated docs`;

/** Renders one validated environment: every chart its components build. */
export function renderEnvironment(environment: EnvironmentConfig): RenderedEnvironment<EnvironmentSettings>;
export function renderEnvironment<S extends PlatformSettings>(
  environment: LoadedEnvironment<S>,
  registry: ComponentRegistry<S>,
): RenderedEnvironment<S>;
export function renderEnvironment(
  environment: EnvironmentConfig,
  registry: ComponentRegistry<EnvironmentSettings> = REGISTRY,
): RenderedEnvironment<EnvironmentSettings> {
  return renderCharts(environment, registry.build(environment).charts);
}

/**
 * What the cluster would refuse that only the rendered objects show, as config problems at the
 * field to change: a ResourceQuota too small for every workload at its peak. Reported against the
 * environment's own file, where a per-environment quota belongs.
 */
export function renderedProblems(environment: RenderedEnvironment<EnvironmentSettings>): ConfigIssue[] {
  const objects = environment.files.flatMap((f) => f.objects);
  return quotaProblems(environment.environment.settings.namespace.quota, objects).map((p) => ({
    file: environment.environment.file,
    path: formatPath(p.path),
    expected: p.expected,
    found: p.found,
  }));
}

/**
 * Loads, validates and renders the chosen environments, and writes them atomically. Refuses what
 * renderedProblems finds (nothing is written).
 */
export function synthesize(options: SynthOptions, log: (line: string) => void = () => undefined): RenderedEnvironment[] {
  const available = listEnvironments(options.configDir);
  const unknown = options.environments.filter((e) => !available.includes(e));
  if (unknown.length > 0) {
    throw new UsageError(`unknown environment ${unknown.join(', ')}: config/ defines ${available.join(', ') || 'none'}`);
  }
  const names = options.environments.length > 0 ? options.environments : available;
  const configs = REGISTRY.loadAll(options.configDir, names);
  const rendered: RenderedEnvironment<EnvironmentSettings>[] = [];
  const timings = new Map<string, number>();
  for (const config of configs) {
    const started = process.hrtime.bigint();
    rendered.push(renderEnvironment(config));
    timings.set(config.name, Number(process.hrtime.bigint() - started) / 1e6);
  }
  const refused = rendered.flatMap(renderedProblems);
  if (refused.length > 0) throw new ConfigError(refused);
  writeDist(options.outDir, rendered, options.environments.length === 0);
  for (const r of rendered) {
    const objects = r.files.reduce((n, f) => n + f.objects.length, 0);
    log(
      `${r.environment.name.padEnd(10)} ${String(r.files.length).padStart(3)} files ${String(objects).padStart(4)} objects ${timings.get(r.environment.name)!.toFixed(0).padStart(5)} ms  -> ${path.join(options.outDir, r.environment.name)}/`,
    );
  }
  return rendered;
}

/**
 * Files generated from the code and config, kept in git for editors and operators:
 * `config/schema.json` (every component's sections), `docs/required-secrets.md` (with every
 * component's notes), `docs/pinned-versions.md` (from every rendered image), and the alert and
 * dashboard tables of `docs/monitoring.md` (from every component's monitoring contribution, as each
 * environment ships it). A test fails when they are stale.
 */
export function generatedFiles<S extends PlatformSettings>(configDir: string, registry: ComponentRegistry<S>): [string, string][];
export function generatedFiles(configDir: string): [string, string][];
export function generatedFiles(configDir: string, registry: ComponentRegistry<EnvironmentSettings> = REGISTRY): [string, string][] {
  const schemaFile = path.join(configDir, 'schema.json');
  const environments = registry.loadAll(configDir, listEnvironments(configDir));
  const docs = path.join(configDir, '..', 'docs');
  const rendered = environments.map((e) => ({ name: e.name, objects: renderEnvironment(e, registry).files.flatMap((f) => f.objects) }));
  const monitoringDoc = path.join(docs, 'monitoring.md');
  return [
    [schemaFile, renderConfigJsonSchema(registry.schema)],
    [path.join(docs, 'required-secrets.md'), renderRequiredSecretsDoc(environments, (e) => registry.requiredSecretsNotes(e))],
    [path.join(docs, 'pinned-versions.md'), renderPinnedVersionsDoc(rendered, ContractSet.load())],
    [
      monitoringDoc,
      spliceGeneratedParts(
        fs.existsSync(monitoringDoc) ? fs.readFileSync(monitoringDoc, 'utf8') : undefined,
        { ...renderMonitoringDocParts(environments, registry.contributions) },
        'docs/monitoring.md',
      ),
    ],
  ];
}

function parseArgs(argv: readonly string[]): SynthOptions & { writeSchema: boolean } {
  const environments: string[] = [];
  let configDir = 'config';
  let outDir = process.env.CDK8S_OUTDIR ?? 'dist';
  let writeSchema = false;
  const { help } = readCommandLine(argv, {
    values: {
      '--env': (v) => environments.push(...v.split(',')),
      '--config': (v) => (configDir = v),
      '--out': (v) => (outDir = v),
    },
    flags: { '--write-generated': () => (writeSchema = true) },
  });
  if (help) throw new UsageError('');
  return { environments, configDir, outDir, writeSchema };
}

/**
 * The synth command. Exit status: 0 on success, 1 on invalid configuration or a failed render
 * (nothing written), 2 on a wrong command line.
 */
export function runSynthCli(argv: readonly string[]): number {
  try {
    const options = parseArgs(argv);
    if (options.writeSchema) {
      for (const [file, content] of generatedFiles(options.configDir)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
        console.log(`wrote ${file}`);
      }
      return 0;
    }
    const started = process.hrtime.bigint();
    const rendered = synthesize(options, (line) => console.log(line));
    console.log(`synthesized ${rendered.length} environment(s) in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) console.error(`error: ${error.message}`);
      console.error(USAGE);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}\nnothing was written; dist/ is unchanged.`);
      return 1;
    }
    console.error(`error: ${error instanceof Error ? error.message : String(error)}\nnothing was written; dist/ is unchanged.`);
    return 1;
  }
}
