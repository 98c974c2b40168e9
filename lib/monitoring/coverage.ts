import * as yaml from 'js-yaml';
import type { MetricSpec } from '../platform/monitoring-contribution';
import { seriesNames } from './contributions';
import { vectorSelectors } from './promql-names';

/**
 * Which metrics an environment really has, derived from its rendered `prometheus.yml` and the
 * metric catalogue: a metric is available when one of its emitters is collected by a scrape job
 * of that file (and, for a metric its program exposes only in some configurations, when the
 * environment's settings switch that on). The monitoring plan renders only the alerts and panels
 * whose every series is available; the coverage test checks `dist/<env>/` with the same function.
 */

/** What one environment's Prometheus collects. */
export interface MetricCoverage<S = unknown> {
  /** The scrape jobs of the rendered `prometheus.yml`. */
  readonly jobs: ReadonlySet<string>;
  /** Every series name the catalogue admits (histograms with `_bucket`, …), with its metric. */
  readonly catalogue: ReadonlyMap<string, MetricSpec<S>>;
  /** The settings, for emitters that expose a metric only in some configurations. */
  readonly settings: S;
}

/** The `job_name` of every scrape config of a rendered `prometheus.yml`. */
export function scrapeJobNames(prometheusYml: string): string[] {
  const config = yaml.load(prometheusYml) as { scrape_configs?: { job_name?: unknown }[] } | undefined;
  return (config?.scrape_configs ?? []).map((job, i) => {
    if (typeof job.job_name !== 'string') throw new Error(`prometheus.yml: scrape_configs[${i}] has no job_name`);
    return job.job_name;
  });
}

/** The coverage of an environment: its rendered `prometheus.yml`, the catalogue and its settings. */
export function metricCoverage<S>(prometheusYml: string, catalogue: ReadonlyMap<string, MetricSpec<S>>, settings: S): MetricCoverage<S> {
  return jobCoverage(scrapeJobNames(prometheusYml), catalogue, settings);
}

/** The coverage of the given scrape jobs (in operator mode, the `job` labels of the rendered monitors). */
export function jobCoverage<S>(jobs: readonly string[], catalogue: ReadonlyMap<string, MetricSpec<S>>, settings: S): MetricCoverage<S> {
  const series = new Map<string, MetricSpec<S>>();
  for (const metric of catalogue.values()) for (const name of seriesNames(metric)) series.set(name, metric);
  return { jobs: new Set(jobs), catalogue: series, settings };
}

/** Why a metric is not available in this environment (`undefined` when it is). */
function metricGap<S>(metric: MetricSpec<S>, coverage: MetricCoverage<S>): string | undefined {
  if (metric.emitters.length === 0) return `${metric.name}: nothing emits it (no program in its catalogue entry)`;
  const gaps: string[] = [];
  for (const e of metric.emitters) {
    const scraped = e.synthesised ? coverage.jobs.size > 0 : e.jobs.some((j) => coverage.jobs.has(j));
    if (!scraped) {
      gaps.push(`${e.program} is not scraped here (job ${e.jobs.join(' or ')} is not in prometheus.yml)`);
      continue;
    }
    if (e.only && !e.only.when(coverage.settings)) {
      gaps.push(`${e.program} exposes it only when ${e.only.condition}`);
      continue;
    }
    return undefined;
  }
  return `${metric.name}: ${gaps.join('; ')}`;
}

/**
 * Why an expression cannot be served in this environment: each series it reads that no scrape job
 * collects (or that is not in the catalogue), and each `job="…"` matcher naming a job this
 * environment does not have, or one that does not collect that metric. Empty when it is covered.
 */
export function uncoveredReasons<S>(expr: string, coverage: MetricCoverage<S>): string[] {
  const reasons: string[] = [];
  for (const selector of vectorSelectors(expr)) {
    const metric = coverage.catalogue.get(selector.metric);
    if (!metric) {
      reasons.push(`${selector.metric}: not in the metric catalogue`);
      continue;
    }
    const gap = metricGap(metric, coverage);
    if (gap) {
      reasons.push(gap);
      continue;
    }
    for (const m of selector.matchers.filter((x) => x.label === 'job' && x.op === '=')) {
      if (!coverage.jobs.has(m.value)) reasons.push(`${selector.metric}{job="${m.value}"}: no scrape job "${m.value}" in prometheus.yml`);
      else if (!metric.emitters.some((e) => e.synthesised || e.jobs.includes(m.value)))
        reasons.push(`${selector.metric}{job="${m.value}"}: job "${m.value}" does not collect ${metric.name}`);
    }
  }
  return [...new Set(reasons)];
}

/** True when every series the expression reads is available. */
export function isCovered<S>(expr: string, coverage: MetricCoverage<S>): boolean {
  return uncoveredReasons(expr, coverage).length === 0;
}
