import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Component } from './component';
import { hardenedContainer, HardenedContainerProps, LongRunningContainerProps } from './hardened-container';
import { recommendedLabels, selectorLabels } from './labels';
import { PlatformChart } from './platform-chart';

/** Who the pod runs as. */
export interface PodIdentity {
  /** UID of every container (non-zero). */
  readonly user: number;
  /** GID of every container. */
  readonly group: number;
  /**
   * Group that owns mounted volumes.
   * @default - the same as `group`
   */
  readonly fsGroup?: number;
}

/** What every hardened pod template takes, whatever controller runs it. */
export interface HardenedPodProps {
  /** Pod user, group and fsGroup; the restricted profile forbids root. */
  readonly runAs: PodIdentity;
  /**
   * Service account. When set, its token is mounted (the workload needs RBAC); otherwise no
   * token is mounted.
   * @default - no service account token
   */
  readonly serviceAccount?: kplus.IServiceAccount;
  /**
   * Annotations on the pod template (config versions, scrape hints).
   * @default - none
   */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /**
   * Extra labels on the pod template (beyond the recommended ones).
   * @default - none
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Init containers, run to completion before the main containers start.
   * @default - none
   */
  readonly initContainers?: readonly HardenedContainerProps[];
  /**
   * Volumes shared by containers (ConfigMaps, Secrets, PVCs). Scratch emptyDirs are added by the
   * containers themselves.
   * @default - none
   */
  readonly volumes?: readonly kplus.Volume[];
  /**
   * Time given to containers to stop after SIGTERM.
   * @default Duration.seconds(30)
   */
  readonly terminationGracePeriod?: Duration;
}

/** The name, labels and pod-level properties shared by every hardened controller. */
export interface HardenedPodTemplate {
  /** Labels that select the pods: stable across upgrades. */
  readonly selector: Record<string, string>;
  /** cdk8s-plus pod props (containers excluded, see `containers`). */
  readonly podProps: kplus.AbstractPodProps;
  /** Pod template metadata. */
  readonly podMetadata: { labels: Record<string, string>; annotations: Record<string, string> };
}

/**
 * Builds the pod-level part of a hardened workload: pod security context, token mounting,
 * template labels (the recommended ones, so NetworkPolicies and Services can select the pods),
 * and init containers.
 */
export function hardenedPodTemplate(scope: Construct, name: string, props: HardenedPodProps): HardenedPodTemplate {
  const chart = PlatformChart.of(scope);
  const identity = Component.nearest(scope)?.identity;
  if (!identity) throw new Error(`${scope.node.path}: a hardened workload must be created inside a Component`);
  const selector = selectorLabels(name, chart.environmentName);
  const labels = { ...recommendedLabels(identity, chart.environmentName), ...props.podLabels, ...selector };
  return {
    selector,
    podMetadata: { labels, annotations: { ...props.podAnnotations } },
    podProps: {
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.serviceAccount !== undefined,
      securityContext: {
        ensureNonRoot: true,
        user: props.runAs.user,
        group: props.runAs.group,
        fsGroup: props.runAs.fsGroup ?? props.runAs.group,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      initContainers: (props.initContainers ?? []).map((c) => hardenedContainer(scope, c)),
      volumes: props.volumes ? [...props.volumes] : undefined,
      terminationGracePeriod: props.terminationGracePeriod,
    },
  };
}

/** Container props for the long-running containers of a pod. */
export function longRunningContainers(scope: Construct, containers: readonly LongRunningContainerProps[]): kplus.ContainerProps[] {
  if (containers.length === 0) throw new Error(`${scope.node.path}: a workload needs at least one container`);
  return containers.map((c) => hardenedContainer(scope, c));
}
