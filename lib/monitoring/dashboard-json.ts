import {
  StackingConfigBuilder,
  VizLegendOptionsBuilder,
  LegendDisplayMode,
  LegendPlacement,
  StackingMode,
  ReduceDataOptionsBuilder,
  BigValueGraphMode,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DataSourceRef,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import type { DashboardSpec, PanelSpec } from '../platform/dashboard-spec';

/** Uid of the provisioned Prometheus datasource; every panel refers to it. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

const datasourceRef = (uid: string): DataSourceRef => ({ type: 'prometheus', uid });
const GRID_COLUMNS = 24;
const PANEL_HEIGHT = { timeseries: 8, stat: 4 } as const;
const DEFAULT_WIDTH = { timeseries: 8, stat: 6 } as const;
const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A panel's place on the grid. */
export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Lays out rows of panels on Grafana's 24-column grid: each row header takes one line, panels
 * flow left to right and wrap, and a line is as tall as its tallest panel.
 */
export function layoutGrid(
  rows: readonly { panels: readonly { kind: PanelSpec['kind']; width?: number }[] }[],
): { row: GridPos; panels: GridPos[] }[] {
  let y = 0;
  return rows.map((row) => {
    const rowPos = { x: 0, y, w: GRID_COLUMNS, h: 1 };
    y += 1;
    let x = 0;
    let lineHeight = 0;
    const panels = row.panels.map((panel) => {
      const w = panel.width ?? DEFAULT_WIDTH[panel.kind];
      if (w < 1 || w > GRID_COLUMNS) throw new Error(`panel width ${w} is outside 1..${GRID_COLUMNS}`);
      const h = PANEL_HEIGHT[panel.kind];
      if (x + w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const pos = { x, y, w, h };
      x += w;
      lineHeight = Math.max(lineHeight, h);
      return pos;
    });
    y += lineHeight;
    return { row: rowPos, panels };
  });
}

function panelBuilder(panel: PanelSpec, gridPos: GridPos, datasourceUid: string) {
  const DATASOURCE = datasourceRef(datasourceUid);
  const targets = panel.queries.map((query, i) => {
    const target = new DataqueryBuilder().expr(query.expr).refId(REF_IDS[i]).datasource(DATASOURCE);
    if (query.legend) target.legendFormat(query.legend);
    return panel.kind === 'stat' ? target.instant() : target.range();
  });
  if (panel.kind === 'stat') {
    const stat = new StatPanelBuilder()
      .title(panel.title)
      .description(panel.description)
      .datasource(DATASOURCE)
      .unit(panel.unit ?? 'short')
      .gridPos(gridPos)
      .graphMode(BigValueGraphMode.None)
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']));
    if (panel.redFrom !== undefined) {
      stat.thresholds(
        new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
          { value: null, color: 'green' },
          { value: panel.redFrom, color: 'red' },
        ]),
      );
    }
    targets.forEach((t) => stat.withTarget(t));
    return stat;
  }
  const series = new TimeseriesPanelBuilder()
    .title(panel.title)
    .description(panel.description)
    .datasource(DATASOURCE)
    .unit(panel.unit ?? 'short')
    .min(0)
    .gridPos(gridPos)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).calcs([]));
  if (panel.stacked) series.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
  targets.forEach((t) => series.withTarget(t));
  return series;
}

/** Sorts object keys recursively, so the JSON text depends only on content. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * The dashboard as Grafana JSON, through the foundation SDK: a provisioned, read-only dashboard
 * with no database `id` and no `version` (Grafana assigns both on load, and they would churn the
 * diff), panel ids numbered in layout order, and keys in canonical order. Every panel and query
 * reads the Prometheus datasource with uid `datasourceUid`.
 */
export function buildDashboard(spec: DashboardSpec, datasourceUid: string = PROMETHEUS_DATASOURCE_UID): Record<string, unknown> {
  if (!/^[a-z0-9-]{1,40}$/.test(spec.uid))
    throw new Error(`dashboard uid ${JSON.stringify(spec.uid)} must be 1-40 lowercase letters, digits or '-'`);
  const layout = layoutGrid(spec.rows);
  const builder = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['suoke-life', 'generated', ...spec.tags])
    .readonly()
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser');
  spec.rows.forEach((row, r) => {
    builder.withRow(new RowBuilder(row.title).gridPos(layout[r].row));
    row.panels.forEach((panel, p) => builder.withPanel(panelBuilder(panel, layout[r].panels[p], datasourceUid)));
  });
  const json = builder.build() as unknown as Record<string, unknown>;
  delete json.id;
  delete json.version;
  const panels = (json.panels as Record<string, unknown>[]).map((panel, i) => ({ ...panel, id: i + 1 }));
  return canonical({ ...json, panels }) as Record<string, unknown>;
}

/** The dashboard file: canonical JSON, two-space indent, trailing newline. */
export function dashboardJson(spec: DashboardSpec, datasourceUid: string = PROMETHEUS_DATASOURCE_UID): string {
  return `${JSON.stringify(buildDashboard(spec, datasourceUid), null, 2)}\n`;
}
