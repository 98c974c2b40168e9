import * as yaml from 'js-yaml';
import { PROMETHEUS_DATASOURCE_UID } from './dashboard-json';

/** Where Grafana reads the dashboard JSON files from. */
export const DASHBOARDS_PATH = '/var/lib/grafana-dashboards';

/** The provisioned Prometheus datasource, with the fixed uid every dashboard refers to. */
export function renderDatasources(prometheusUrl: string, scrapeInterval: string): string {
  return yaml.dump(
    {
      apiVersion: 1,
      prune: true,
      datasources: [
        {
          name: 'Prometheus',
          uid: PROMETHEUS_DATASOURCE_UID,
          type: 'prometheus',
          access: 'proxy',
          url: prometheusUrl,
          isDefault: true,
          editable: false,
          jsonData: { timeInterval: scrapeInterval, httpMethod: 'POST' },
        },
      ],
    },
    { lineWidth: -1, noRefs: true },
  );
}

/** The file provider that loads every dashboard under `DASHBOARDS_PATH`, read-only. */
export function renderDashboardProvider(): string {
  return yaml.dump(
    {
      apiVersion: 1,
      providers: [
        {
          name: 'suoke-life',
          orgId: 1,
          folder: 'Suoke Life',
          type: 'file',
          disableDeletion: true,
          allowUiUpdates: false,
          updateIntervalSeconds: 30,
          options: { path: DASHBOARDS_PATH, foldersFromFilesStructure: false },
        },
      ],
    },
    { lineWidth: -1, noRefs: true },
  );
}
