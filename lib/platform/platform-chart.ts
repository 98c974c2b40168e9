import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/load-environment';
import { Component } from './component';
import { recommendedLabels } from './labels';
import type { PlatformSettings } from './platform-settings';

/** Properties of a PlatformChart. */
export interface PlatformChartProps {
  /** The environment this chart renders (what every chart reads of it: see PlatformSettings). */
  readonly environment: EnvironmentConfig<PlatformSettings>;
  /**
   * File the chart is written to in `dist/<env>/`, without extension. Its numeric prefix orders
   * `kubectl apply -f dist/<env>/` (the namespace first); it never changes when charts gain
   * dependencies, unlike cdk8s's own file naming.
   */
  readonly fileName: string;
  /**
   * Whether objects live in the environment's namespace. Charts of cluster-scoped objects (the
   * Namespace itself) set false, because cdk8s would stamp a namespace even on those.
   * @default true
   */
  readonly namespaced?: boolean;
  /**
   * `app.kubernetes.io/component` for objects that belong to no Component.
   */
  readonly component: string;
}

/**
 * A chart of one concern in one environment. On render it gives every object the recommended
 * labels: those of the nearest Component above it, or the chart's own identity.
 */
export class PlatformChart extends Chart {
  /** The PlatformChart that contains `scope`. */
  public static of(scope: Construct): PlatformChart {
    const chart: Chart = Chart.of(scope);
    if (chart instanceof PlatformChart) return chart as PlatformChart;
    throw new Error(`${scope.node.path} is not inside a PlatformChart`);
  }

  public readonly environment: EnvironmentConfig<PlatformSettings>;
  public readonly fileName: string;
  private readonly component: string;

  constructor(scope: Construct, id: string, props: PlatformChartProps) {
    const namespaced = props.namespaced ?? true;
    super(scope, id, {
      namespace: namespaced ? props.environment.settings.namespace.name : undefined,
      disableResourceNameHashes: true,
    });
    this.environment = props.environment;
    this.fileName = props.fileName;
    this.component = props.component;
  }

  /** Environment name, e.g. `prod`. */
  public get environmentName(): string {
    return this.environment.name;
  }

  /** Namespace of the environment. */
  public get namespaceName(): string {
    return this.environment.settings.namespace.name;
  }

  public toJson(): any[] {
    const fallback = {
      name: this.environment.settings.platform.name,
      component: this.component,
      version: this.environment.settings.platform.version,
    };
    for (const child of this.node.findAll()) {
      if (!(child instanceof ApiObject)) continue;
      const identity = Component.nearest(child)?.identity ?? fallback;
      for (const [key, value] of Object.entries(recommendedLabels(identity, this.environment.name))) {
        child.metadata.addLabel(key, value);
      }
    }
    return super.toJson();
  }
}
