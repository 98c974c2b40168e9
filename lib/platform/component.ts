import { Construct } from 'constructs';
import { ComponentIdentity } from './labels';

/**
 * A construct that stands for one application of the platform. Every Kubernetes object created
 * beneath it receives its recommended labels when the chart is rendered (see PlatformChart).
 */
export class Component extends Construct {
  /** The nearest Component at or above `scope`, if any. */
  public static nearest(scope: Construct): Component | undefined {
    const found = scope.node.scopes
      .slice()
      .reverse()
      .find((c) => c instanceof Component);
    return found as Component | undefined;
  }

  /** The identity stamped into the recommended labels of this component's objects. */
  public readonly identity: ComponentIdentity;

  constructor(scope: Construct, id: string, identity: ComponentIdentity) {
    super(scope, id);
    this.identity = identity;
  }
}
