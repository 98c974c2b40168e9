import { Yaml } from 'cdk8s';
import type { EnvironmentConfig } from '../config/load-environment';
import type { KubeObject } from '../platform/kube-object';
import type { PlatformChart } from '../platform/platform-chart';
import type { PlatformSettings } from '../platform/platform-settings';

export type { KubeObject } from '../platform/kube-object';

/** One file of `dist/<env>/`. */
export interface RenderedFile {
  /** File name, e.g. `00-baseline.k8s.yaml`. */
  readonly fileName: string;
  /** The YAML text written to the file. */
  readonly content: string;
  /** The objects in the file, in order. */
  readonly objects: readonly KubeObject[];
}

/** Everything one environment renders to. */
export interface RenderedEnvironment<S extends PlatformSettings = PlatformSettings> {
  readonly environment: EnvironmentConfig<S>;
  readonly files: readonly RenderedFile[];
}

/**
 * cdk8s reads these variables while rendering (`CDK8S_DISABLE_SORT` turns off key sorting,
 * `CDK8S_LEGACY_HASH` changes generated names). Output must not depend on the caller's
 * environment, so rendering refuses to run with either set.
 */
const OUTPUT_CHANGING_VARIABLES = ['CDK8S_DISABLE_SORT', 'CDK8S_LEGACY_HASH'];

/** Extension of every rendered file. */
export const FILE_EXTENSION = '.k8s.yaml';

/**
 * Renders the charts of one environment in memory. Runs every construct's validations first
 * (as `app.synth()` would), and names each file after its chart's fixed `fileName`.
 */
export function renderCharts<S extends PlatformSettings>(
  environment: EnvironmentConfig<S>,
  charts: readonly PlatformChart[],
): RenderedEnvironment<S> {
  const set = OUTPUT_CHANGING_VARIABLES.filter((v) => process.env[v] !== undefined);
  if (set.length > 0) throw new Error(`unset ${set.join(' and ')}: they change cdk8s's output, which must not depend on the environment`);
  const errors = charts.flatMap((chart) => chart.node.findAll().flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`)));
  if (errors.length > 0) throw new Error(`${environment.name}: validation failed:\n  ${errors.join('\n  ')}`);
  const seen = new Set<string>();
  const files = charts.map((chart) => {
    if (seen.has(chart.fileName)) throw new Error(`${environment.name}: two charts write ${chart.fileName}`);
    seen.add(chart.fileName);
    const objects = chart.toJson() as KubeObject[];
    let content: string | undefined;
    // YAML text is a third of the render time and most callers (tests, review) need only the
    // objects: produce it on first use.
    return {
      fileName: `${chart.fileName}${FILE_EXTENSION}`,
      objects,
      get content() {
        content ??= Yaml.stringify(...objects);
        return content;
      },
    };
  });
  return { environment, files };
}
