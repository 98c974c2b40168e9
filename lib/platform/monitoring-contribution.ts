import type { DashboardSpec } from './dashboard-spec';

/**
 * The monitoring "mixin" contract. Each component (gateway, Redis, PostgreSQL, agents, the
 * monitoring stack itself) describes, next to its own code, what it exposes and how it is watched:
 * the metric names it really exports, how Prometheus finds it, its alert rules (each with a
 * firing and a quiet promtool unit test) and its dashboards. The monitoring chart only collects
 * contributions; it knows nothing of any component's metrics.
 */

/**
 * The type parameter `S` of the types below is what a contribution reads of an environment's
 * settings (for rules and metrics that exist only in some configurations): a component declares
 * the sections it reads, and the registry checks that the composed settings provide them.
 */

/** Severity of an alert; also what Alertmanager routes on. `none` is for the Watchdog heartbeat. */
export const SEVERITIES = ['critical', 'warning', 'info', 'none'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** How a scrape job's disappearance is alerted on (lib/monitoring/target-alerts.ts generates the alert). */
export interface TargetMissingSpec {
  /**
   * Severity of the generated alert.
   * @default 'warning'
   */
  readonly severity?: Severity;
  /**
   * What stops working without this job's series, appended to the generated description.
   * @default - only the generic sentence
   */
  readonly impact?: string;
  /**
   * An alert of the contribution that already fires when the job has no healthy target
   * (`absent(up{job="<job>"} == 1)`); no alert is generated then.
   * @default - one is generated
   */
  readonly coveredBy?: string;
}

/** Prometheus metric types, as the exporter declares them. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/**
 * Who exposes a metric and how Prometheus collects it from there: the program (by contract name)
 * and the scrape jobs that scrape it. A metric is available in an environment when one of its
 * emitters' jobs is a job of that environment's rendered `prometheus.yml` (lib/monitoring/coverage.ts).
 */
export interface MetricEmitter<S = unknown> {
  /**
   * The upstream program that exposes it, by contract program name (`litellm`, `redis-exporter`,
   * …): the metric must be a fact of the contract of its pinned version.
   */
  readonly program: string;
  /** Names of the scrape jobs that collect it from that program (empty for `synthesised` series). */
  readonly jobs: readonly string[];
  /**
   * Made by Prometheus itself (`up` for every target, `ALERTS` by the rule engine), not scraped:
   * available wherever Prometheus runs.
   * @default false
   */
  readonly synthesised?: boolean;
  /**
   * When the program exposes it only in some configurations (Alertmanager's gossip metrics exist
   * only with clustering on): whether it does in these settings, and why not, for messages.
   * @default - whenever the program is scraped
   */
  readonly only?: { readonly when: (settings: S) => boolean; readonly condition: string };
}

/** One metric a component really exposes. */
export interface MetricSpec<S = unknown> {
  /**
   * The name as scraped. Counters are listed with the suffix their exporter gives them
   * (`litellm_spend_metric_total`); histograms by their base name, which also admits
   * `<name>_bucket`, `<name>_sum` and `<name>_count`.
   */
  readonly name: string;
  /** Metric type. */
  readonly type: MetricType;
  /** What it measures. */
  readonly help: string;
  /** Labels it carries (beyond `job`, `instance` and the pod labels added by relabelling). */
  readonly labels: readonly string[];
  /**
   * Who exposes it and which scrape jobs collect it. A metric without emitters is a contract
   * nothing implements: every panel and alert that needs it is left out.
   */
  readonly emitters: readonly MetricEmitter<S>[];
}

/** One input series of a unit test, in promtool's notation. */
export interface SeriesInput {
  /** Series selector with labels, e.g. `redis_up{pod="redis-0"}`. */
  readonly series: string;
  /** Values, one per minute, in promtool's expanding notation (`1x240`, `0+5x240`). */
  readonly values: string;
}

/** A unit-test scenario of one alert. */
export interface AlertScenario {
  /** Input series, sampled every minute from time 0. Cover `SERIES_LENGTH` samples (use `steady`/`growing`). */
  readonly series: readonly SeriesInput[];
  /**
   * The alert's labels from the expression (what survives aggregation), for the firing case.
   * The rule's own labels (`severity`, `component`) are added by the generator.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** The firing and quiet unit tests of an alert, built for a given threshold. */
export interface AlertTests {
  /** Input that makes the alert fire (with exactly one alert). */
  readonly firing: AlertScenario;
  /**
   * Nearby input that must keep it quiet.
   * @default - none; allowed only for an alert that fires by design (the Watchdog)
   */
  readonly quiet?: AlertScenario;
}

/** An adjustable threshold of an alert. */
export interface AlertThreshold {
  /** The shipped value. */
  readonly value: number;
  /** What the number means, with its unit (shown in the README). */
  readonly meaning: string;
  /**
   * An override must be below this (thresholds are always above 0).
   * @default - no upper bound
   */
  readonly max?: number;
}

/** One shipped alert rule. */
export interface AlertRuleSpec<S = unknown> {
  /** Alert name; the key of `monitoring.alerts.overrides`. */
  readonly name: string;
  /** The PromQL condition, for the effective threshold (ignored when there is none). */
  readonly expr: (threshold: number) => string;
  /**
   * The adjustable threshold.
   * @default - none: the condition is fixed
   */
  readonly threshold?: AlertThreshold;
  /** How long the condition must hold (`0s` fires at once). */
  readonly for: string;
  /** Shipped severity. */
  readonly severity: Severity;
  /** One line; may use `{{ $labels.<name> }}` and nothing else. */
  readonly summary: string;
  /** What is wrong and what it affects; same templating rule as `summary`. */
  readonly description: string;
  /** What to check first. */
  readonly runbook: string;
  /** Unit tests for a threshold (the shipped one or an override). */
  readonly tests: (threshold: number) => AlertTests;
  /**
   * Whether the rule ships in an environment (e.g. only when kube-state-metrics runs).
   * @default - always
   */
  readonly when?: (settings: S) => boolean;
}

/** A set of pods Prometheus scrapes, for its scrape job and its egress NetworkPolicy. */
export interface PodScrapeTarget {
  /** Scrape job name; becomes the `job` label. */
  readonly job: string;
  /** Labels that pick the pods (all must match). */
  readonly podLabels: Readonly<Record<string, string>>;
  /**
   * Name of the container port to scrape. When unset, the pod's `prometheus.io/port`
   * annotation gives the port and `egressPorts` the ports the NetworkPolicy opens.
   */
  readonly portName?: string;
  /**
   * Ports Prometheus may reach on these pods, when `portName` is unset.
   * @default - `portName`
   */
  readonly egressPorts?: readonly string[];
  /**
   * Metrics path; when unset the `prometheus.io/path` annotation, else `/metrics`.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * Read port and path from `prometheus.io/*` annotations (and keep only pods with `scrape: "true"`).
   * @default false
   */
  readonly annotations?: boolean;
  /**
   * Keep the labels the target exposes when they clash with the ones relabelling sets (for
   * exporters that report on other pods, such as kube-state-metrics' `pod` and `namespace`).
   * @default false
   */
  readonly honorLabels?: boolean;
  /**
   * The alert for this job's targets disappearing (generated by lib/monitoring/target-alerts.ts).
   * @default - a generated `<Job>TargetMissing` warning
   */
  readonly missing?: TargetMissingSpec;
}

/** What a component tells the monitoring stack about an environment. */
export interface MonitoringContext<S = unknown> {
  /** Environment name, e.g. `prod`. */
  readonly environment: string;
  /** Namespace of the environment. */
  readonly namespace: string;
  /** The validated settings. */
  readonly settings: S;
}

/** One component's contribution to monitoring. */
export interface MonitoringContribution<S = unknown> {
  /** Value of the `component` label on its alerts, and its rule file's name. */
  readonly component: string;
  /** Human name, for the README and dashboards. */
  readonly title: string;
  /** The metrics it exposes: the metric catalogue. */
  readonly metrics: readonly MetricSpec<S>[];
  /** Its alert rules. */
  readonly alerts: readonly AlertRuleSpec<S>[];
  /** Pods to scrape in an environment. */
  readonly scrapeTargets: (context: MonitoringContext<S>) => readonly PodScrapeTarget[];
  /**
   * Scrape jobs that are not pods of the namespace (e.g. kubelets), as raw Prometheus config.
   * @default - none
   */
  readonly extraScrapeConfigs?: (context: MonitoringContext<S>) => readonly Record<string, unknown>[];
  /** Its dashboards. */
  readonly dashboards: readonly DashboardSpec[];
}

/** Samples in every unit-test series: 5 hours at one per minute (the longest `for` plus range plus margin). */
export const SERIES_LENGTH = 300;

/** A series that holds one value for the whole test. */
export function steady(value: number): string {
  return `${value}x${SERIES_LENGTH}`;
}

/** A counter that grows by `perMinute` every minute from `start`. */
export function growing(perMinute: number, start = 0): string {
  return `${start}+${perMinute}x${SERIES_LENGTH}`;
}

/** Histogram bucket series of one label set, for `n` requests per minute all of `seconds` latency. */
export function latencyBuckets(
  metric: string,
  labels: string,
  seconds: number,
  perMinute: number,
  bounds: readonly number[],
): SeriesInput[] {
  return [...bounds.map(String), '+Inf'].map((le) => ({
    series: `${metric}_bucket{${labels}${labels ? ',' : ''}le="${le}"}`,
    values: growing(le === '+Inf' || Number(le) >= seconds ? perMinute : 0),
  }));
}

/**
 * Pod annotations that ask Prometheus to scrape a pod (its catch-all `annotated-pods` job reads
 * them), for pods no dedicated scrape job covers.
 */
export function scrapeAnnotations(port: number, path: string): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': path };
}
