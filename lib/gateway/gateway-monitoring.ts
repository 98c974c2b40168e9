import { orZeroWhileUp, q, stat, timeseries } from '../platform/dashboard-spec';
import { selectorLabels } from '../platform/labels';
import {
  growing,
  latencyBuckets,
  steady,
  type MetricEmitter,
  type MetricSpec,
  type MonitoringContribution,
} from '../platform/monitoring-contribution';
import { GATEWAY_NAME } from './litellm-gateway';

/**
 * How the LiteLLM gateway is watched. Metric names are LiteLLM's exposition names (counters with
 * `_total`, histograms with `_bucket`/`_sum`/`_count`), from its Prometheus callback
 * (`litellm_settings.callbacks: [prometheus]`). Each agent workflow calls the gateway with its own
 * virtual key whose alias is the workflow id (`api_key_alias`), and each agent under its own model
 * name `agent-<id>` (`requested_model`); see lib/agents/agent-identities.ts.
 */

/** `app.kubernetes.io/name` of the gateway pods. */
export const GATEWAY_APP_NAME = GATEWAY_NAME;
/** Scrape job of the gateway; the `job` label of its series. */
export const GATEWAY_JOB = 'litellm-gateway';

/** LiteLLM's Prometheus callback, scraped by the gateway's job. */
const FROM_GATEWAY: readonly MetricEmitter[] = [{ program: 'litellm', jobs: [GATEWAY_JOB] }];

/** The labels of LiteLLM's per-deployment request counters (contracts/litellm: both counters carry the same set). */
const PER_DEPLOYMENT_LABELS = [
  'requested_model',
  'litellm_model_name',
  'model_id',
  'api_base',
  'api_provider',
  'hashed_api_key',
  'api_key_alias',
  'team',
  'team_alias',
] as const;

/** The labels of LiteLLM's two fallback counters (contracts/litellm: both carry the same set). */
const FALLBACK_LABELS = [
  'requested_model',
  'fallback_model',
  'hashed_api_key',
  'api_key_alias',
  'team',
  'team_alias',
  'exception_status',
  'exception_class',
] as const;

/** What the gateway exposes at `/metrics/` (trailing slash: `/metrics` answers with a redirect). */
export const GATEWAY_METRICS: readonly MetricSpec[] = [
  {
    name: 'litellm_proxy_total_requests_metric_total',
    type: 'counter',
    help: 'Requests to the proxy, by key, model and status code',
    labels: [
      'end_user',
      'hashed_api_key',
      'api_key_alias',
      'requested_model',
      'team',
      'team_alias',
      'user',
      'status_code',
      'user_email',
      'route',
    ],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_proxy_failed_requests_metric_total',
    type: 'counter',
    help: 'Failed requests to the proxy',
    labels: [
      'end_user',
      'hashed_api_key',
      'api_key_alias',
      'requested_model',
      'team',
      'team_alias',
      'user',
      'user_email',
      'exception_status',
      'exception_class',
      'route',
    ],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_request_total_latency_metric',
    type: 'histogram',
    help: 'Whole request latency in seconds, proxy overhead included',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'requested_model', 'team', 'team_alias', 'user', 'model'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_llm_api_latency_metric',
    type: 'histogram',
    help: 'Latency of the provider call alone, seconds',
    labels: ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'requested_model', 'end_user', 'user'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_llm_api_time_to_first_token_metric',
    type: 'histogram',
    help: 'Time to first token of streamed responses, seconds',
    labels: ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_spend_metric_total',
    type: 'counter',
    help: 'Spend in USD',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'user_email'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_total_tokens_metric_total',
    type: 'counter',
    help: 'Input plus output tokens',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'user_email', 'requested_model'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_input_tokens_metric_total',
    type: 'counter',
    help: 'Input (prompt) tokens',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'user_email', 'requested_model'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_output_tokens_metric_total',
    type: 'counter',
    help: 'Output (completion) tokens',
    labels: ['end_user', 'hashed_api_key', 'api_key_alias', 'model', 'team', 'team_alias', 'user', 'user_email', 'requested_model'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_remaining_api_key_budget_metric',
    type: 'gauge',
    help: 'Budget left on a virtual key, USD',
    labels: ['hashed_api_key', 'api_key_alias'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_api_key_max_budget_metric',
    type: 'gauge',
    help: 'Budget of a virtual key, USD',
    labels: ['hashed_api_key', 'api_key_alias'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_remaining_team_budget_metric',
    type: 'gauge',
    help: 'Budget left on a team, USD',
    labels: ['team', 'team_alias'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_state',
    type: 'gauge',
    help: 'Deployment health: 0 healthy, 1 partial outage, 2 outage',
    labels: ['litellm_model_name', 'model_id', 'api_base', 'api_provider'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_success_responses_total',
    type: 'counter',
    help: 'Successful responses per deployment',
    labels: PER_DEPLOYMENT_LABELS,
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_failure_responses_total',
    type: 'counter',
    help: 'Failed responses per deployment',
    labels: [
      'requested_model',
      'litellm_model_name',
      'model_id',
      'api_base',
      'api_provider',
      'exception_status',
      'exception_class',
      'hashed_api_key',
      'api_key_alias',
      'team',
      'team_alias',
    ],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_total_requests_total',
    type: 'counter',
    help: 'Requests per deployment',
    labels: PER_DEPLOYMENT_LABELS,
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_cooled_down_total',
    type: 'counter',
    help: 'Times a deployment was put in cooldown',
    labels: ['litellm_model_name', 'model_id', 'api_base', 'api_provider', 'exception_status'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_successful_fallbacks_total',
    type: 'counter',
    help: 'Requests served by a fallback model group',
    labels: FALLBACK_LABELS,
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_deployment_failed_fallbacks_total',
    type: 'counter',
    help: 'Fallbacks that failed too',
    labels: FALLBACK_LABELS,
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_cache_hits_metric_total',
    type: 'counter',
    help: 'Responses served from the cache',
    labels: ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'end_user', 'user'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_cache_misses_metric_total',
    type: 'counter',
    help: 'Cache lookups that missed',
    labels: ['model', 'hashed_api_key', 'api_key_alias', 'team', 'team_alias', 'end_user', 'user'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_remaining_requests_metric',
    type: 'gauge',
    help: 'Provider rate limit: requests left (x-ratelimit headers)',
    labels: ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'],
    emitters: FROM_GATEWAY,
  },
  {
    name: 'litellm_remaining_tokens_metric',
    type: 'gauge',
    help: 'Provider rate limit: tokens left (x-ratelimit headers)',
    labels: ['model_group', 'api_provider', 'api_base', 'litellm_model_name', 'hashed_api_key', 'api_key_alias'],
    emitters: FROM_GATEWAY,
  },
];

/** Latency bucket bounds for tests, around a threshold in seconds. */
const around = (t: number) => [t / 4, t / 2, t, t * 2, t * 4];

/** The gateway's contribution. */
export const gatewayMonitoring: MonitoringContribution = {
  component: 'gateway',
  title: 'LLM gateway (LiteLLM)',
  metrics: GATEWAY_METRICS,
  // GatewayDown is this job's alert for its targets disappearing.
  scrapeTargets: (ctx) => [
    {
      job: GATEWAY_JOB,
      podLabels: selectorLabels(GATEWAY_APP_NAME, ctx.environment),
      portName: 'http',
      path: '/metrics/',
      missing: { coveredBy: 'GatewayDown' },
    },
  ],
  alerts: [
    {
      name: 'GatewayDown',
      expr: () => `absent(up{job="${GATEWAY_JOB}"} == 1)`,
      for: '5m',
      severity: 'critical',
      summary: 'No LLM gateway pod is up',
      description: 'Prometheus reaches no healthy litellm-gateway pod: every agent call to a model fails.',
      runbook:
        'kubectl get pods -l app.kubernetes.io/name=litellm-gateway; check the pod logs, its config ConfigMap and the spend database.',
      tests: () => ({
        firing: { series: [{ series: `up{job="${GATEWAY_JOB}",pod="gw-0"}`, values: steady(0) }] },
        quiet: { series: [{ series: `up{job="${GATEWAY_JOB}",pod="gw-0"}`, values: steady(1) }] },
      }),
    },
    {
      name: 'GatewayHighErrorRatio',
      threshold: { value: 0.05, meaning: 'share of failed requests (0-1) over 5m', max: 1 },
      expr: (t) =>
        `sum(rate(litellm_proxy_failed_requests_metric_total[5m])) / sum(rate(litellm_proxy_total_requests_metric_total[5m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'LLM gateway error ratio is high',
      description: 'More failed gateway requests than the threshold allows over the last 5 minutes.',
      runbook: 'Open the LLM gateway dashboard: errors by model and exception class; check provider status and the deployment state panel.',
      tests: (t) => ({
        firing: {
          series: [
            { series: 'litellm_proxy_total_requests_metric_total{requested_model="gpt-4"}', values: growing(100) },
            { series: 'litellm_proxy_failed_requests_metric_total{requested_model="gpt-4"}', values: growing(100 * Math.min(1, t * 2)) },
          ],
        },
        quiet: {
          series: [
            { series: 'litellm_proxy_total_requests_metric_total{requested_model="gpt-4"}', values: growing(100) },
            { series: 'litellm_proxy_failed_requests_metric_total{requested_model="gpt-4"}', values: growing(100 * t * 0.5) },
          ],
        },
      }),
    },
    {
      name: 'GatewayHighLatencyP95',
      threshold: { value: 30, meaning: 'p95 request latency in seconds over 5m' },
      expr: (t) => `histogram_quantile(0.95, sum by (le) (rate(litellm_request_total_latency_metric_bucket[5m]))) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'LLM gateway p95 latency is high',
      description: 'The slowest 5% of gateway requests take longer than the threshold.',
      runbook:
        'Compare request latency with provider (LLM API) latency on the gateway dashboard: a gap means the proxy itself or its database is slow.',
      tests: (t) => ({
        firing: { series: latencyBuckets('litellm_request_total_latency_metric', '', t * 3, 60, around(t)) },
        quiet: { series: latencyBuckets('litellm_request_total_latency_metric', '', t / 8, 60, around(t)) },
      }),
    },
    {
      name: 'GatewayDeploymentOutage',
      expr: () => 'max by (litellm_model_name, api_provider) (litellm_deployment_state) == 2',
      for: '5m',
      severity: 'critical',
      summary: 'Model deployment {{ $labels.litellm_model_name }} ({{ $labels.api_provider }}) is in outage',
      description: 'LiteLLM marks the deployment as fully down; its traffic goes to fallbacks or fails.',
      runbook: "Check the provider's status page and API key; the gateway logs name the exception class.",
      tests: () => ({
        firing: {
          series: [{ series: 'litellm_deployment_state{litellm_model_name="openai/gpt-4",api_provider="openai"}', values: steady(2) }],
          labels: { litellm_model_name: 'openai/gpt-4', api_provider: 'openai' },
        },
        quiet: {
          series: [{ series: 'litellm_deployment_state{litellm_model_name="openai/gpt-4",api_provider="openai"}', values: steady(1) }],
        },
      }),
    },
    {
      name: 'GatewayFallbacksFrequent',
      threshold: { value: 5, meaning: 'successful fallbacks per minute for one requested model' },
      expr: (t) => `sum by (requested_model) (rate(litellm_deployment_successful_fallbacks_total[10m])) * 60 > ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Requests for {{ $labels.requested_model }} keep falling back',
      description: 'The primary model group often fails and another group answers instead (other cost and quality).',
      runbook: 'Look at deployment state and cooldowns of the primary group on the gateway dashboard.',
      tests: (t) => ({
        firing: {
          series: [
            {
              series: 'litellm_deployment_successful_fallbacks_total{requested_model="gpt-4",fallback_model="claude-3-sonnet"}',
              values: growing(t * 2),
            },
          ],
          labels: { requested_model: 'gpt-4' },
        },
        quiet: {
          series: [
            {
              series: 'litellm_deployment_successful_fallbacks_total{requested_model="gpt-4",fallback_model="claude-3-sonnet"}',
              values: growing(t / 2),
            },
          ],
        },
      }),
    },
    {
      name: 'GatewayFallbacksFailing',
      expr: () => 'sum by (requested_model) (increase(litellm_deployment_failed_fallbacks_total[10m])) > 0',
      for: '5m',
      severity: 'warning',
      summary: 'Fallbacks for {{ $labels.requested_model }} fail too',
      description: 'Requests whose primary and fallback model groups both failed reach the agents as errors.',
      runbook: 'Check every model group in the fallback chain and the provider keys.',
      tests: () => ({
        firing: {
          series: [
            {
              series: 'litellm_deployment_failed_fallbacks_total{requested_model="gpt-4",fallback_model="claude-3-sonnet"}',
              values: growing(1),
            },
          ],
          labels: { requested_model: 'gpt-4' },
        },
        quiet: {
          series: [
            {
              series: 'litellm_deployment_failed_fallbacks_total{requested_model="gpt-4",fallback_model="claude-3-sonnet"}',
              values: steady(3),
            },
          ],
        },
      }),
    },
    {
      name: 'GatewayDeploymentCooldowns',
      threshold: { value: 3, meaning: 'cooldowns of one deployment in 15m' },
      expr: (t) => `sum by (litellm_model_name) (increase(litellm_deployment_cooled_down_total[15m])) > ${t}`,
      for: '5m',
      severity: 'warning',
      summary: 'Deployment {{ $labels.litellm_model_name }} keeps cooling down',
      description: 'The router takes the deployment out of rotation after repeated failures (allowed_fails), again and again.',
      runbook:
        'Check exception_status on litellm_deployment_cooled_down_total: 429 means rate limits (raise tpm/rpm or add deployments), 5xx means provider trouble.',
      tests: (t) => ({
        firing: {
          series: [
            {
              series: 'litellm_deployment_cooled_down_total{litellm_model_name="openai/gpt-4",exception_status="429"}',
              values: growing(t / 5),
            },
          ],
          labels: { litellm_model_name: 'openai/gpt-4' },
        },
        quiet: {
          series: [
            {
              series: 'litellm_deployment_cooled_down_total{litellm_model_name="openai/gpt-4",exception_status="429"}',
              values: growing(t / 60),
            },
          ],
        },
      }),
    },
    {
      name: 'LlmSpendBurnRateHigh',
      threshold: { value: 1000, meaning: 'projected spend over 30 days at the last hour’s rate, USD' },
      expr: (t) => `sum(rate(litellm_spend_metric_total[1h])) * 2592000 > ${t}`,
      for: '30m',
      severity: 'warning',
      summary: 'LLM spend is burning faster than the monthly budget',
      description: 'At the last hour’s rate, 30 days of spend would exceed the threshold.',
      runbook: 'See spend by agent and by model on the LLM gateway dashboard; look for loops or a model switch.',
      tests: (t) => ({
        firing: {
          series: [{ series: 'litellm_spend_metric_total{api_key_alias="xiaoai",model="gpt-4"}', values: growing((t / 43200) * 2) }],
        },
        quiet: {
          series: [{ series: 'litellm_spend_metric_total{api_key_alias="xiaoai",model="gpt-4"}', values: growing((t / 43200) * 0.5) }],
        },
      }),
    },
    {
      name: 'LlmBudgetRemainingLow',
      threshold: { value: 0.1, meaning: 'share (0-1) of the summed key budgets left', max: 1 },
      expr: (t) =>
        `sum(litellm_remaining_api_key_budget_metric and on (hashed_api_key) (litellm_api_key_max_budget_metric > 0)) / sum(litellm_api_key_max_budget_metric > 0) < ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Little of the platform LLM budget is left',
      description: 'Across all virtual keys with a budget, less than the threshold share remains; keys that reach zero are refused.',
      runbook: 'Raise key budgets (LiteLLM /key/update) or wait for budget_duration to reset them; check the spend panels.',
      tests: (t) => {
        const budget = (left: number) => [
          { series: 'litellm_api_key_max_budget_metric{hashed_api_key="k1",api_key_alias="xiaoai"}', values: steady(100) },
          { series: 'litellm_remaining_api_key_budget_metric{hashed_api_key="k1",api_key_alias="xiaoai"}', values: steady(left) },
        ];
        return { firing: { series: budget(100 * t * 0.5) }, quiet: { series: budget(Math.min(100, 100 * t * 2)) } };
      },
    },
  ],
  dashboards: [
    {
      uid: 'llm-gateway',
      title: 'LLM gateway',
      description: 'LiteLLM: traffic, errors, latency, tokens, spend by model and workflow, cache, fallbacks, cooldowns and budgets.',
      tags: ['llm', 'gateway'],
      rows: [
        {
          title: 'Traffic and errors',
          panels: [
            stat('Requests/s', 'All gateway requests per second.', 'sum(rate(litellm_proxy_total_requests_metric_total[5m]))', {
              unit: 'reqps',
            }),
            stat(
              'Error ratio',
              'Failed over all requests, last 5 minutes.',
              'sum(rate(litellm_proxy_failed_requests_metric_total[5m])) / sum(rate(litellm_proxy_total_requests_metric_total[5m]))',
              { unit: 'percentunit', redFrom: 0.05 },
            ),
            stat('Pods up', 'Gateway pods Prometheus scrapes successfully.', `sum(up{job="${GATEWAY_JOB}"})`),
            stat(
              'Deployments in outage',
              'Model deployments LiteLLM marks as down (state 2).',
              orZeroWhileUp('count(litellm_deployment_state == 2)', GATEWAY_JOB),
              { redFrom: 1 },
            ),
            timeseries(
              'Requests by model',
              'Requests per second by requested model group.',
              [q('sum by (requested_model) (rate(litellm_proxy_total_requests_metric_total[$__rate_interval]))', '{{ requested_model }}')],
              { unit: 'reqps', stacked: true, width: 12 },
            ),
            timeseries(
              'Errors by exception',
              'Failed requests per second by exception class.',
              [q('sum by (exception_class) (rate(litellm_proxy_failed_requests_metric_total[$__rate_interval]))', '{{ exception_class }}')],
              { unit: 'reqps', width: 12 },
            ),
          ],
        },
        {
          title: 'Latency',
          panels: [
            timeseries(
              'Request latency',
              'Whole request latency quantiles.',
              [0.5, 0.95, 0.99].map((p) =>
                q(
                  `histogram_quantile(${p}, sum by (le) (rate(litellm_request_total_latency_metric_bucket[$__rate_interval])))`,
                  `p${p * 100}`,
                ),
              ),
              { unit: 's', width: 12 },
            ),
            timeseries(
              'Provider latency p95 by model',
              'Latency of the provider call alone.',
              [
                q(
                  'histogram_quantile(0.95, sum by (le, model) (rate(litellm_llm_api_latency_metric_bucket[$__rate_interval])))',
                  '{{ model }}',
                ),
              ],
              { unit: 's', width: 12 },
            ),
          ],
        },
        {
          title: 'Tokens and spend',
          panels: [
            timeseries('Tokens by model', 'Input and output tokens per second.', [
              q('sum by (model) (rate(litellm_input_tokens_metric_total[$__rate_interval]))', 'in {{ model }}'),
              q('sum by (model) (rate(litellm_output_tokens_metric_total[$__rate_interval]))', 'out {{ model }}'),
            ]),
            timeseries(
              'Spend by model',
              'USD per hour by model.',
              [q('sum by (model) (rate(litellm_spend_metric_total[$__rate_interval])) * 3600', '{{ model }}')],
              { unit: 'currencyUSD', stacked: true },
            ),
            timeseries(
              'Spend by workflow',
              'USD per hour by workflow (virtual key alias).',
              [q('sum by (api_key_alias) (rate(litellm_spend_metric_total[$__rate_interval])) * 3600', '{{ api_key_alias }}')],
              { unit: 'currencyUSD', stacked: true },
            ),
            stat('Spend today', 'USD spent over the last 24 hours.', 'sum(increase(litellm_spend_metric_total[1d]))', {
              unit: 'currencyUSD',
            }),
            stat(
              'Projected 30 days',
              'Spend over 30 days at the last hour’s rate.',
              'sum(rate(litellm_spend_metric_total[1h])) * 2592000',
              { unit: 'currencyUSD' },
            ),
            stat(
              'Budget left',
              'Share of the summed key budgets left.',
              'sum(litellm_remaining_api_key_budget_metric and on (hashed_api_key) (litellm_api_key_max_budget_metric > 0)) / sum(litellm_api_key_max_budget_metric > 0)',
              { unit: 'percentunit' },
            ),
            stat(
              'Cache hit ratio',
              'Share of cache lookups answered from Redis, last hour.',
              'sum(rate(litellm_cache_hits_metric_total[1h])) / (sum(rate(litellm_cache_hits_metric_total[1h])) + sum(rate(litellm_cache_misses_metric_total[1h])))',
              { unit: 'percentunit' },
            ),
          ],
        },
        {
          title: 'Reliability',
          panels: [
            timeseries('Fallbacks', 'Fallbacks per minute by requested model, successful and failed.', [
              q(
                'sum by (requested_model) (rate(litellm_deployment_successful_fallbacks_total[$__rate_interval])) * 60',
                'ok {{ requested_model }}',
              ),
              q(
                'sum by (requested_model) (rate(litellm_deployment_failed_fallbacks_total[$__rate_interval])) * 60',
                'failed {{ requested_model }}',
              ),
            ]),
            timeseries('Cooldowns', 'Deployments put in cooldown, per hour.', [
              q('sum by (litellm_model_name) (increase(litellm_deployment_cooled_down_total[1h]))', '{{ litellm_model_name }}'),
            ]),
            timeseries('Deployment state', '0 healthy, 1 partial outage, 2 outage.', [
              q('max by (litellm_model_name) (litellm_deployment_state)', '{{ litellm_model_name }}'),
            ]),
            timeseries(
              'Budget left by key',
              'USD left per virtual key.',
              [q('litellm_remaining_api_key_budget_metric', '{{ api_key_alias }}')],
              { unit: 'currencyUSD', width: 12 },
            ),
            timeseries(
              'Provider rate limit left',
              'Requests left in the provider window.',
              [q('min by (litellm_model_name) (litellm_remaining_requests_metric)', '{{ litellm_model_name }}')],
              { width: 12 },
            ),
          ],
        },
      ],
    },
  ],
};
