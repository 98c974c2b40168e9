import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { hardenedContainer, HardenedContainerProps } from './hardened-container';
import { hardenedPodTemplate, HardenedPodProps } from './hardened-pod';

/** Properties of a HardenedJob. */
export interface HardenedJobProps extends HardenedPodProps {
  /** Job name. A Job's pod template is immutable, so a name that changes with what it does lets a new version run. */
  readonly name: string;
  /**
   * `app.kubernetes.io/name` of the pods, which NetworkPolicies select on.
   * @default - the Job name
   */
  readonly appName?: string;
  /** The containers, run to completion (no probes required). */
  readonly containers: readonly HardenedContainerProps[];
  /**
   * Retries before the Job is marked failed.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Most time the Job may run, retries included.
   * @default Duration.minutes(30)
   */
  readonly activeDeadline?: Duration;
  /**
   * Delete the Job this long after it finishes. Unset keeps it, so that re-applying the same
   * manifests does not run it again and a failure stays visible.
   * @default - kept
   */
  readonly ttlAfterFinished?: Duration;
}

/**
 * A Job that meets the restricted Pod Security profile and the platform policy by construction.
 * Failed pods are not restarted in place (`restartPolicy: Never`), so each attempt leaves a pod
 * whose logs show why it failed.
 */
export class HardenedJob extends Construct {
  /** The cdk8s-plus Job. */
  public readonly job: kplus.Job;
  /** Labels of the Job's pods. */
  public readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedJobProps) {
    super(scope, id);
    if (props.containers.length === 0) throw new Error(`${this.node.path}: a Job needs at least one container`);
    const template = hardenedPodTemplate(this, props.appName ?? props.name, props);
    this.podLabels = template.podMetadata.labels;
    this.job = new kplus.Job(this, 'Resource', {
      ...template.podProps,
      metadata: { name: props.name },
      podMetadata: template.podMetadata,
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: props.backoffLimit ?? 3,
      activeDeadline: props.activeDeadline ?? Duration.minutes(30),
      ttlAfterFinished: props.ttlAfterFinished,
      containers: props.containers.map((c) => hardenedContainer(this, c)),
    });
    ApiObject.of(this.job).addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}
