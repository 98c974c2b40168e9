import { growing, latencyBuckets, steady, type MetricSpec, type MonitoringContribution } from '../monitoring/contribution';
import { q, stat, timeseries } from '../monitoring/dashboard-spec';

/**
 * How the agents — xiaoai (小艾), xiaoke (小克), laoke (老克), soer (索儿) — and their workflows
 * are watched.
 *
 * Two sources:
 * - **Per-agent model usage comes from the gateway.** Each agent calls LiteLLM with its own
 *   virtual key whose alias is the agent id, so calls, tokens, spend, latency and errors per
 *   agent are LiteLLM series grouped by `api_key_alias`. Nothing extra to instrument.
 * - **Workflow-level metrics are a contract** the orchestrator and agent services implement
 *   (`AGENT_WORKFLOW_METRICS` below; the README has the table). Dashboards and alerts use only
 *   these names and labels.
 */

/** Label every workflow pod carries; the gateway's NetworkPolicy admits the pods that have it. */
export const AGENT_CLIENT_LABEL = 'suoke.life/agent-client';

/** Status values of `suoke_workflow_runs_total`. */
export const WORKFLOW_STATUSES = ['completed', 'failed', 'timeout', 'cancelled'] as const;
/** Status values of `suoke_agent_tasks_total`. */
export const TASK_STATUSES = ['completed', 'failed'] as const;

/**
 * The workflow metric contract. The orchestrator exposes the workflow series and handoffs; each
 * agent service exposes its task series. Label values: `workflow` is the workflow id from the
 * orchestrator config (e.g. `health_consultation`); `agent`, `from_agent` and `to_agent` are agent
 * ids (xiaoai, xiaoke, laoke, soer) or `synthesis` for the final merge step.
 */
export const AGENT_WORKFLOW_METRICS: readonly MetricSpec[] = [
  { name: 'suoke_workflow_runs_total', type: 'counter', help: `Finished workflow runs; status is one of ${WORKFLOW_STATUSES.join(', ')}`, labels: ['workflow', 'status'], emitters: [] },
  { name: 'suoke_workflow_duration_seconds', type: 'histogram', help: 'Wall time of a finished workflow run, start to final answer', labels: ['workflow', 'status'], emitters: [] },
  { name: 'suoke_workflow_in_progress', type: 'gauge', help: 'Workflow runs started and not yet finished', labels: ['workflow'], emitters: [] },
  { name: 'suoke_agent_tasks_total', type: 'counter', help: `Tasks (workflow steps) an agent finished; status is one of ${TASK_STATUSES.join(', ')}`, labels: ['agent', 'workflow', 'status'], emitters: [] },
  { name: 'suoke_agent_task_duration_seconds', type: 'histogram', help: 'Time an agent took for one task, model calls included', labels: ['agent', 'workflow'], emitters: [] },
  { name: 'suoke_agent_handoffs_total', type: 'counter', help: 'Results passed from one agent to the next within a workflow', labels: ['workflow', 'from_agent', 'to_agent'], emitters: [] },
];

const around = (t: number) => [t / 4, t / 2, t, t * 2, t * 4];
const tasks = (agent: string, status: string, perMinute: number) => ({ series: `suoke_agent_tasks_total{agent="${agent}",workflow="health_consultation",status="${status}"}`, values: growing(perMinute) });
const runs = (status: string, perMinute: number) => ({ series: `suoke_workflow_runs_total{workflow="health_consultation",status="${status}"}`, values: growing(perMinute) });

/** The agents' contribution. */
export const agentMonitoring: MonitoringContribution = {
  component: 'agents',
  title: 'Agents and workflows',
  metrics: AGENT_WORKFLOW_METRICS,
  // PraisonAI 4.7.0 serves no metrics (contracts/praisonai/4.7.0.yaml, notProvided./metrics).
  scrapeTargets: () => [],
  alerts: [
    {
      name: 'AgentTaskFailureRatioHigh',
      threshold: { value: 0.1, meaning: 'share (0-1) of an agent’s tasks that failed over 10m', max: 1 },
      expr: (t) => `sum by (agent) (rate(suoke_agent_tasks_total{status="failed"}[10m])) / sum by (agent) (rate(suoke_agent_tasks_total[10m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'Agent {{ $labels.agent }} fails many tasks',
      description: 'The agent’s workflow steps fail more often than the threshold; consultations through it degrade.',
      runbook: 'Check the agent’s LLM errors on the agent dashboard (gateway side) and the agent service logs.',
      tests: (t) => ({
        firing: { series: [tasks('xiaoke', 'completed', 10), tasks('xiaoke', 'failed', 10 * Math.min(1, t * 2))], labels: { agent: 'xiaoke' } },
        quiet: { series: [tasks('xiaoke', 'completed', 10), tasks('xiaoke', 'failed', 10 * t * 0.3)] },
      }),
    },
    {
      name: 'WorkflowFailureRatioHigh',
      threshold: { value: 0.1, meaning: 'share (0-1) of runs of a workflow not completed over 15m', max: 1 },
      expr: (t) => `sum by (workflow) (rate(suoke_workflow_runs_total{status!="completed"}[15m])) / sum by (workflow) (rate(suoke_workflow_runs_total[15m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'Workflow {{ $labels.workflow }} often does not complete',
      description: 'Runs end failed, timed out or cancelled more often than the threshold: users get no answer.',
      runbook: 'See which step fails on the agent collaboration dashboard (tasks by agent, handoffs); check the collaboration timeout.',
      tests: (t) => ({
        firing: { series: [runs('completed', 10), runs('timeout', 10 * Math.min(1, t * 2))], labels: { workflow: 'health_consultation' } },
        quiet: { series: [runs('completed', 10), runs('timeout', 10 * t * 0.3)] },
      }),
    },
    {
      name: 'WorkflowLatencyHigh',
      threshold: { value: 120, meaning: 'p95 duration of a workflow in seconds over 15m' },
      expr: (t) => `histogram_quantile(0.95, sum by (workflow, le) (rate(suoke_workflow_duration_seconds_bucket[15m]))) > ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Workflow {{ $labels.workflow }} is slow',
      description: 'The slowest 5% of runs take longer than the threshold (the collaboration timeout by default).',
      runbook: 'Compare per-agent task durations and gateway latency; a slow model group or retries are the usual cause.',
      tests: (t) => ({
        firing: { series: latencyBuckets('suoke_workflow_duration_seconds', 'workflow="health_consultation",status="completed"', t * 3, 10, around(t)), labels: { workflow: 'health_consultation' } },
        quiet: { series: latencyBuckets('suoke_workflow_duration_seconds', 'workflow="health_consultation",status="completed"', t / 8, 10, around(t)) },
      }),
    },
    {
      name: 'AgentLlmErrorRatioHigh',
      threshold: { value: 0.1, meaning: 'share (0-1) of an agent’s gateway calls that failed over 10m', max: 1 },
      expr: (t) =>
        `sum by (api_key_alias) (rate(litellm_proxy_failed_requests_metric_total{api_key_alias!=""}[10m])) / sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total{api_key_alias!=""}[10m])) > ${t}`,
      for: '10m',
      severity: 'warning',
      summary: 'Model calls of agent {{ $labels.api_key_alias }} fail',
      description: 'The agent’s calls through the gateway fail more often than the threshold (its key, budget or model group).',
      runbook: 'Look at exception_class for this api_key_alias: 401/403 is the key, 400 budget_exceeded the budget, 5xx the provider.',
      tests: (t) => ({
        firing: { series: [{ series: 'litellm_proxy_total_requests_metric_total{api_key_alias="soer"}', values: growing(20) }, { series: 'litellm_proxy_failed_requests_metric_total{api_key_alias="soer"}', values: growing(20 * Math.min(1, t * 2)) }], labels: { api_key_alias: 'soer' } },
        quiet: { series: [{ series: 'litellm_proxy_total_requests_metric_total{api_key_alias="soer"}', values: growing(20) }, { series: 'litellm_proxy_failed_requests_metric_total{api_key_alias="soer"}', values: growing(20 * t * 0.3) }] },
      }),
    },
    {
      name: 'AgentSpendBurnHigh',
      threshold: { value: 50, meaning: 'spend of one agent per day at the last hour’s rate, USD' },
      expr: (t) => `sum by (api_key_alias) (rate(litellm_spend_metric_total{api_key_alias!=""}[1h])) * 86400 > ${t}`,
      for: '30m',
      severity: 'warning',
      summary: 'Agent {{ $labels.api_key_alias }} spends fast',
      description: 'At the last hour’s rate the agent would spend more per day than the threshold.',
      runbook: 'Check the agent’s calls and tokens on the agent dashboard; a retry loop or a larger model are the usual causes.',
      tests: (t) => ({
        firing: { series: [{ series: 'litellm_spend_metric_total{api_key_alias="laoke",model="gpt-4-turbo"}', values: growing((t / 1440) * 2) }], labels: { api_key_alias: 'laoke' } },
        quiet: { series: [{ series: 'litellm_spend_metric_total{api_key_alias="laoke",model="gpt-4-turbo"}', values: growing((t / 1440) * 0.5) }] },
      }),
    },
    {
      name: 'AgentBudgetRemainingLow',
      threshold: { value: 0.1, meaning: 'share (0-1) of an agent key’s budget left', max: 1 },
      expr: (t) => `min by (api_key_alias) (litellm_remaining_api_key_budget_metric{api_key_alias!=""} / (litellm_api_key_max_budget_metric{api_key_alias!=""} > 0)) < ${t}`,
      for: '15m',
      severity: 'warning',
      summary: 'Agent {{ $labels.api_key_alias }} has little budget left',
      description: 'When the key’s budget reaches zero the gateway refuses the agent’s calls.',
      runbook: 'Raise the key budget (LiteLLM /key/update) or wait for its budget_duration reset.',
      tests: (t) => {
        const budget = (left: number) => [
          { series: 'litellm_api_key_max_budget_metric{hashed_api_key="k2",api_key_alias="xiaoai"}', values: steady(200) },
          { series: 'litellm_remaining_api_key_budget_metric{hashed_api_key="k2",api_key_alias="xiaoai"}', values: steady(left) },
        ];
        return { firing: { series: budget(200 * t * 0.5), labels: { api_key_alias: 'xiaoai' } }, quiet: { series: budget(Math.min(200, 200 * t * 2)) } };
      },
    },
  ],
  dashboards: [
    {
      uid: 'agent-collaboration',
      title: 'Agent collaboration',
      description: 'The agents xiaoai (小艾), xiaoke (小克), laoke (老克), soer (索儿): model usage per agent (from the gateway) and workflows (runs, completion, duration, handoffs).',
      tags: ['agents', 'llm'],
      rows: [
        {
          title: 'Workflows',
          panels: [
            stat('Completion rate (1h)', 'Share of finished runs that completed, last hour.', 'sum(rate(suoke_workflow_runs_total{status="completed"}[1h])) / sum(rate(suoke_workflow_runs_total[1h]))', { unit: 'percentunit' }),
            stat('Runs in progress', 'Started, not finished.', 'sum(suoke_workflow_in_progress)'),
            stat('Workflow p95 (1h)', 'Duration of the slowest 5% of runs.', 'histogram_quantile(0.95, sum by (le) (rate(suoke_workflow_duration_seconds_bucket[1h])))', { unit: 's' }),
            stat('Handoffs/min', 'Results passed between agents.', 'sum(rate(suoke_agent_handoffs_total[5m])) * 60'),
            timeseries('Runs by status', 'Finished runs per minute by workflow and status.', [q('sum by (workflow, status) (rate(suoke_workflow_runs_total[$__rate_interval])) * 60', '{{ workflow }} {{ status }}')], { stacked: true, width: 12 }),
            timeseries('Workflow duration', 'p50 and p95 by workflow.', [q('histogram_quantile(0.5, sum by (workflow, le) (rate(suoke_workflow_duration_seconds_bucket[$__rate_interval])))', 'p50 {{ workflow }}'), q('histogram_quantile(0.95, sum by (workflow, le) (rate(suoke_workflow_duration_seconds_bucket[$__rate_interval])))', 'p95 {{ workflow }}')], { unit: 's', width: 12 }),
            timeseries('Handoffs between agents', 'Handoffs per minute, from → to.', [q('sum by (from_agent, to_agent) (rate(suoke_agent_handoffs_total[$__rate_interval])) * 60', '{{ from_agent }} → {{ to_agent }}')], { width: 24 }),
          ],
        },
        {
          title: 'Agents',
          panels: [
            timeseries('Tasks by agent', 'Tasks finished per minute, by agent and status.', [q('sum by (agent, status) (rate(suoke_agent_tasks_total[$__rate_interval])) * 60', '{{ agent }} {{ status }}')]),
            timeseries('Task duration p95', 'Per agent.', [q('histogram_quantile(0.95, sum by (agent, le) (rate(suoke_agent_task_duration_seconds_bucket[$__rate_interval])))', '{{ agent }}')], { unit: 's' }),
            timeseries('Task failure ratio', 'Failed over finished tasks, per agent.', [q('sum by (agent) (rate(suoke_agent_tasks_total{status="failed"}[$__rate_interval])) / sum by (agent) (rate(suoke_agent_tasks_total[$__rate_interval]))', '{{ agent }}')], { unit: 'percentunit' }),
          ],
        },
        {
          title: 'Model usage per agent (gateway)',
          panels: [
            timeseries('Calls', 'Gateway requests per second by agent.', [q('sum by (api_key_alias) (rate(litellm_proxy_total_requests_metric_total{api_key_alias!=""}[$__rate_interval]))', '{{ api_key_alias }}')], { unit: 'reqps' }),
            timeseries('Errors', 'Failed gateway requests per second by agent.', [q('sum by (api_key_alias) (rate(litellm_proxy_failed_requests_metric_total{api_key_alias!=""}[$__rate_interval]))', '{{ api_key_alias }}')], { unit: 'reqps' }),
            timeseries('Latency p95', 'Gateway request latency by agent.', [q('histogram_quantile(0.95, sum by (api_key_alias, le) (rate(litellm_request_total_latency_metric_bucket{api_key_alias!=""}[$__rate_interval])))', '{{ api_key_alias }}')], { unit: 's' }),
            timeseries('Tokens', 'Tokens per second by agent.', [q('sum by (api_key_alias) (rate(litellm_total_tokens_metric_total{api_key_alias!=""}[$__rate_interval]))', '{{ api_key_alias }}')]),
            timeseries('Cost', 'USD per hour by agent.', [q('sum by (api_key_alias) (rate(litellm_spend_metric_total{api_key_alias!=""}[$__rate_interval])) * 3600', '{{ api_key_alias }}')], { unit: 'currencyUSD', stacked: true }),
            timeseries('Budget left', 'Share of each agent key’s budget left.', [q('litellm_remaining_api_key_budget_metric{api_key_alias!=""} / (litellm_api_key_max_budget_metric{api_key_alias!=""} > 0)', '{{ api_key_alias }}')], { unit: 'percentunit' }),
          ],
        },
      ],
    },
  ],
};
