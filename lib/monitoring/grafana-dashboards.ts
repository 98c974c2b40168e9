import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { dashboardJson } from './dashboard-json';
import type { DashboardSpec } from '../platform/dashboard-spec';

/** A provisioned dashboard's ConfigMap. */
export interface DashboardConfigMapRef {
  /** Dashboard uid. */
  readonly uid: string;
  /** ConfigMap name. */
  readonly configMapName: string;
  /** Key (file name) of the JSON in the ConfigMap. */
  readonly key: string;
}

/** The ConfigMap that carries a dashboard. */
export function dashboardConfigMapRef(uid: string): DashboardConfigMapRef {
  return { uid, configMapName: `grafana-dashboard-${uid}`, key: `${uid}.json` };
}

/** Properties of GrafanaDashboards. */
export interface GrafanaDashboardsProps {
  /** The dashboards, from every contribution. */
  readonly dashboards: readonly DashboardSpec[];
  /**
   * Extra labels of each ConfigMap (the Grafana sidecar's selector label, in operator mode).
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations of each ConfigMap (the sidecar's folder annotation, in operator mode).
   * @default - none
   */
  readonly annotations?: Readonly<Record<string, string>>;
  /**
   * Uid of the Prometheus datasource the dashboards query.
   * @default PROMETHEUS_DATASOURCE_UID (the bundled Grafana's provisioned datasource)
   */
  readonly datasourceUid?: string;
}

/**
 * One ConfigMap per dashboard (each well under the 1 MiB limit), holding canonical JSON. Names are
 * stable, so an edited dashboard reaches Grafana through the file provider without a restart.
 */
export class GrafanaDashboards extends Construct {
  /** The ConfigMaps, in order. */
  public readonly refs: readonly DashboardConfigMapRef[];

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    const seen = new Set<string>();
    this.refs = props.dashboards.map((spec) => {
      if (seen.has(spec.uid)) throw new Error(`dashboard uid ${spec.uid} is contributed twice`);
      seen.add(spec.uid);
      const ref = dashboardConfigMapRef(spec.uid);
      new kplus.ConfigMap(this, spec.uid, {
        metadata: {
          name: ref.configMapName,
          labels: props.labels && { ...props.labels },
          annotations: props.annotations && { ...props.annotations },
        },
        data: { [ref.key]: dashboardJson(spec, props.datasourceUid) },
      });
      return ref;
    });
  }
}
