import * as yaml from 'js-yaml';
import { PROMETHEUS_CONFIG_MAP, PROMETHEUS_RULES_CONFIG_MAP } from '../../lib/monitoring/prometheus';
import { objectsOf } from './environments';

/** One PromQL expression as rendered into an environment, and where it is. */
export interface RenderedQuery {
  readonly where: string;
  readonly expr: string;
}

function configMapData(environment: string, name: string): Record<string, string> {
  const cm = objectsOf(environment).find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  return (cm?.data ?? {}) as Record<string, string>;
}

/** Every alert expression and dashboard panel query rendered into `dist/<env>/`. */
export function renderedQueries(environment: string): RenderedQuery[] {
  const rules = Object.entries(configMapData(environment, PROMETHEUS_RULES_CONFIG_MAP)).flatMap(([file, text]) =>
    (yaml.load(text) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) =>
      g.rules.map((r) => ({ where: `${environment} ${file} alert ${r.alert}`, expr: r.expr })),
    ),
  );
  const panels = objectsOf(environment)
    .filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('grafana-dashboard-'))
    .flatMap((cm) => Object.entries(cm.data as Record<string, string>))
    .flatMap(([file, json]) =>
      (JSON.parse(json).panels as { title: string; targets?: { expr: string }[] }[]).flatMap((p) =>
        (p.targets ?? []).map((t) => ({ where: `${environment} ${file} panel "${p.title}"`, expr: t.expr })),
      ),
    );
  return [...rules, ...panels];
}

/** The rendered prometheus.yml of an environment, parsed. */
export function renderedPrometheusConfig(environment: string): {
  scrape_configs: { job_name: string; relabel_configs?: { target_label?: string }[] }[];
} {
  return yaml.load(configMapData(environment, PROMETHEUS_CONFIG_MAP)['prometheus.yml']) as never;
}

/** Names of the labels the rendered alert rules of an environment set (`severity`, `component`, …). */
export function renderedRuleLabels(environment: string): string[] {
  return Object.values(configMapData(environment, PROMETHEUS_RULES_CONFIG_MAP)).flatMap((text) =>
    (yaml.load(text) as { groups: { rules: { labels?: Record<string, string> }[] }[] }).groups.flatMap((g) =>
      g.rules.flatMap((r) => Object.keys(r.labels ?? {})),
    ),
  );
}
