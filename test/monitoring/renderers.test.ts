import { durationMinutes, evaluationMinute, expandAnnotation, longestRangeMinutes } from '../../lib/monitoring/alert-rules';
import { annotatedPodsJob, podLabelMeta, podScrapeJob } from '../../lib/monitoring/prometheus-config';
import { retentionSize } from '../../lib/monitoring/prometheus';
import { offlinePrometheusConfig } from '../support/external-tools';

test('annotations expand {{ $labels.x }} and refuse anything a unit test could not predict', () => {
  expect(expandAnnotation('Redis {{ $labels.pod }} ({{$labels.job}})', { pod: 'redis-0', job: 'redis' })).toBe('Redis redis-0 (redis)');
  expect(() => expandAnnotation('value {{ $value }}', {})).toThrow(/not \{\{ \$labels/);
});

test('unit tests are evaluated after the longest range has filled and `for` has passed', () => {
  expect(durationMinutes('1h30m')).toBe(90);
  expect(longestRangeMinutes('rate(a[5m]) / rate(b[1h]) + max_over_time(c[10m:1m])')).toBe(60);
  const alert = { expr: 'sum(rate(x[1h])) > 1', for: '30m' } as Parameters<typeof evaluationMinute>[0];
  expect(evaluationMinute(alert)).toBe(60 + 30 + 15);
});

test('a pod scrape job keeps pods by all their labels and by the named port', () => {
  const job = podScrapeJob('ns', {
    job: 'redis',
    podLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'i' },
    portName: 'metrics',
  }) as { relabel_configs: Record<string, unknown>[] };
  expect(job.relabel_configs.slice(0, 2)).toEqual([
    {
      source_labels: [podLabelMeta('app.kubernetes.io/instance'), podLabelMeta('app.kubernetes.io/name')],
      regex: 'i;redis',
      action: 'keep',
    },
    { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'metrics', action: 'keep' },
  ]);
  expect(() => podScrapeJob('ns', { job: 'x', podLabels: {} })).toThrow(/portName or read the port from annotations/);
});

test('the catch-all job skips pods a dedicated job scrapes', () => {
  const job = annotatedPodsJob('ns', [{ job: 'agents', podLabels: { 'suoke.life/agent-client': 'true' }, annotations: true }]) as {
    relabel_configs: Record<string, unknown>[];
  };
  expect(job.relabel_configs[0]).toEqual({
    source_labels: ['__meta_kubernetes_pod_label_suoke_life_agent_client'],
    regex: 'true',
    action: 'drop',
  });
});

test('retention by size leaves 15% of the volume free', () => {
  expect(retentionSize('20Gi')).toBe('17408MB');
});

test('the offline copy swaps Kubernetes discovery for static targets and points rule files at local copies', () => {
  const text =
    'rule_files: [/etc/prometheus/rules/a.rules.yml]\nscrape_configs:\n  - job_name: x\n    kubernetes_sd_configs: [{role: pod}]\n';
  expect(offlinePrometheusConfig(text, '/tmp/r')).toBe(
    'rule_files:\n  - /tmp/r/a.rules.yml\nscrape_configs:\n  - job_name: x\n    static_configs:\n      - targets:\n          - placeholder:9090\n',
  );
});
