import * as path from 'node:path';
import { containersOf, podTemplateOf } from '../platform/pod-specs';
import type { KubeObject } from '../platform/kube-object';

/**
 * What a rendered container asks of the program in its image: the command-line flags it passes,
 * the environment variables it sets, the HTTP paths its probes call and the user it runs as. The
 * contract tests hold each of these to the contract of the image's pinned version.
 */
export interface ContainerUsage {
  /** `Deployment/litellm-gateway: container litellm`, for messages. */
  readonly where: string;
  /** Image repository and tag. */
  readonly repository: string;
  readonly tag: string;
  /** True when the container runs a script of ours mounted from a ConfigMap: its flags and env are ours. */
  readonly ownScript: boolean;
  /**
   * Flags as the contract names them: `--config` for the image's own entrypoint, `<command> <flag>`
   * for another executable of the image (`redis-cli -e`, `pg_isready --host`).
   */
  readonly flags: readonly string[];
  /** Command lines that cannot be checked (a shell `-c` string). */
  readonly unparsed: readonly string[];
  /** Names of the environment variables set (those only used in `$(NAME)` expansions excluded). */
  readonly env: readonly string[];
  /**
   * Variables a config file mounted into the container names as `os.environ/<NAME>` (LiteLLM's
   * reference syntax): the program reads them through that config, whatever they are called.
   */
  readonly referencedEnv: readonly string[];
  /** ConfigMaps mounted into the container: where, and the text of their files (scripts, configs). */
  readonly configMounts: readonly { readonly path: string; readonly files: readonly string[] }[];
  /** Paths of HTTP probes. */
  readonly httpPaths: readonly string[];
  /** The user id it runs as, if set. */
  readonly runAsUser?: number;
}

const INTERPRETERS = new Set(['python', 'python3', 'sh', 'bash', 'node']);

/** `repo:tag` (or `repo@sha256:…`) split into repository and tag. */
export function splitImage(image: string): { repository: string; tag: string } {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? { repository: base.slice(0, colon), tag: base.slice(colon + 1) } : { repository: base, tag: 'latest' };
}

/** The flags of one command line; `executable` is undefined for the image's entrypoint. */
function flagsOf(tokens: readonly string[], executable: string | undefined): string[] {
  return tokens.filter((t) => /^-{1,2}[A-Za-z]/.test(t)).map((t) => (executable ? `${executable} ${t.split('=')[0]}` : t.split('=')[0]));
}

interface Invocation {
  /** Executable name, as contracts list it, or undefined for the entrypoint. */
  readonly executable?: string;
  /** Arguments after the executable. */
  readonly rest: readonly string[];
  /** Path of an interpreted script. */
  readonly script?: string;
  /** A shell command string that cannot be parsed. */
  readonly shell?: string;
}

function invocation(command: readonly string[] | undefined, args: readonly string[]): Invocation {
  if (!command || command.length === 0) return { rest: args };
  const all = [...command, ...args];
  const head = path.basename(all[0]);
  if (INTERPRETERS.has(head)) {
    if (all[1] === '-c') return { executable: head, rest: [], shell: all.slice(2).join(' ') };
    if (all[1] && !all[1].startsWith('-')) return { executable: all[1], script: all[1], rest: all.slice(2) };
  }
  return { executable: head, rest: all.slice(1) };
}

/** Every container of every workload, with what it uses of its image's program. */
export function containerUsages(objects: readonly KubeObject[]): ContainerUsage[] {
  return objects.flatMap((obj) => {
    const template = podTemplateOf(obj);
    if (!template) return [];
    const configMapMounts = new Set(
      (template.spec.volumes ?? []).filter((v: any) => v.configMap).map((v: any) => v.name as string),
    );
    const configMapOf = (volume: string) => {
      const name = (template.spec.volumes ?? []).find((v: any) => v.name === volume)?.configMap?.name;
      return objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    };
    return containersOf(template.spec).map(({ container: c }) => {
      const { repository, tag } = splitImage(c.image);
      const mountedScripts = (c.volumeMounts ?? []).filter((m: any) => configMapMounts.has(m.name)).map((m: any) => m.mountPath as string);
      const main = invocation(c.command, c.args ?? []);
      const ownScript = main.script !== undefined && mountedScripts.some((dir: string) => main.script!.startsWith(`${dir}/`));
      const probes = ['startupProbe', 'readinessProbe', 'livenessProbe'].map((k) => c[k]).filter(Boolean);
      const probeCommands = probes.filter((p: any) => p.exec).map((p: any) => invocation(p.exec.command, []));
      const commands = [main, ...probeCommands];
      // Variables only used in `$(NAME)` expansions of the command, args or other variables are
      // consumed by Kubernetes, not read by the program.
      const expansionSources = [...(c.command ?? []), ...(c.args ?? []), ...(c.env ?? []).map((e: any) => e.value ?? '')];
      const expanded = new Set(expansionSources.flatMap((t: string) => [...t.matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((m) => m[1])));
      const configMounts = (c.volumeMounts ?? [])
        .filter((m: any) => configMapMounts.has(m.name))
        .map((m: any) => ({
          path: m.mountPath as string,
          files: Object.values((configMapOf(m.name)?.data ?? {}) as Record<string, string>),
        }));
      const mountedText = configMounts.flatMap((m: { files: string[] }) => m.files);
      const referencedEnv: string[] = [...new Set<string>(mountedText.flatMap((t: string) => [...t.matchAll(/os\.environ\/([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])))].sort();
      return {
        where: `${obj.kind}/${obj.metadata.name}: container ${c.name}`,
        referencedEnv,
        configMounts,
        repository,
        tag,
        ownScript,
        flags: commands.flatMap((i, n) => (n === 0 && ownScript ? [] : i.shell === undefined ? flagsOf(i.rest, i.executable) : [])),
        unparsed: commands.filter((i) => i.shell !== undefined).map((i) => `${i.executable} -c ${i.shell}`),
        env: (c.env ?? []).map((e: any) => e.name as string).filter((n: string) => !expanded.has(n)),
        httpPaths: probes.filter((p: any) => p.httpGet).map((p: any) => p.httpGet.path as string),
        runAsUser: c.securityContext?.runAsUser ?? template.spec.securityContext?.runAsUser,
      };
    });
  });
}
