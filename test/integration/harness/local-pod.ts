import * as fs from 'node:fs';
import * as path from 'node:path';
import { Manifest, MissingRenderedConfig, podSpecOf, RenderedManifests } from './rendered-manifests';

/** Values of Secret keys for the local run, keyed `<secret>/<key>` (generated at run time, never committed). */
export type SecretValues = ReadonlyMap<string, string>;

/** Turns a file from a ConfigMap into what the program reads on this machine (`localPath` maps the container's paths). */
export type FileRewrite = (
  file: { readonly configMap: string; readonly key: string; readonly text: string },
  localPath: (containerPath: string) => string,
) => string;

/** What a container of a rendered pod looks like on this machine. */
export interface LocalContainer {
  /** The container as rendered. */
  readonly container: any;
  /** `command` then `args`, with Kubernetes `$(VAR)` references expanded. */
  readonly argv: readonly string[];
  /** Environment as the kubelet would set it (Secret and ConfigMap references resolved). */
  readonly env: Readonly<Record<string, string>>;
  /** Where each mount path of the container lives on this machine. */
  readonly mounts: ReadonlyMap<string, string>;
  /** The local path for a path inside the container (mounted paths only; others unchanged). */
  localPath(containerPath: string): string;
}

/**
 * Lays out the volumes of one container of a rendered workload under `root`, the way the kubelet
 * would: ConfigMap data as files (passed through `rewrite`), Secret keys from `secrets`, emptyDirs
 * and claims as empty directories. Resolves its environment and arguments the same way.
 */
export function materializeContainer(options: {
  readonly manifests: RenderedManifests;
  readonly workload: Manifest;
  readonly containerName: string;
  readonly root: string;
  readonly secrets: SecretValues;
  readonly rewrite: FileRewrite;
}): LocalContainer {
  const { manifests, workload, containerName, root, secrets, rewrite } = options;
  const spec = podSpecOf(workload);
  const container = [...spec.containers, ...(spec.initContainers ?? [])].find((c: any) => c.name === containerName);
  if (!container)
    throw new MissingRenderedConfig(
      manifests.environment,
      `a container "${containerName}" in ${workload.kind}/${workload.metadata.name}`,
      'other containers',
    );

  const secretValue = (name: string, key: string): string => {
    const value = secrets.get(`${name}/${key}`);
    if (value === undefined)
      throw new Error(`the harness has no local value for Secret ${name} key ${key} (used by ${workload.metadata.name}/${containerName})`);
    return value;
  };
  const configMapData = (name: string): Record<string, string> => ({ ...manifests.get('ConfigMap', name).data });

  const volumes = new Map<string, any>([
    ...(spec.volumes ?? []).map((v: any) => [v.name, v] as [string, any]),
    ...(workload.spec?.volumeClaimTemplates ?? []).map(
      (c: any) => [c.metadata.name, { name: c.metadata.name, emptyDir: {} }] as [string, any],
    ),
  ]);
  // Mount paths first, so the rewrite of a mounted file can already map container paths.
  const mounts = new Map<string, string>();
  const toWrite: { dir: string; volume: any }[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = volumes.get(mount.name);
    if (!volume) throw new Error(`${workload.metadata.name}/${containerName} mounts an undeclared volume ${mount.name}`);
    // Writable volumes are shared by the pod's containers; files from ConfigMaps and Secrets are
    // laid out per container, because the rewrite maps paths through that container's mounts.
    const shared = !(volume.configMap || volume.secret || volume.projected);
    const volumeDir = shared ? path.join(root, 'volumes', mount.name) : path.join(root, 'containers', containerName, mount.name);
    if (!toWrite.some((w) => w.dir === volumeDir)) toWrite.push({ dir: volumeDir, volume });
    mounts.set(mount.mountPath.replace(/\/+$/, ''), mount.subPath ? path.join(volumeDir, mount.subPath) : volumeDir);
  }
  const sortedMounts = [...mounts.entries()].sort((a, b) => b[0].length - a[0].length);
  const localPath = (containerPath: string): string => {
    for (const [mountPath, local] of sortedMounts) {
      if (containerPath === mountPath) return local;
      if (containerPath.startsWith(`${mountPath}/`)) return path.join(local, containerPath.slice(mountPath.length + 1));
    }
    return containerPath;
  };
  // Secrets and empty directories first: a config file's rewrite may read a Secret file.
  toWrite.sort((a, b) => Number(!!a.volume.configMap) - Number(!!b.volume.configMap));
  for (const { dir, volume } of toWrite) {
    if (!fs.existsSync(dir)) writeVolume(dir, volume, { configMapData, secretValue, rewrite: (file) => rewrite(file, localPath) });
  }

  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) for (const [k, v] of Object.entries(configMapData(from.configMapRef.name))) env[prefix + k] = v;
    if (from.secretRef) {
      for (const [id, value] of secrets)
        if (id.startsWith(`${from.secretRef.name}/`)) env[prefix + id.slice(from.secretRef.name.length + 1)] = value;
    }
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.secretKeyRef) env[variable.name] = secretValue(from.secretKeyRef.name, from.secretKeyRef.key);
    else if (from?.configMapKeyRef) env[variable.name] = configMapData(from.configMapKeyRef.name)[from.configMapKeyRef.key] ?? '';
    else if (from?.fieldRef) env[variable.name] = fieldValue(from.fieldRef.fieldPath, workload);
    else if (from?.resourceFieldRef) env[variable.name] = '0';
    else env[variable.name] = expandKubeVars(variable.value ?? '', env);
  }
  const argv = [...(container.command ?? []), ...(container.args ?? [])].map((a: string) => expandKubeVars(a, env));

  return {
    container,
    argv,
    env,
    mounts,
    localPath,
  };
}

function writeVolume(
  dir: string,
  volume: any,
  source: {
    configMapData: (name: string) => Record<string, string>;
    secretValue: (name: string, key: string) => string;
    rewrite: (file: { readonly configMap: string; readonly key: string; readonly text: string }) => string;
  },
): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (file: string, text: string, mode: number): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text, { mode });
  };
  const fromConfigMap = (ref: any): void => {
    const data = source.configMapData(ref.name);
    const items: { key: string; path: string; mode?: number }[] = ref.items ?? Object.keys(data).map((key) => ({ key, path: key }));
    // The kubelet's file modes: the item's, else the volume's defaultMode, else 0644.
    for (const item of items)
      write(
        item.path,
        source.rewrite({ configMap: ref.name, key: item.key, text: data[item.key] ?? '' }),
        item.mode ?? ref.defaultMode ?? 0o644,
      );
  };
  const fromSecret = (name: string, items: { key: string; path: string }[]): void => {
    for (const item of items) write(item.path, source.secretValue(name, item.key), 0o640);
  };
  if (volume.configMap) fromConfigMap(volume.configMap);
  else if (volume.secret) {
    if (!volume.secret.items)
      throw new Error(`Secret volume ${volume.name} mounts every key of ${volume.secret.secretName}; the harness needs explicit items`);
    fromSecret(volume.secret.secretName, volume.secret.items);
  } else if (volume.projected) {
    for (const s of volume.projected.sources ?? []) {
      if (s.configMap) fromConfigMap(s.configMap);
      if (s.secret) fromSecret(s.secret.name, s.secret.items ?? []);
    }
  }
  // emptyDir, persistentVolumeClaim and claim templates: an empty directory.
}

/** The few downward-API fields the harness can answer on one machine. */
function fieldValue(fieldPath: string, workload: Manifest): string {
  if (fieldPath === 'metadata.name') return `${workload.metadata.name}-0`;
  if (fieldPath === 'metadata.namespace') return (workload.metadata as any).namespace ?? 'default';
  if (fieldPath === 'status.podIP' || fieldPath === 'status.hostIP') return '127.0.0.1';
  return '';
}

/** Kubernetes `$(VAR)` expansion in command, args and env values (`$$` escapes). */
export function expandKubeVars(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name?: string) => {
    if (whole === '$$') return '$';
    return name !== undefined && name in env ? env[name] : whole;
  });
}
