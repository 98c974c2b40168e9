import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

/** The committed output the harness runs: `dist/` at the repository root. */
export const DIST_DIR = path.join(__dirname, '..', '..', '..', 'dist');

/** A rendered Kubernetes object, as parsed from `dist/<env>/*.k8s.yaml`. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly data?: Readonly<Record<string, string>>;
  readonly spec?: any;
  /** The file it came from, e.g. `dist/dev/20-cache.k8s.yaml`. */
  readonly file: string;
}

/** Something the scenario needs is not in `dist/<env>/`. */
export class MissingRenderedConfig extends Error {
  constructor(environment: string, what: string, found: string) {
    super(`dist/${environment}/ does not render ${what}; found ${found}. Run \`npm run synth\` if the charts changed.`);
    this.name = 'MissingRenderedConfig';
  }
}

/**
 * Every object of one environment, read from the committed YAML in `dist/<env>/` (never from a copy
 * kept elsewhere), in file order.
 */
export class RenderedManifests {
  public readonly objects: readonly Manifest[];

  constructor(
    public readonly environment: string,
    distDir = DIST_DIR,
  ) {
    const dir = path.join(distDir, environment);
    if (!fs.existsSync(dir)) throw new MissingRenderedConfig(environment, 'anything', 'no such directory');
    this.objects = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.k8s.yaml'))
      .sort()
      .flatMap((f) =>
        yaml
          .loadAll(fs.readFileSync(path.join(dir, f), 'utf8'))
          .filter((o): o is Record<string, any> => !!o && typeof o === 'object')
          .map((o) => ({ ...o, file: path.join('dist', environment, f) }) as Manifest),
      );
  }

  /** Objects of a kind, optionally narrowed by a predicate. */
  public all(kind: string, where: (m: Manifest) => boolean = () => true): Manifest[] {
    return this.objects.filter((o) => o.kind === kind && where(o));
  }

  /** The one object of a kind with this name; throws naming what is missing. */
  public get(kind: string, name: string): Manifest {
    const found = this.objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new MissingRenderedConfig(this.environment, `a ${kind} named ${name}`, this.namesOf(kind));
    return found;
  }

  /** The ConfigMap that holds the data key `key`, and its text; throws naming what is missing. */
  public configFile(key: string, where: (m: Manifest) => boolean = () => true): { readonly configMap: Manifest; readonly text: string } {
    const holders = this.all('ConfigMap', (c) => where(c) && c.data?.[key] !== undefined);
    if (holders.length === 0) {
      const keys = this.all('ConfigMap').flatMap((c) => Object.keys(c.data ?? {}).map((k) => `${c.metadata.name}/${k}`));
      throw new MissingRenderedConfig(
        this.environment,
        `a ConfigMap with the key "${key}"`,
        keys.length ? `only ${keys.join(', ')}` : 'no ConfigMap data',
      );
    }
    if (holders.length > 1)
      throw new Error(
        `dist/${this.environment}/: ${holders.length} ConfigMaps hold "${key}": ${holders.map((h) => h.metadata.name).join(', ')}`,
      );
    return { configMap: holders[0], text: holders[0].data![key] };
  }

  /** Deployments, StatefulSets, DaemonSets, Jobs and CronJobs. */
  public workloads(): Manifest[] {
    return this.objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(o.kind));
  }

  private namesOf(kind: string): string {
    const names = this.all(kind).map((o) => o.metadata.name);
    return names.length ? `only ${names.join(', ')}` : `no ${kind}`;
  }
}

/** The pod template of a workload. */
export function podTemplateOf(workload: Manifest): {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: any;
} {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template;
}

/** The pod spec of a workload. */
export function podSpecOf(workload: Manifest): any {
  return podTemplateOf(workload).spec;
}
