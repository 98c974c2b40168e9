/**
 * Dashboards as plain typed data: rows of panels with PromQL queries. `buildDashboard`
 * (dashboard-json.ts) turns a spec into Grafana JSON through `@grafana/grafana-foundation-sdk`
 * and lays out the grid, so no contribution writes JSON or coordinates by hand.
 */

/** One PromQL query of a panel. */
export interface PanelQuery {
  /** PromQL; Grafana's `$__rate_interval` may stand for a range. */
  readonly expr: string;
  /**
   * Legend, e.g. `{{ api_key_alias }}`.
   * @default - the series labels
   */
  readonly legend?: string;
}

/** Kinds of panel the dashboards use. */
export type PanelKind = 'timeseries' | 'stat';

/** One panel. */
export interface PanelSpec {
  /** Panel kind. */
  readonly kind: PanelKind;
  /** Title. */
  readonly title: string;
  /** What it shows and how to read it. */
  readonly description: string;
  /** Queries. */
  readonly queries: readonly PanelQuery[];
  /**
   * Grafana unit id (`s`, `bytes`, `percentunit`, `currencyUSD`, `reqps`, `short`).
   * @default 'short'
   */
  readonly unit?: string;
  /**
   * Grid columns out of 24.
   * @default 8 for time series, 6 for stats
   */
  readonly width?: number;
  /**
   * Stack the series of a time series.
   * @default false
   */
  readonly stacked?: boolean;
  /**
   * Value from which a stat turns red (green below).
   * @default - no threshold colouring
   */
  readonly redFrom?: number;
}

/** A titled row of panels. */
export interface RowSpec {
  /** Row title. */
  readonly title: string;
  /** Panels, laid out left to right and wrapped at 24 columns. */
  readonly panels: readonly PanelSpec[];
}

/** One dashboard. */
export interface DashboardSpec {
  /** Stable uid (also the ConfigMap and file name). At most 40 lowercase characters. */
  readonly uid: string;
  /** Title. */
  readonly title: string;
  /** What the dashboard is for. */
  readonly description: string;
  /** Tags, besides `suoke-life` and `generated`. */
  readonly tags: readonly string[];
  /** Rows. */
  readonly rows: readonly RowSpec[];
}

/** A time series panel. */
export function timeseries(
  title: string,
  description: string,
  queries: readonly PanelQuery[],
  options: Partial<Pick<PanelSpec, 'unit' | 'width' | 'stacked'>> = {},
): PanelSpec {
  return { kind: 'timeseries', title, description, queries, ...options };
}

/** A single-value stat panel. */
export function stat(
  title: string,
  description: string,
  expr: string,
  options: Partial<Pick<PanelSpec, 'unit' | 'width' | 'redFrom'>> = {},
): PanelSpec {
  return { kind: 'stat', title, description, queries: [{ expr }], ...options };
}

/**
 * `expr`, or 0 while a target of scrape job `job` is up. For counts that have no series when
 * nothing matches (no firing alert, no crash-looping container): the panel reads 0 only while the
 * source answers, and "no data" when it is missing, where `or vector(0)` would show a reassuring 0.
 */
export function orZeroWhileUp(expr: string, job: string): string {
  return `${expr} or 0 * sum(up{job="${job}"} == 1)`;
}

/** A query with a legend. */
export function q(expr: string, legend?: string): PanelQuery {
  return { expr, legend };
}

/** Every PromQL expression of a dashboard, with where it sits. */
export function dashboardExpressions(spec: DashboardSpec): { where: string; expr: string }[] {
  return spec.rows.flatMap((row) =>
    row.panels.flatMap((panel) =>
      panel.queries.map((query, i) => ({ where: `dashboard ${spec.uid} / ${row.title} / ${panel.title} #${i + 1}`, expr: query.expr })),
    ),
  );
}
