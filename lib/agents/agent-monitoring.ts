import { q, stat, timeseries } from '../platform/dashboard-spec';
import { growing, latencyBuckets, steady, type MonitoringContribution } from '../platform/monitoring-contribution';

/**
 * How the agents — xiaoai (小艾), xiaoke (小克), laoke (老克), soer (索儿) — and their workflows
 * are watched. PraisonAI 4.7.0 exposes no metrics (contracts/praisonai/4.7.0.yaml,
 * notProvided./metrics), so the agents contribute no scrape target and no metric of their own:
 * every series here is the gateway's (lib/gateway/gateway-monitoring.ts, LiteLLM's Prometheus
 * callback), split two ways (lib/agents/agent-identities.ts):
 *
 * - **per agent** by `requested_model`: every caller calls the gateway under its own model name
 *   `agent-<identity>` (`agent-xiaoai`, …, `agent-quality-reviewer`, `agent-manager-<workflow>`),
 *   which LiteLLM puts on requests, failures, latency and tokens;
 * - **per workflow** by `api_key_alias`: each workflow's process has its own virtual key, whose
 *   alias is the workflow id; LiteLLM puts it on every series, spend and key budgets included.
 *
 * Spend and budget are per workflow only: LiteLLM's spend counter has no model-group label, and its
 * deployment budgets (which hold each agent's budget) have no gauge. Run counts, run durations and
 * handoffs between agents are not measured anywhere: PraisonAI does not report them.
 */

/** Label every workflow pod carries; the gateway's NetworkPolicy admits the pods that have it. */
export const AGENT_CLIENT_LABEL = 'suoke.life/agent-client';

/** Matcher of the agents' calls: the gateway model names of every caller. */
export const AGENT_CALLS = 'requested_model=~"agent-.+"';
/** Matcher of the workflows' calls: the key aliases (workflow ids) of every workflow key. */
export const WORKFLOW_CALLS = 'api_key_alias!=""';

const around = (t: number) => [t / 4, t / 2, t, t * 2, t * 4];
const calls = (labels: string, total: number, failed: number) => [
  { series: `litellm_proxy_total_requests_metric_total{${labels}}`, values: growing(total) },
  { series: `litellm_proxy_failed_requests_metric_total{${labels}}`, values: growing(failed) },
];

/** The agents' contribution. */
export const agentMonitoring: MonitoringContribution = {
  component: 'agents',
  title: 'Agents and workflows',
  metrics: [],
  scrapeTargets: () => [],
  alerts: [
    {
      name: 'AgentLlmErrorRatioHigh',
      threshold: { value: 0.1, meaning: 'share (0-1) of an agent’s gateway calls that failed over 10m', max: 1 },
      expr: (t) =>
        `sum by (requested_model) (rate(litellm_proxy_failed_requests_metric_total{${AGENT_CALLS}}[10m])) / sum by (requested_model) (rate(litellm_proxy_total_requests_metric_total{${AGENT_CALLS}}[10m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'Model calls of {{ $labels.requested_model }} fail',
      description:
        'The agent’s calls through the gateway fail more often than the threshold: its steps of every workflow fail with them. An exhausted agent budget refuses its calls too.',
      runbook:
        'Look at exception_class of litellm_proxy_failed_requests_metric_total for this requested_model: 401/403 is the workflow key (or a model it may not call), a budget error the agent budget (gateway.agentBudgets), 5xx the provider of its base group.',
      tests: (t) => ({
        firing: {
          series: calls('requested_model="agent-soer",api_key_alias="knowledge_question"', 20, 20 * Math.min(1, t * 2)),
          labels: { requested_model: 'agent-soer' },
        },
        quiet: { series: calls('requested_model="agent-soer",api_key_alias="knowledge_question"', 20, 20 * t * 0.3) },
      }),
    },
    {
      name: 'AgentLlmLatencyHigh',
      threshold: { value: 60, meaning: 'p95 latency of an agent’s gateway calls in seconds over 15m' },
      expr: (t) =>
        `histogram_quantile(0.95, sum by (requested_model, le) (rate(litellm_request_total_latency_metric_bucket{${AGENT_CALLS}}[15m]))) > ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Model calls of {{ $labels.requested_model }} are slow',
      description:
        'The slowest 5% of the agent’s calls take longer than the threshold; every workflow step of the agent waits for them, and runs approach the collaboration timeout.',
      runbook:
        'Compare with the provider latency of its base group on the LLM gateway dashboard; retries, a slow model or long outputs are the usual causes.',
      tests: (t) => ({
        firing: {
          series: latencyBuckets('litellm_request_total_latency_metric', 'requested_model="agent-laoke"', t * 3, 10, around(t)),
          labels: { requested_model: 'agent-laoke' },
        },
        quiet: { series: latencyBuckets('litellm_request_total_latency_metric', 'requested_model="agent-laoke"', t / 8, 10, around(t)) },
      }),
    },
    {
      name: 'WorkflowLlmErrorRatioHigh',
      threshold: { value: 0.1, meaning: 'share (0-1) of a workflow’s gateway calls that failed over 15m', max: 1 },
      expr: (t) =>
        `sum by (api_key_alias) (rate(litellm_proxy_failed_requests_metric_total{${WORKFLOW_CALLS}}[15m])) / sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total{${WORKFLOW_CALLS}}[15m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'Workflow {{ $labels.api_key_alias }} often fails to reach its models',
      description:
        'More of the workflow’s model calls fail than the threshold allows: PraisonAI answers those runs with an error, so users get no answer.',
      runbook:
        'See which agent fails on the agent collaboration dashboard (calls by workflow and agent, errors by agent); a budget error on every agent means the workflow key’s budget (gateway.workflowKeys).',
      tests: (t) => ({
        firing: {
          series: calls('api_key_alias="health_consultation",requested_model="agent-xiaoke"', 10, 10 * Math.min(1, t * 2)),
          labels: { api_key_alias: 'health_consultation' },
        },
        quiet: { series: calls('api_key_alias="health_consultation",requested_model="agent-xiaoke"', 10, 10 * t * 0.3) },
      }),
    },
    {
      name: 'WorkflowSpendBurnHigh',
      threshold: { value: 50, meaning: 'spend of one workflow per day at the last hour’s rate, USD' },
      expr: (t) => `sum by (api_key_alias) (rate(litellm_spend_metric_total{${WORKFLOW_CALLS}}[1h])) * 86400 > ${t}`,
      for: '30m',
      severity: 'warning',
      summary: 'Workflow {{ $labels.api_key_alias }} spends fast',
      description: 'At the last hour’s rate the workflow would spend more per day than the threshold.',
      runbook:
        'Check the workflow’s calls and the tokens per agent on the agent collaboration dashboard; a retry loop, a chatty manager or a larger base model are the usual causes.',
      tests: (t) => ({
        firing: {
          series: [
            { series: 'litellm_spend_metric_total{api_key_alias="product_customization",model="gpt-4o"}', values: growing((t / 1440) * 2) },
          ],
          labels: { api_key_alias: 'product_customization' },
        },
        quiet: {
          series: [
            {
              series: 'litellm_spend_metric_total{api_key_alias="product_customization",model="gpt-4o"}',
              values: growing((t / 1440) * 0.5),
            },
          ],
        },
      }),
    },
    {
      name: 'WorkflowBudgetRemainingLow',
      threshold: { value: 0.1, meaning: 'share (0-1) of a workflow key’s budget left', max: 1 },
      expr: (t) =>
        `min by (api_key_alias) (litellm_remaining_api_key_budget_metric{${WORKFLOW_CALLS}} / (litellm_api_key_max_budget_metric{${WORKFLOW_CALLS}} > 0)) < ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Workflow {{ $labels.api_key_alias }} has little budget left',
      description: 'When the workflow key’s budget reaches zero the gateway refuses every call of the workflow.',
      runbook: 'Raise gateway.workflowKeys.<workflow>.maxBudget (the key Job re-registers it) or wait for its budget_duration reset.',
      tests: (t) => {
        const budget = (left: number) => [
          { series: 'litellm_api_key_max_budget_metric{hashed_api_key="k2",api_key_alias="health_consultation"}', values: steady(500) },
          {
            series: 'litellm_remaining_api_key_budget_metric{hashed_api_key="k2",api_key_alias="health_consultation"}',
            values: steady(left),
          },
        ];
        return {
          firing: { series: budget(500 * t * 0.5), labels: { api_key_alias: 'health_consultation' } },
          quiet: { series: budget(Math.min(500, 500 * t * 2)) },
        };
      },
    },
  ],
  dashboards: [
    {
      uid: 'agent-collaboration',
      title: 'Agent collaboration',
      description:
        'The agents xiaoai (小艾), xiaoke (小克), laoke (老克), soer (索儿), the reviewer and the managers, from the gateway: per workflow by key alias, per agent by its model name agent-<id>.',
      tags: ['agents', 'llm'],
      rows: [
        {
          title: 'Workflows (by key alias)',
          panels: [
            stat(
              'Agent calls/s',
              'Gateway calls of every workflow, per second.',
              `sum(rate(litellm_proxy_total_requests_metric_total{${WORKFLOW_CALLS}}[5m]))`,
              { unit: 'reqps' },
            ),
            stat(
              'Failed calls (1h)',
              'Share of the workflows’ gateway calls that failed, last hour.',
              `sum(rate(litellm_proxy_failed_requests_metric_total{${WORKFLOW_CALLS}}[1h])) / sum(rate(litellm_proxy_total_requests_metric_total{${WORKFLOW_CALLS}}[1h]))`,
              { unit: 'percentunit', redFrom: 0.1 },
            ),
            stat(
              'Spend today',
              'USD the workflows spent over the last 24 hours.',
              `sum(increase(litellm_spend_metric_total{${WORKFLOW_CALLS}}[1d]))`,
              { unit: 'currencyUSD' },
            ),
            stat(
              'Least budget left',
              'Share of budget left on the workflow key that has least.',
              `min(litellm_remaining_api_key_budget_metric{${WORKFLOW_CALLS}} / (litellm_api_key_max_budget_metric{${WORKFLOW_CALLS}} > 0))`,
              { unit: 'percentunit' },
            ),
            timeseries(
              'Calls by workflow',
              'Gateway calls per minute, by workflow (key alias). One run makes one call per task, plus the manager’s in hierarchical workflows.',
              [
                q(
                  `sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total{${WORKFLOW_CALLS}}[$__rate_interval])) * 60`,
                  '{{ api_key_alias }}',
                ),
              ],
              { width: 12 },
            ),
            timeseries(
              'Call latency by workflow',
              'p95 latency of one gateway call, by workflow (not of a whole run).',
              [
                q(
                  `histogram_quantile(0.95, sum by (api_key_alias, le) (rate(litellm_request_total_latency_metric_bucket{${WORKFLOW_CALLS}}[$__rate_interval])))`,
                  'p95 {{ api_key_alias }}',
                ),
              ],
              { unit: 's', width: 12 },
            ),
            timeseries(
              'Failed calls by workflow',
              'Share of each workflow’s gateway calls that failed.',
              [
                q(
                  `sum by (api_key_alias) (rate(litellm_proxy_failed_requests_metric_total{${WORKFLOW_CALLS}}[$__rate_interval])) / sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total{${WORKFLOW_CALLS}}[$__rate_interval]))`,
                  '{{ api_key_alias }}',
                ),
              ],
              { unit: 'percentunit', width: 8 },
            ),
            timeseries(
              'Spend by workflow',
              'USD per hour, by workflow key.',
              [
                q(
                  `sum by (api_key_alias) (rate(litellm_spend_metric_total{${WORKFLOW_CALLS}}[$__rate_interval])) * 3600`,
                  '{{ api_key_alias }}',
                ),
              ],
              { unit: 'currencyUSD', stacked: true, width: 8 },
            ),
            timeseries(
              'Budget left by workflow',
              'Share of each workflow key’s budget left.',
              [
                q(
                  `litellm_remaining_api_key_budget_metric{${WORKFLOW_CALLS}} / (litellm_api_key_max_budget_metric{${WORKFLOW_CALLS}} > 0)`,
                  '{{ api_key_alias }}',
                ),
              ],
              { unit: 'percentunit', width: 8 },
            ),
          ],
        },
        {
          title: 'Agents (by gateway model name)',
          panels: [
            timeseries(
              'Calls by agent',
              'Gateway calls per minute of each caller.',
              [
                q(
                  `sum by (requested_model) (rate(litellm_proxy_total_requests_metric_total{${AGENT_CALLS}}[$__rate_interval])) * 60`,
                  '{{ requested_model }}',
                ),
              ],
              { width: 12 },
            ),
            timeseries(
              'Calls by workflow and agent',
              'Who calls in which workflow, per minute: the collaboration as the gateway sees it.',
              [
                q(
                  `sum by (api_key_alias, requested_model) (rate(litellm_proxy_total_requests_metric_total{${AGENT_CALLS}}[$__rate_interval])) * 60`,
                  '{{ api_key_alias }} / {{ requested_model }}',
                ),
              ],
              { width: 12 },
            ),
            timeseries(
              'Failed calls by agent',
              'Share of each caller’s gateway calls that failed.',
              [
                q(
                  `sum by (requested_model) (rate(litellm_proxy_failed_requests_metric_total{${AGENT_CALLS}}[$__rate_interval])) / sum by (requested_model) (rate(litellm_proxy_total_requests_metric_total{${AGENT_CALLS}}[$__rate_interval]))`,
                  '{{ requested_model }}',
                ),
              ],
              { unit: 'percentunit' },
            ),
            timeseries(
              'Latency by agent',
              'p95 latency of each caller’s gateway calls.',
              [
                q(
                  `histogram_quantile(0.95, sum by (requested_model, le) (rate(litellm_request_total_latency_metric_bucket{${AGENT_CALLS}}[$__rate_interval])))`,
                  '{{ requested_model }}',
                ),
              ],
              { unit: 's' },
            ),
            timeseries(
              'Tokens by agent',
              'Input plus output tokens per second of each caller.',
              [
                q(
                  `sum by (requested_model) (rate(litellm_total_tokens_metric_total{${AGENT_CALLS}}[$__rate_interval]))`,
                  '{{ requested_model }}',
                ),
              ],
              { stacked: true },
            ),
            timeseries(
              'Share of tokens by agent',
              'Each caller’s share of all the agents’ tokens: who does the work (spend per agent is in the gateway’s spend logs, by model group).',
              [
                q(
                  `sum by (requested_model) (rate(litellm_total_tokens_metric_total{${AGENT_CALLS}}[$__rate_interval])) / ignoring (requested_model) group_left sum(rate(litellm_total_tokens_metric_total{${AGENT_CALLS}}[$__rate_interval]))`,
                  '{{ requested_model }}',
                ),
              ],
              { unit: 'percentunit', stacked: true, width: 24 },
            ),
          ],
        },
      ],
    },
  ],
};
