import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { ImageConfig, ResourcesConfig } from '../config/fields';
import { containerResources, sizeOf } from './container-resources';

/** A named container port. Every port is named so Services and probes can refer to it by name. */
export interface NamedPort {
  /** IANA-style port name, at most 15 characters (e.g. `http`, `metrics`). */
  readonly name: string;
  /** Port number in the container. */
  readonly number: number;
}

/** A volume mounted into a container. Whole directories only: subPath mounts never see updates. */
export interface DirectoryMount {
  /** Mount point in the container. */
  readonly path: string;
  /** The pod volume to mount. */
  readonly volume: kplus.Volume;
  /**
   * Whether the mount is read-only.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** A writable scratch directory, backed by an emptyDir so the root filesystem can stay read-only. */
export interface ScratchDirectory {
  /** Mount point in the container. */
  readonly path: string;
  /** Most the directory may hold, e.g. `64Mi`. */
  readonly sizeLimit: string;
  /**
   * Back it by memory (tmpfs) instead of node disk.
   * @default false
   */
  readonly inMemory?: boolean;
}

/** Properties of any container of the platform (init, job or long-running). */
export interface HardenedContainerProps {
  /** Container name. */
  readonly name: string;
  /** Image pinned by tag or digest, with its pull policy. */
  readonly image: ImageConfig;
  /** Requests and limits, taken from config. */
  readonly resources: ResourcesConfig;
  /**
   * Named ports the container listens on.
   * @default - no ports
   */
  readonly ports?: readonly NamedPort[];
  /**
   * Entrypoint override.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: readonly string[];
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Readonly<Record<string, kplus.EnvValue>>;
  /**
   * Environment sources (whole ConfigMaps or Secrets).
   * @default - none
   */
  readonly envFrom?: readonly kplus.EnvFrom[];
  /**
   * Directories mounted from volumes (read-only unless stated).
   * @default - none
   */
  readonly mounts?: readonly DirectoryMount[];
  /**
   * Writable scratch directories (emptyDirs created for this container).
   * @default - none
   */
  readonly scratch?: readonly ScratchDirectory[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * UID to run as, when it differs from the pod's.
   * @default - the pod's user
   */
  readonly user?: number;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: kplus.Probe;
}

/** A container that serves for the life of its pod: readiness and liveness probes are required. */
export interface LongRunningContainerProps extends HardenedContainerProps {
  /** Readiness probe: when the container may receive traffic. */
  readonly readiness: kplus.Probe;
  /** Liveness probe: when the container must be restarted. */
  readonly liveness: kplus.Probe;
}

/** The image reference for an image config: `repo:tag` or `repo:tag@sha256:…`. */
export function imageReference(image: ImageConfig): string {
  return `${image.repository}:${image.tag}${image.digest ? `@${image.digest}` : ''}`;
}

/** The restricted-profile security context every container gets. */
export function restrictedSecurityContext(user?: number): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: true,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    user,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
}

/** Name of the emptyDir volume backing a scratch directory of a container. */
function scratchVolumeName(container: string, dir: string): string {
  const slug =
    dir
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'root';
  return `${container}-${slug}`.slice(0, 63).replace(/-$/, '');
}

/**
 * cdk8s-plus container props for a hardened container: restricted security context, explicit
 * resources, pinned image with explicit pull policy, named ports, and emptyDirs for scratch paths.
 */
export function hardenedContainer(
  scope: Construct,
  props: HardenedContainerProps & Partial<Pick<LongRunningContainerProps, 'readiness' | 'liveness'>>,
): kplus.ContainerProps {
  const scratchMounts: kplus.VolumeMount[] = (props.scratch ?? []).map((dir) => {
    const volumeName = scratchVolumeName(props.name, dir.path);
    return {
      path: dir.path,
      volume: kplus.Volume.fromEmptyDir(scope, `scratch-${volumeName}`, volumeName, {
        sizeLimit: sizeOf(dir.sizeLimit),
        medium: dir.inMemory ? kplus.EmptyDirMedium.MEMORY : undefined,
      }),
    };
  });
  return {
    name: props.name,
    image: imageReference(props.image),
    imagePullPolicy: props.image.pullPolicy === 'Always' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT,
    resources: containerResources(props.resources),
    ports: (props.ports ?? []).map((p) => ({ name: p.name, number: p.number, protocol: kplus.Protocol.TCP })),
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    envVariables: props.env ? { ...props.env } : undefined,
    envFrom: props.envFrom ? [...props.envFrom] : undefined,
    workingDir: props.workingDir,
    securityContext: restrictedSecurityContext(props.user),
    readiness: props.readiness,
    liveness: props.liveness,
    startup: props.startup,
    volumeMounts: [
      ...(props.mounts ?? []).map((m) => ({ path: m.path, volume: m.volume, readOnly: m.readOnly ?? true })),
      ...scratchMounts,
    ],
  };
}
