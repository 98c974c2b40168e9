import { ApiObject, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { cronFields } from '../config/cron-schedule';
import { hardenedContainer, HardenedContainerProps } from './hardened-container';
import { hardenedPodTemplate, HardenedPodProps } from './hardened-pod';

/** Properties of a HardenedCronJob. */
export interface HardenedCronJobProps extends HardenedPodProps {
  /** CronJob name (at most 52 characters), also `app.kubernetes.io/name` of its pods. */
  readonly name: string;
  /** Cron schedule: five fields (`0 3 * * *`) or a descriptor (`@daily`), as validated by `cronSchedule`. */
  readonly schedule: string;
  /** The containers, run to completion (no probes required). */
  readonly containers: readonly HardenedContainerProps[];
  /**
   * Retries of one run before it is marked failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Most time one run may take.
   * @default Duration.hours(1)
   */
  readonly activeDeadline?: Duration;
  /**
   * How late a missed run may still start.
   * @default Duration.minutes(30)
   */
  readonly startingDeadline?: Duration;
}

/** A validated schedule (five fields, or a descriptor such as `@daily`) as cdk8s's Cron options. */
function cronOf(schedule: string): Cron {
  const [minute, hour, day, month, weekDay] = cronFields(schedule);
  return Cron.schedule({ minute, hour, day, month, weekDay });
}

/**
 * A CronJob that meets the restricted Pod Security profile and the platform policy by
 * construction. Runs never overlap (`Forbid`), and failed pods are kept for their logs.
 */
export class HardenedCronJob extends Construct {
  /** The cdk8s-plus CronJob. */
  public readonly cronJob: kplus.CronJob;
  /** Labels of the pods of each run. */
  public readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: HardenedCronJobProps) {
    super(scope, id);
    if (props.containers.length === 0) throw new Error(`${this.node.path}: a CronJob needs at least one container`);
    if (props.name.length > 52) throw new Error(`CronJob name ${props.name} is longer than 52 characters`);
    const template = hardenedPodTemplate(this, props.name, props);
    this.podLabels = template.podMetadata.labels;
    this.cronJob = new kplus.CronJob(this, 'Resource', {
      ...template.podProps,
      metadata: { name: props.name },
      podMetadata: template.podMetadata,
      schedule: cronOf(props.schedule),
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: props.startingDeadline ?? Duration.minutes(30),
      successfulJobsRetained: 3,
      failedJobsRetained: 3,
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: props.backoffLimit ?? 2,
      activeDeadline: props.activeDeadline ?? Duration.hours(1),
      containers: props.containers.map((c) => hardenedContainer(this, c)),
    });
    ApiObject.of(this.cronJob).addJsonPatch(JsonPatch.remove('/spec/jobTemplate/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}
