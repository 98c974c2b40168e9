import { ContractSet, type Contract } from '../../lib/contracts/contract';
import { pinnedVersions } from '../../lib/contracts/pinned-versions';
import type { MetricSpec } from '../../lib/platform/monitoring-contribution';
import { metricCatalogue } from '../../lib/monitoring/contributions';
import { labelUses, metricNames } from '../../lib/monitoring/promql-names';
import { ENVIRONMENTS, objectsOf } from '../support/environments';
import { renderedPrometheusConfig, renderedQueries, renderedRuleLabels } from '../support/rendered-queries';
import { CONTRIBUTIONS, type EnvironmentSettings } from '../../lib/registry';

/**
 * Every metric and label an alert or a dashboard panel of an environment queries is a fact of the
 * contract of a program that environment pins: the metric by its exposition name and type, each
 * label in its label list (or set on every target by the scrape config).
 */
const contracts = ContractSet.load();
const catalogue = metricCatalogue(CONTRIBUTIONS);
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];

/** The catalogue entry and contract metric a queried series name stands for. */
function metricOf(series: string): { spec: MetricSpec<EnvironmentSettings>; suffix: string } | undefined {
  const direct = catalogue.get(series);
  if (direct) return { spec: direct, suffix: '' };
  for (const suffix of HISTOGRAM_SUFFIXES) {
    const spec = catalogue.get(series.slice(0, -suffix.length));
    if (series.endsWith(suffix) && spec && (spec.type === 'histogram' || (spec.type === 'summary' && suffix !== '_bucket'))) return { spec, suffix };
  }
  return undefined;
}

/** Labels every scraped series carries: `job`, `instance` and what relabelling sets. */
function targetLabels(environment: string): Set<string> {
  const labels = new Set(['job', 'instance']);
  for (const job of renderedPrometheusConfig(environment).scrape_configs) {
    for (const r of job.relabel_configs ?? []) if (r.target_label && !r.target_label.startsWith('__')) labels.add(r.target_label);
  }
  return labels;
}

/**
 * The contract of each program at the version an environment pins. A program the environment does
 * not run (kube-state-metrics switched off, say) is taken at the version the other environments
 * pin: whether its metrics are scraped at all is the coverage test's concern (test/monitoring).
 */
function pinnedContracts(environment: string): Map<string, Contract> {
  const pinned = new Map<string, Contract>();
  for (const e of [...ENVIRONMENTS.filter((x) => x !== environment), environment]) {
    for (const p of pinnedVersions(contracts, objectsOf(e))) pinned.set(p.contract.data.program, p.contract);
  }
  return pinned;
}

/** Labels the rendered alert rules set: `ALERTS` carries them besides `alertname` and `alertstate`. */
function ruleLabels(environment: string): string[] {
  return [...new Set(renderedRuleLabels(environment))];
}

function problems(environment: string): string[] {
  const pinned = pinnedContracts(environment);
  const always = targetLabels(environment);
  const found: string[] = [];
  for (const { where, expr } of renderedQueries(environment)) {
    const labelsInExpr = new Set(always);
    for (const series of metricNames(expr)) {
      const metric = metricOf(series);
      if (!metric) {
        found.push(`${where}: ${series} is not in the metric catalogue`);
        continue;
      }
      const facts = metric.spec.emitters.flatMap(({ program }) => {
        const contract = pinned.get(program);
        return contract?.has('metrics', metric.spec.name) ? [{ contract, fact: contract.fact('metrics', metric.spec.name) }] : [];
      });
      if (facts.length === 0) {
        const tried = metric.spec.emitters.map(({ program }) => pinned.get(program)?.title ?? `${program} (not deployed in ${environment})`);
        found.push(`${where}: ${metric.spec.name} is not a metric of ${tried.join(', ') || 'any pinned program'}`);
        continue;
      }
      for (const { contract, fact } of facts) {
        if (fact.type !== metric.spec.type) found.push(`${where}: ${metric.spec.name} is a ${String(fact.type)} in ${contract.title}, the catalogue says ${metric.spec.type}`);
      }
      const contractLabels = new Set(facts.flatMap(({ fact }) => (fact.labels as string[] | undefined) ?? []));
      if (metric.spec.name === 'ALERTS') for (const l of ruleLabels(environment)) contractLabels.add(l);
      if (metric.suffix === '_bucket') contractLabels.add('le');
      for (const l of contractLabels) labelsInExpr.add(l);
      for (const use of labelUses(expr).uses.filter((u) => u.metric === series)) {
        if (!contractLabels.has(use.label) && !always.has(use.label)) found.push(`${where}: ${series} has no label ${use.label} (${facts.map((f) => f.contract.title).join(', ')})`);
      }
    }
    const { uses, created } = labelUses(expr);
    for (const use of uses.filter((u) => u.metric === undefined)) {
      if (!labelsInExpr.has(use.label) && !created.includes(use.label)) found.push(`${where}: groups by ${use.label}, which none of its metrics carries`);
    }
  }
  return found;
}

describe.each(ENVIRONMENTS)('queried metrics against the contracts: %s', (environment) => {
  test('every metric and label in every alert and panel is a fact of a pinned program', () => {
    expect(problems(environment)).toEqual([]);
  });
});

describe('label uses', () => {
  test('matchers belong to their metric, grouping lists to the expression', () => {
    expect(labelUses('sum by (api_key_alias) (rate(litellm_spend_metric_total{model="x"}[5m])) / on (pod) group_left up{job="a"}')).toEqual({
      uses: [{ label: 'api_key_alias' }, { label: 'model', metric: 'litellm_spend_metric_total' }, { label: 'pod' }, { label: 'job', metric: 'up' }],
      created: [],
    });
  });
  test('labels created by label_replace are reported as created', () => {
    expect(labelUses('sum by (agent) (label_replace(up, "agent", "$1", "pod", "(.*)"))').created).toEqual(['agent']);
  });
});
