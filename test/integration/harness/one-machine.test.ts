import * as yaml from 'js-yaml';
import { forOneMachine, LOCAL_TICK, OneMachine } from './one-machine';

// The one-machine rewrite is the only place a rendered config changes before the integration
// harness runs it; these tests pin down that it changes paths, ports, hosts, discovery, clustering
// and timing, and nothing else. They run with `npm test` (no external programs).

const MACHINE: OneMachine = {
  localPath: (p) =>
    p.startsWith('/etc/') || p.startsWith('/data') || p.startsWith('/run/') || p.startsWith('/backups') ? `/tmp/run${p}` : p,
  services: new Map([
    ['postgres-service:5432', '127.0.0.1:40001'],
    ['alertmanager-service:9093', '127.0.0.1:40002'],
  ]),
  ownPorts: new Map([
    [6379, 41001],
    [9121, 41002],
  ]),
  pods: [
    {
      name: 'redis-local',
      labels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'suoke-life-dev' },
      annotations: { 'prometheus.io/port': '9121', 'prometheus.io/scrape': 'true' },
      containers: [
        { name: 'redis', image: 'docker.io/redis:7.2.11', ports: [{ name: 'redis', containerPort: 6379, localPort: 41001 }] },
        {
          name: 'exporter',
          image: 'docker.io/oliver006/redis_exporter:v1.88.0',
          ports: [{ name: 'metrics', containerPort: 9121, localPort: 41002 }],
        },
        { name: 'sidecar', image: 'example/not-run:1', ports: [{ name: 'other', containerPort: 8080 }] },
      ],
    },
  ],
  namespace: 'suoke-life-dev',
  nowhere: '127.0.0.1:1',
  readLocalFile: (p) => `http://127.0.0.1:45000/from${p}\n`,
};

function text(rendered: ReturnType<typeof forOneMachine>): string {
  if (!('text' in rendered)) throw new Error('expected text');
  return rendered.text;
}

describe('forOneMachine', () => {
  test('redis.conf: only bind, port and paths change', () => {
    const conf = [
      'bind 0.0.0.0',
      'port 6379',
      'aclfile /run/redis-acl/users.acl',
      'maxmemory 402653184',
      'maxmemory-policy allkeys-lru',
      'save ""',
      'dir /data',
    ].join('\n');
    const out = text(forOneMachine({ kind: 'redis.conf', text: conf }, MACHINE)).split('\n');
    expect(out).toEqual([
      'bind 127.0.0.1',
      'port 41001',
      'aclfile /tmp/run/run/redis-acl/users.acl',
      'maxmemory 402653184',
      'maxmemory-policy allkeys-lru',
      'save ""',
      'dir /tmp/run/data',
    ]);
  });

  test('redis.conf: a port the harness did not map is an error, not a silent default', () => {
    expect(() => forOneMachine({ kind: 'redis.conf', text: 'port 7000' }, MACHINE)).toThrow(/7000/);
  });

  const prometheusYml = yaml.dump({
    global: { scrape_interval: '30s', evaluation_interval: '30s', external_labels: { environment: 'dev' } },
    rule_files: ['/etc/prometheus/rules/cache.rules.yml'],
    alerting: {
      alertmanagers: [
        {
          api_version: 'v2',
          kubernetes_sd_configs: [{ role: 'pod' }],
          relabel_configs: [{ source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: 'http', action: 'keep' }],
        },
      ],
    },
    scrape_configs: [
      {
        job_name: 'redis',
        kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['suoke-life-dev'] } }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: 'redis', action: 'keep' },
          {
            source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
            regex: '(\\d+);(.*)',
            replacement: '$2:$1',
            target_label: '__address__',
          },
        ],
      },
      { job_name: 'self', static_configs: [{ targets: ['alertmanager-service:9093'] }] },
    ],
  });

  test('prometheus.yml: discovery becomes static targets with the meta labels; relabelling and rules are untouched', () => {
    const original = yaml.load(prometheusYml) as any;
    const out = yaml.load(text(forOneMachine({ kind: 'prometheus.yml', text: prometheusYml }, MACHINE))) as any;
    expect(out.global).toEqual({ ...original.global, scrape_interval: LOCAL_TICK, evaluation_interval: LOCAL_TICK });
    expect(out.rule_files).toEqual(['/tmp/run/etc/prometheus/rules/cache.rules.yml']);
    const job = out.scrape_configs[0];
    expect(job.relabel_configs).toEqual(original.scrape_configs[0].relabel_configs);
    expect(job.kubernetes_sd_configs).toBeUndefined();
    // One target per container port that runs here; the sidecar that does not run is left out.
    expect(job.static_configs.map((g: any) => g.targets[0])).toEqual(['127.0.0.1:41001', '127.0.0.1:41002']);
    expect(job.static_configs[1].labels).toMatchObject({
      __meta_kubernetes_namespace: 'suoke-life-dev',
      __meta_kubernetes_pod_name: 'redis-local',
      __meta_kubernetes_pod_ip: '127.0.0.1',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'redis',
      __meta_kubernetes_pod_container_port_name: 'metrics',
      // The annotation names the container port; the harness runs it on another port.
      __meta_kubernetes_pod_annotation_prometheus_io_port: '41002',
    });
    expect(out.scrape_configs[1].static_configs).toEqual([{ targets: ['127.0.0.1:40002'] }]);
    expect(out.alerting.alertmanagers[0].relabel_configs).toEqual(original.alerting.alertmanagers[0].relabel_configs);
  });

  test('prometheus.yml: a discovery role the harness cannot stand in for is an error', () => {
    const endpoints = yaml.dump({ scrape_configs: [{ job_name: 'x', kubernetes_sd_configs: [{ role: 'endpointslice' }] }] });
    expect(() => forOneMachine({ kind: 'prometheus.yml', text: endpoints }, MACHINE)).toThrow(/endpointslice/);
  });

  test('alertmanager.yml: routes, receivers and inhibition stay; files, waits and outside hosts change', () => {
    const config = {
      route: {
        receiver: 'team',
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [{ matchers: ['alertname="Watchdog"'], receiver: 'blackhole', group_wait: '0s' }],
      },
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
      receivers: [
        { name: 'oncall', webhook_configs: [{ url_file: '/etc/am/secrets/url', send_resolved: true }] },
        { name: 'team', slack_configs: [{ api_url_file: '/etc/am/secrets/slack', channel: '#alerts' }] },
        {
          name: 'mail',
          email_configs: [{ to: 'ops@example.org', smarthost: 'smtp.example.org:587', auth_password_file: '/etc/am/secrets/smtp' }],
        },
        { name: 'blackhole' },
      ],
    };
    const out = yaml.load(text(forOneMachine({ kind: 'alertmanager.yml', text: yaml.dump(config) }, MACHINE))) as any;
    expect(out.inhibit_rules).toEqual(config.inhibit_rules);
    expect(out.route).toEqual({
      ...config.route,
      group_wait: LOCAL_TICK,
      group_interval: LOCAL_TICK,
      routes: [{ matchers: ['alertname="Watchdog"'], receiver: 'blackhole', group_wait: '0s' }],
    });
    expect(out.receivers).toEqual([
      { name: 'oncall', webhook_configs: [{ url: 'http://127.0.0.1:45000/from/tmp/run/etc/am/secrets/url', send_resolved: true }] },
      { name: 'team', slack_configs: [{ api_url_file: '/tmp/run/etc/am/secrets/slack', channel: '#alerts' }] },
      {
        name: 'mail',
        email_configs: [{ to: 'ops@example.org', smarthost: '127.0.0.1:1', auth_password_file: '/tmp/run/etc/am/secrets/smtp' }],
      },
      { name: 'blackhole' },
    ]);
  });

  function container(image: string, argv: string[], env: Record<string, string> = {}) {
    const out = forOneMachine({ kind: 'container', image, argv, env }, MACHINE);
    if (out.kind !== 'container') throw new Error('expected a container');
    return out;
  }

  test('container args: listen addresses, paths and clustering; other flags pass through', () => {
    const argv = [
      '--config.file=/etc/alertmanager/config/alertmanager.yml',
      '--storage.path=/data',
      '--web.listen-address=:9121',
      '--cluster.listen-address=0.0.0.0:9094',
      '--cluster.peer=alertmanager-cluster.suoke-life.svc:9094',
      '--web.enable-lifecycle',
    ];
    expect(container('quay.io/prometheus/alertmanager:v0.33.1', argv).argv).toEqual([
      '--config.file=/tmp/run/etc/alertmanager/config/alertmanager.yml',
      '--storage.path=/tmp/run/data',
      '--web.listen-address=127.0.0.1:41002',
      '--cluster.listen-address=',
      '--web.enable-lifecycle',
    ]);
  });

  test('container env: in-pod and Service addresses, PGHOST/PGPORT, listen addresses and paths', () => {
    const env = {
      REDIS_ADDR: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgresql://u:p@postgres-service:5432/db',
      PGHOST: 'postgres-service',
      PGPORT: '5432',
      BACKUP_DIR: '/backups',
      REDIS_EXPORTER_WEB_LISTEN_ADDRESS: ':9121',
      LOG_LEVEL: 'INFO',
    };
    expect(container('docker.io/postgres:17.6', ['sh', '/etc/postgres-backup/backup.sh'], env)).toEqual({
      kind: 'container',
      image: 'docker.io/postgres:17.6',
      // A script in the server's image: no server listener is added.
      argv: ['sh', '/tmp/run/etc/postgres-backup/backup.sh'],
      env: {
        REDIS_ADDR: 'redis://127.0.0.1:41001',
        DATABASE_URL: 'postgresql://u:p@127.0.0.1:40001/db',
        PGHOST: '127.0.0.1',
        PGPORT: '40001',
        BACKUP_DIR: '/tmp/run/backups',
        REDIS_EXPORTER_WEB_LISTEN_ADDRESS: '127.0.0.1:41002',
        LOG_LEVEL: 'INFO',
      },
    });
  });

  test('container: a listener the image opens by default binds loopback on the run port', () => {
    expect(container('docker.io/oliver006/redis_exporter:v1.88.0', []).env).toEqual({
      REDIS_EXPORTER_WEB_LISTEN_ADDRESS: '127.0.0.1:41002',
    });
    expect(() => container('quay.io/prometheus/prometheus:v3.14.0', ['--web.enable-lifecycle'])).toThrow(/9090/);
  });

  test('script: --host/--port pairs naming a Service', () => {
    const script = 'pg_dump --host=postgres-service --port=5432 --username=litellm --file="$partial"\npg_dump --host=elsewhere --port=5432';
    expect(text(forOneMachine({ kind: 'script', text: script }, MACHINE))).toBe(
      'pg_dump --host=127.0.0.1 --port=40001 --username=litellm --file="$partial"\npg_dump --host=elsewhere --port=5432',
    );
  });
});
