import * as yaml from 'js-yaml';
import { metricNames, tokenize } from '../../../lib/monitoring/promql-names';
import { MissingRenderedConfig, podSpecOf, RenderedManifests } from './rendered-manifests';

/**
 * Facts the scenarios read out of the rendered manifests: what a config file says, so a scenario
 * can compare it with what the running program answers.
 */

/** One query of a dashboard panel. */
export interface DashboardQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly expr: string;
}

/** Every PromQL query of every dashboard shipped in a ConfigMap (Grafana JSON). */
export function dashboardQueries(manifests: RenderedManifests): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const configMap of manifests.all('ConfigMap')) {
    for (const [key, text] of Object.entries(configMap.data ?? {})) {
      if (!key.endsWith('.json')) continue;
      let dashboard: any;
      try {
        dashboard = JSON.parse(text);
      } catch {
        continue;
      }
      if (!Array.isArray(dashboard?.panels)) continue;
      const panels = dashboard.panels.flatMap((p: any) => [p, ...(p.panels ?? [])]);
      for (const panel of panels) {
        for (const target of panel.targets ?? []) {
          if (typeof target.expr === 'string' && target.expr.trim())
            queries.push({ dashboard: dashboard.title ?? key, panel: panel.title ?? '?', expr: target.expr });
        }
      }
    }
  }
  return queries;
}

/** Grafana's built-in interval variables, replaced as Grafana would for a short time range. */
export function withGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}/g, '1m')
    .replace(/\$__range|\$\{__range\}/g, '5m');
}

/** The vector selectors of an expression, e.g. `up{job="prometheus"}` and `redis_up`. */
export function vectorSelectors(expr: string): string[] {
  const names = new Set(metricNames(expr));
  const tokens = tokenize(expr);
  const selectors = new Set<string>();
  tokens.forEach((token, i) => {
    if (token.kind !== 'ident' || !names.has(token.text)) return;
    const next = tokens[i + 1];
    selectors.add(next?.kind === 'braces' ? `${token.text}${next.text}` : token.text);
  });
  return [...selectors];
}

/** The value of a directive in a redis.conf (the last occurrence wins, as in Redis). */
export function redisDirective(conf: string, directive: string): string | undefined {
  let value: string | undefined;
  for (const line of conf.split('\n')) {
    const [name, ...rest] = line.trim().split(/\s+/);
    if (name === directive) value = rest.join(' ');
  }
  return value;
}

/** An alerting rule as rendered, and the rule file holding it. */
export interface RenderedRule {
  readonly file: string;
  readonly group: string;
  readonly rule: { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Every alerting rule in the ConfigMaps mounted as Prometheus rule files (`*.rules.yml` / groups). */
export function renderedRules(manifests: RenderedManifests): RenderedRule[] {
  const rules: RenderedRule[] = [];
  for (const configMap of manifests.all('ConfigMap')) {
    for (const [key, text] of Object.entries(configMap.data ?? {})) {
      if (!/\.ya?ml$/.test(key)) continue;
      let doc: any;
      try {
        doc = yaml.load(text);
      } catch {
        continue;
      }
      if (!Array.isArray(doc?.groups)) continue;
      for (const group of doc.groups)
        for (const rule of group.rules ?? []) if (rule.alert) rules.push({ file: key, group: group.name, rule });
    }
  }
  return rules;
}

/** The rendered rule of one alert; throws naming what is missing. */
export function renderedRule(manifests: RenderedManifests, alert: string): RenderedRule {
  const all = renderedRules(manifests);
  const found = all.find((r) => r.rule.alert === alert);
  if (!found)
    throw new MissingRenderedConfig(
      manifests.environment,
      `an alerting rule ${alert}`,
      all.length ? `only ${all.map((r) => r.rule.alert).join(', ')}` : 'no rule files',
    );
  return found;
}

/** `{{ $labels.x }}` templates of an annotation, expanded with an alert's labels. */
export function expandLabels(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
}

/** The value of `--flag=value` (or `--flag value`) in an argument list. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith(`${flag}=`)) return args[i].slice(flag.length + 1);
    if (args[i] === flag) return args[i + 1];
  }
  return undefined;
}

/** The credentials the gateway connects to Redis with: the Secret refs of its REDIS_* env. */
export function gatewayRedisEnv(manifests: RenderedManifests): { user?: string; passwordRef: { name: string; key: string } } {
  for (const workload of manifests.workloads()) {
    for (const container of podSpecOf(workload).containers) {
      if (!/litellm/.test(container.image)) continue;
      const env: any[] = container.env ?? [];
      const password = env.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef;
      if (!password) continue;
      const user = env.find((e) => e.name === 'REDIS_USERNAME' || e.name === 'REDIS_USER')?.value;
      return { user, passwordRef: password };
    }
  }
  throw new MissingRenderedConfig(manifests.environment, 'a LiteLLM gateway container with REDIS_PASSWORD from a Secret', 'none');
}
