import { alertmanagerConfigSpec, operatorReceiver } from '../../lib/monitoring/alert-routing';
import type { MonitoringSettings } from '../../lib/monitoring/config';
import { annotatedPodsMonitorSpec, podMonitorJob, podMonitorSpec, relabeling } from '../../lib/monitoring/pod-monitors';
import { ANNOTATION_RULES } from '../../lib/monitoring/prometheus-config';

/** The pure renderers of operator mode, on small made-up input. */

const secretOf = (credential: string) => ({ name: 'receivers', key: credential });

describe('AlertmanagerConfig receivers', () => {
  test('an e-mail receiver reads its SMTP password from a Secret key and requires TLS', () => {
    const email = {
      to: 'ops@example.com',
      from: 'am@example.com',
      smarthost: 'smtp.example.com:587',
      authUsername: 'am',
      passwordCredential: 'smtp-password',
    };
    expect(operatorReceiver({ name: 'mail', email }, secretOf).emailConfigs).toEqual([
      {
        to: 'ops@example.com',
        from: 'am@example.com',
        smarthost: 'smtp.example.com:587',
        authUsername: 'am',
        authPassword: { name: 'receivers', key: 'smtp-password' },
        requireTls: true,
        sendResolved: true,
      },
    ]);
  });

  test('sendResolved follows the config', () => {
    const r = operatorReceiver({ name: 'hook', webhook: { urlCredential: 'hook-url', sendResolved: false } }, secretOf);
    expect(r.webhookConfigs).toEqual([{ urlSecret: { name: 'receivers', key: 'hook-url' }, sendResolved: false }]);
  });

  test('routes by component, sorted, after the watchdog and critical routes', () => {
    const alertmanager = {
      receivers: [{ name: 'a', webhook: { urlCredential: 'a-url' } }],
      routing: {
        default: 'a',
        critical: 'a',
        watchdog: 'blackhole',
        watchdogInterval: '1m',
        byComponent: { gateway: 'a', cache: 'blackhole' },
        groupWait: '30s',
        groupInterval: '5m',
        repeatInterval: '4h',
      },
    } as unknown as MonitoringSettings['alertmanager'];
    const spec = alertmanagerConfigSpec(alertmanager, secretOf);
    expect(
      spec.route!.routes!.map((r: { matchers: { name: string; value: string }[] }) => `${r.matchers[0].name}=${r.matchers[0].value}`),
    ).toEqual(['alertname=Watchdog', 'severity=critical', 'component=cache', 'component=gateway']);
    expect(spec.receivers!.map((r) => r.name)).toEqual(['a', 'blackhole']);
  });
});

describe('PodMonitors', () => {
  const target = { job: 'web', podLabels: { app: 'web' }, portName: 'metrics' };

  test('the job label is set back to the bundled job name', () => {
    expect(podMonitorJob(podMonitorSpec('ns', target))).toBe('web');
    expect(podMonitorJob(annotatedPodsMonitorSpec('ns', [target]))).toBe('annotated-pods');
  });

  test('an annotated target reads port and path from the annotations, like its bundled job', () => {
    const spec = podMonitorSpec('ns', { job: 'ann', podLabels: { app: 'x' }, annotations: true, egressPorts: ['metrics'] });
    const relabelings = spec.podMetricsEndpoints![0].relabelings!;
    expect(spec.podMetricsEndpoints![0].port).toBeUndefined();
    expect(relabelings.slice(0, ANNOTATION_RULES.length)).toEqual(ANNOTATION_RULES.map(relabeling));
  });

  test('the catch-all drops the pods of dedicated monitors', () => {
    const [first] = annotatedPodsMonitorSpec('ns', [target]).podMetricsEndpoints![0].relabelings!;
    expect(first).toEqual({ sourceLabels: ['__meta_kubernetes_pod_label_app'], regex: 'web', action: 'drop' });
  });

  test('refuses a target without a port, and a relabel action it cannot translate', () => {
    expect(() => podMonitorSpec('ns', { job: 'none', podLabels: { app: 'x' } })).toThrow('scrape target none: give a portName');
    expect(() => relabeling({ action: 'hashmod' })).toThrow('relabel action hashmod has no RelabelConfig equivalent here');
  });
});
