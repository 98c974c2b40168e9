import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** Properties of a PodDisruptionBudget. */
export interface PodDisruptionBudgetProps {
  /** Budget name, usually the workload's. */
  readonly name: string;
  /** Labels of the pods it protects (the workload's selector). */
  readonly selector: Readonly<Record<string, string>>;
  /**
   * Pods a voluntary disruption (node drain, cluster upgrade) may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
}

/**
 * A PodDisruptionBudget (cdk8s-plus-28 has no construct for it). `maxUnavailable` rather than
 * `minAvailable`, so that scaling the workload never makes the budget block every drain.
 */
export class PodDisruptionBudget extends Construct {
  /** Pods that may be down at once. */
  public readonly maxUnavailable: number;

  constructor(scope: Construct, id: string, props: PodDisruptionBudgetProps) {
    super(scope, id);
    this.maxUnavailable = props.maxUnavailable ?? 1;
    if (!Number.isInteger(this.maxUnavailable) || this.maxUnavailable < 1) {
      throw new Error(`PodDisruptionBudget ${props.name}: maxUnavailable must be a whole number >= 1, got ${props.maxUnavailable}`);
    }
    new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(this.maxUnavailable),
        selector: { matchLabels: { ...props.selector } },
      },
    });
  }
}
