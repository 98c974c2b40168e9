/** Value of `app.kubernetes.io/part-of` on every object. */
export const PART_OF = 'suoke-life';
/** Value of `app.kubernetes.io/managed-by` on every object. */
export const MANAGED_BY = 'cdk8s';

/** What a set of objects is: the parts of the recommended labels that vary by component. */
export interface ComponentIdentity {
  /** `app.kubernetes.io/name`: the application, e.g. `litellm-gateway`. */
  readonly name: string;
  /** `app.kubernetes.io/component`: its role in the architecture, e.g. `gateway`. */
  readonly component: string;
  /** `app.kubernetes.io/version`: the version it runs (image tag or platform version). */
  readonly version: string;
}

/** `app.kubernetes.io/instance` of an environment. */
export function instanceOf(environment: string): string {
  return `${PART_OF}-${environment}`;
}

/** The six recommended labels. */
export function recommendedLabels(identity: ComponentIdentity, environment: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': identity.name,
    'app.kubernetes.io/instance': instanceOf(environment),
    'app.kubernetes.io/version': identity.version,
    'app.kubernetes.io/component': identity.component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** The labels that select a component's pods; stable across upgrades (no version). */
export function selectorLabels(name: string, environment: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instanceOf(environment),
  };
}
