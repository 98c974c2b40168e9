import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LongRunningContainerProps } from './hardened-container';
import { hardenedPodTemplate, HardenedPodProps, longRunningContainers } from './hardened-pod';

/** Properties of a HardenedDeployment. */
export interface HardenedDeploymentProps extends HardenedPodProps {
  /** Deployment name, also `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  /**
   * Number of pods. Leave unset when a HorizontalPodAutoscaler owns the count, so that applying
   * the manifests does not reset it.
   * @default - not rendered (the autoscaler decides)
   */
  readonly replicas?: number;
  /** Long-running containers; each must have readiness and liveness probes. */
  readonly containers: readonly LongRunningContainerProps[];
  /**
   * Update strategy.
   * @default - RollingUpdate with maxSurge 25% and maxUnavailable 25%
   */
  readonly strategy?: kplus.DeploymentStrategy;
  /**
   * Spread pods across nodes and zones (soft: ScheduleAnyway), for environments with several replicas.
   * @default false
   */
  readonly spreadAcrossNodes?: boolean;
}

/**
 * A Deployment that meets the restricted Pod Security profile and the platform policy by
 * construction: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp,
 * no privilege escalation, explicit resources, probes, pinned images and named ports. Its pods
 * are selected by stable recommended labels, not by construct-path hashes.
 */
export class HardenedDeployment extends Construct {
  /** The cdk8s-plus Deployment. */
  public readonly deployment: kplus.Deployment;
  /** Labels that select this Deployment's pods. */
  public readonly selector: Record<string, string>;
  /** Deployment name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    super(scope, id);
    this.name = props.name;
    const template = hardenedPodTemplate(this, props.name, props);
    this.selector = template.selector;
    this.deployment = new kplus.Deployment(this, 'Resource', {
      ...template.podProps,
      metadata: { name: props.name },
      replicas: props.replicas,
      select: false,
      podMetadata: template.podMetadata,
      strategy: props.strategy,
      containers: longRunningContainers(this, props.containers),
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selector }));
    const resource = ApiObject.of(this.deployment);
    // cdk8s-plus labels every pod template with a construct-path hash; selection uses the
    // recommended labels instead, so the hash would only churn the output when code moves.
    resource.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    if (props.replicas === undefined) resource.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    if (props.spreadAcrossNodes) {
      resource.addJsonPatch(
        JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: this.selector },
          },
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: this.selector },
          },
        ]),
      );
    }
  }
}
