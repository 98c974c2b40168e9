import * as yaml from 'js-yaml';
import { secondsOf } from '../../../lib/config/fields';

/**
 * What differs between the cluster and this machine, and nothing else: where files live, which
 * loopback port each program listens on, which Service names resolve here, and which pods
 * Kubernetes service discovery would find.
 */
export interface OneMachine {
  /** The local path of a path inside a container (paths outside its mounts come back unchanged). */
  readonly localPath: (containerPath: string) => string;
  /** `<service>:<port>` (e.g. `alertmanager-service:9093`) to the local `127.0.0.1:<port>` that serves it. */
  readonly services: ReadonlyMap<string, string>;
  /** Container ports of this program's own pod (`localhost:<port>` in the pod) mapped to local ports. */
  readonly ownPorts: ReadonlyMap<number, number>;
  /** The pods running on this machine, as Kubernetes service discovery would list them. */
  readonly pods: readonly DiscoveredPod[];
  /** The Kubernetes namespace the pods belong to. */
  readonly namespace: string;
  /**
   * A loopback address where nothing listens, for endpoints outside the cluster the harness does
   * not stand in for (SMTP relays), so nothing ever leaves the machine.
   */
  readonly nowhere: string;
  /** Reads a file the harness laid out (for the version shim below). */
  readonly readLocalFile: (localPath: string) => string;
}

/** A pod the harness runs, as the kubelet and the API server would describe it. */
export interface DiscoveredPod {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly {
    readonly name: string;
    readonly image: string;
    /** Its ports; `localPort` is where the harness runs it (ports of programs not run here have none). */
    readonly ports: readonly { readonly name?: string; readonly containerPort: number; readonly localPort?: number }[];
  }[];
}

/** The kinds of text the harness hands to a program. */
export type RenderedText =
  | { readonly kind: 'redis.conf'; readonly text: string }
  | { readonly kind: 'prometheus.yml'; readonly text: string }
  | { readonly kind: 'alertmanager.yml'; readonly text: string }
  | { readonly kind: 'script'; readonly text: string }
  | {
      readonly kind: 'container';
      readonly image: string;
      readonly argv: readonly string[];
      readonly env: Readonly<Record<string, string>>;
    };

/** How long the harness waits between two scrapes, two rule evaluations and two alert groups. */
export const LOCAL_TICK = '1s';

/**
 * The one place where a rendered config is changed to run on one machine. It rewrites only:
 *
 * - **paths**: files and directories inside a container become the harness's directories
 *   (`dir`, `aclfile`, `rule_files`, `*_file`, `--config.file`, `--storage.*.path`);
 * - **ports and addresses**: listeners bind 127.0.0.1 on a port chosen at run time (`port`, `bind`,
 *   `--web.listen-address`, `*_LISTEN_ADDRESS`, and the image's default listener when the rendered
 *   command leaves it implicit), and `localhost:<container port>` becomes that port;
 * - **hostnames**: `<service>:<port>` (also as `--host=<service> --port=<port>` in scripts, and
 *   `PGHOST`/`PGPORT` in the environment) becomes the `127.0.0.1:<port>` running that Service;
 * - **service discovery**: every `kubernetes_sd_configs` block (Debian's Prometheus has none)
 *   becomes `static_configs` listing the pods this machine runs, each with the `__meta_kubernetes_*`
 *   labels Kubernetes discovery would attach, so the job's relabelling runs unchanged and decides
 *   what is scraped exactly as in the cluster;
 * - **clustering**: Alertmanager runs one replica, so its gossip listener and peers are dropped;
 * - **outside endpoints**: an SMTP `smarthost` outside the cluster becomes a loopback address where
 *   nothing listens (webhook and Slack URLs already point at the harness's sink through their
 *   Secret files);
 * - **timing**: the scrape and evaluation intervals (a job's own `scrape_timeout` is dropped to
 *   fit) and Alertmanager's group waits become {@link LOCAL_TICK}, so a `for: 1m` alert reaches its receiver in about a minute instead of
 *   several (a longer `group_wait` is shortened, a shorter one kept). Rule `for` durations are
 *   not touched;
 * - **one version shim**: Debian's Alertmanager 0.25 predates the webhook `url_file` setting the
 *   image (0.33) reads, so the URL the harness wrote into that Secret file is passed as `url`.
 *
 * Everything else (rules, routes, receivers, inhibition, limits, ACLs, relabelling) is passed on
 * as rendered.
 */
export function forOneMachine(rendered: RenderedText, machine: OneMachine): RenderedText {
  switch (rendered.kind) {
    case 'redis.conf':
      return { kind: rendered.kind, text: redisConf(rendered.text, machine) };
    case 'prometheus.yml':
      return { kind: rendered.kind, text: prometheusYml(rendered.text, machine) };
    case 'alertmanager.yml':
      return { kind: rendered.kind, text: alertmanagerYml(rendered.text, machine) };
    case 'script':
      return { kind: rendered.kind, text: addresses(rendered.text, machine) };
    case 'container': {
      const out = {
        kind: rendered.kind,
        image: rendered.image,
        argv: argv(rendered.argv, machine),
        env: environment(rendered.env, machine),
      };
      listenOnLoopback(out, machine);
      return out;
    }
  }
}

/** `<service>:<port>` and `localhost:<own port>` (also inside URLs) to their local addresses. */
function addresses(text: string, machine: OneMachine): string {
  let out = text;
  for (const [service, local] of machine.services) {
    const [name, port] = service.split(':');
    const pattern = new RegExp(`\\b${escapeRegExp(name)}(?:\\.[a-z0-9-]+(?:\\.svc(?:\\.cluster\\.local)?)?)?:${port}\\b`, 'g');
    out = out.replace(pattern, local);
  }
  out = out.replace(
    /--host([= ])([a-z0-9.-]+)(\s+)--port([= ])([0-9]{2,5})\b/g,
    (whole, e1: string, host: string, gap: string, e2: string, port: string) => {
      const local = serviceAddress(host, port, machine);
      return local ? `--host${e1}127.0.0.1${gap}--port${e2}${local.split(':')[1]}` : whole;
    },
  );
  return out.replace(
    /(^|[\s="'/@])(localhost|127\.0\.0\.1|0\.0\.0\.0)?:([0-9]{2,5})\b/g,
    (whole, before: string, host: string | undefined, port: string) => {
      const local = machine.ownPorts.get(Number(port));
      return local === undefined ? whole : `${before}${host === undefined ? '' : '127.0.0.1'}:${local}`;
    },
  );
}

/** The local address of `<host>:<port>` when `host` names a Service (short or qualified) served here. */
function serviceAddress(host: string, port: string, machine: OneMachine): string | undefined {
  return machine.services.get(`${host.split('.')[0]}:${port}`);
}

/** Environment values: paths, addresses, and a `PGHOST`/`PGPORT` pair naming a Service. */
function environment(env: Readonly<Record<string, string>>, machine: OneMachine): Record<string, string> {
  const out = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [
      k,
      k.endsWith('LISTEN_ADDRESS') ? listenAddress(v, machine) : v.startsWith('/') ? machine.localPath(v) : addresses(v, machine),
    ]),
  );
  const local = env.PGHOST ? serviceAddress(env.PGHOST, env.PGPORT ?? '5432', machine) : undefined;
  if (local) [out.PGHOST, out.PGPORT] = local.split(':');
  return out;
}

function redisConf(text: string, machine: OneMachine): string {
  return text
    .split('\n')
    .map((line) => {
      const [directive, ...rest] = line.trim().split(/\s+/);
      const value = rest.join(' ');
      switch (directive) {
        case 'bind':
          return 'bind 127.0.0.1';
        case 'port': {
          const local = machine.ownPorts.get(Number(value));
          if (local === undefined) throw new Error(`redis.conf listens on ${value}, which the harness gave no local port`);
          return `port ${local}`;
        }
        case 'dir':
        case 'aclfile':
        case 'include':
        case 'pidfile':
        case 'logfile':
        case 'unixsocket':
          return value === '""' || value === '' ? line : `${directive} ${machine.localPath(value)}`;
        default:
          return line;
      }
    })
    .join('\n');
}

const PATH_FLAGS =
  /^(--?(?:config\.file|storage\.tsdb\.path|storage\.path|web\.config\.file|web\.console\.templates|web\.console\.libraries|data\.retention-file|rules\.file|config-file|watched-dir)[= ])(.*)$/;

function argv(args: readonly string[], machine: OneMachine): string[] {
  const out: string[] = [];
  for (const arg of args) {
    const path = PATH_FLAGS.exec(arg);
    if (path) out.push(`${path[1]}${machine.localPath(path[2])}`);
    else if (/^--web\.listen-address=/.test(arg)) out.push(`--web.listen-address=${listenAddress(arg.split('=')[1], machine)}`);
    else if (/^--cluster\.(listen-address|advertise-address)=/.test(arg)) out.push(`${arg.split('=')[0]}=`);
    else if (/^--cluster\.peer=/.test(arg)) continue;
    else if (arg.startsWith('/')) out.push(machine.localPath(arg));
    else out.push(addresses(arg, machine));
  }
  return out;
}

/** The image's repository name: `quay.io/prometheus/prometheus:v3.1.0` gives `prometheus`. */
export function imageName(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const repository = colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
  return repository.slice(repository.lastIndexOf('/') + 1);
}

/**
 * Listeners the image opens by default when the rendered command does not name them (each on all
 * interfaces in the pod): on this machine they bind 127.0.0.1 on the run's port. Only when the
 * container runs the image's server, not a script in the same image (the backup job).
 */
function listenOnLoopback(out: { image: string; argv: string[]; env: Record<string, string> }, machine: OneMachine): void {
  const { argv: args, env } = out;
  const runsServer = (...names: string[]) => args.length === 0 || args[0].startsWith('-') || names.includes(args[0]);
  const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`) || a === `-${flag.replace(/^--/, '')}`);
  const local = (port: number) => {
    const mapped = machine.ownPorts.get(port);
    if (mapped === undefined) throw new Error(`${out.image} listens on ${port} by default, which the harness gave no local port`);
    return `127.0.0.1:${mapped}`;
  };
  switch (imageName(out.image)) {
    case 'prometheus':
      if (runsServer('prometheus', '/bin/prometheus') && !has('--web.listen-address')) args.push(`--web.listen-address=${local(9090)}`);
      break;
    case 'alertmanager':
      if (runsServer('alertmanager', '/bin/alertmanager')) {
        if (!has('--web.listen-address')) args.push(`--web.listen-address=${local(9093)}`);
        if (!has('--cluster.listen-address')) args.push('--cluster.listen-address=');
      }
      break;
    case 'redis_exporter':
      if (!has('--web.listen-address') && !env.REDIS_EXPORTER_WEB_LISTEN_ADDRESS) env.REDIS_EXPORTER_WEB_LISTEN_ADDRESS = local(9121);
      break;
    case 'postgres-exporter':
    case 'postgres_exporter':
      if (!has('--web.listen-address') && !env.PG_EXPORTER_WEB_LISTEN_ADDRESS) env.PG_EXPORTER_WEB_LISTEN_ADDRESS = local(9187);
      break;
    case 'postgres':
      // The image's server listens on every interface, port 5432, socket in /var/run/postgresql.
      if (runsServer('postgres'))
        args.push('-c', 'listen_addresses=127.0.0.1', '-p', local(5432).split(':')[1], '-k', machine.localPath('/var/run/postgresql'));
      break;
    default:
  }
}

/** `:9090` or `0.0.0.0:9090` to `127.0.0.1:<local port>`. */
export function listenAddress(address: string, machine: OneMachine): string {
  const port = Number(address.split(':').pop());
  const local = machine.ownPorts.get(port);
  if (local === undefined) throw new Error(`listen address ${address}: the harness gave port ${port} no local port`);
  return `127.0.0.1:${local}`;
}

type Yaml = Record<string, any>;

function prometheusYml(text: string, machine: OneMachine): string {
  const config = yaml.load(text) as Yaml;
  config.global = { ...config.global, scrape_interval: LOCAL_TICK, evaluation_interval: LOCAL_TICK };
  config.rule_files = (config.rule_files ?? []).map((f: string) => machine.localPath(f));
  const fixTargets = (job: Yaml): Yaml => {
    const out: Yaml = { ...job };
    if (out.scrape_interval) out.scrape_interval = LOCAL_TICK;
    if (out.scrape_timeout) delete out.scrape_timeout;
    for (const key of ['bearer_token_file', 'password_file', 'credentials_file', 'ca_file', 'cert_file', 'key_file']) {
      for (const holder of [out, out.tls_config, out.authorization, out.basic_auth])
        if (holder?.[key]) holder[key] = machine.localPath(holder[key]);
    }
    const staticTargets = (out.static_configs ?? []).map((s: Yaml) => ({
      ...s,
      targets: (s.targets ?? []).map((t: string) => addresses(t, machine)),
    }));
    const discovered = (out.kubernetes_sd_configs ?? []).flatMap((sd: Yaml) => discover(sd, machine));
    delete out.kubernetes_sd_configs;
    const groups = [...staticTargets, ...discovered];
    if (groups.length > 0 || job.static_configs || job.kubernetes_sd_configs) out.static_configs = groups;
    return out;
  };
  config.scrape_configs = (config.scrape_configs ?? []).map(fixTargets);
  if (config.alerting?.alertmanagers) config.alerting.alertmanagers = config.alerting.alertmanagers.map(fixTargets);
  return yaml.dump(config, { lineWidth: -1, noRefs: true });
}

/**
 * The target groups Kubernetes discovery of `role: pod` would produce for the pods run here: one
 * target per container port, addressed at the program's loopback port, with the meta labels
 * Prometheus documents for that role. Other roles are not used by the platform.
 */
function discover(sd: Yaml, machine: OneMachine): Yaml[] {
  if (sd.role !== 'pod') throw new Error(`kubernetes_sd_configs role "${sd.role}": the harness only stands in for role "pod"`);
  const groups: Yaml[] = [];
  for (const pod of machine.pods) {
    const podLabels: Record<string, string> = {
      __meta_kubernetes_namespace: machine.namespace,
      __meta_kubernetes_pod_name: pod.name,
      __meta_kubernetes_pod_ip: '127.0.0.1',
      __meta_kubernetes_pod_host_ip: '127.0.0.1',
      __meta_kubernetes_pod_node_name: 'localhost',
      __meta_kubernetes_pod_ready: 'true',
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_uid: pod.name,
    };
    for (const [k, v] of Object.entries(pod.labels)) {
      podLabels[`__meta_kubernetes_pod_label_${sanitize(k)}`] = v;
      podLabels[`__meta_kubernetes_pod_labelpresent_${sanitize(k)}`] = 'true';
    }
    for (const [k, v] of Object.entries(pod.annotations)) {
      podLabels[`__meta_kubernetes_pod_annotation_${sanitize(k)}`] = annotationValue(k, v, pod);
      podLabels[`__meta_kubernetes_pod_annotationpresent_${sanitize(k)}`] = 'true';
    }
    for (const container of pod.containers) {
      for (const port of container.ports) {
        if (port.localPort === undefined) continue;
        groups.push({
          targets: [`127.0.0.1:${port.localPort}`],
          labels: {
            ...podLabels,
            __meta_kubernetes_pod_container_name: container.name,
            __meta_kubernetes_pod_container_image: container.image,
            __meta_kubernetes_pod_container_init: 'false',
            __meta_kubernetes_pod_container_port_name: port.name ?? '',
            __meta_kubernetes_pod_container_port_number: String(port.localPort),
            __meta_kubernetes_pod_container_port_protocol: 'TCP',
          },
        });
      }
    }
  }
  return groups;
}

/** A `prometheus.io/port` annotation names a container port: give its local port instead. */
function annotationValue(key: string, value: string, pod: DiscoveredPod): string {
  if (key !== 'prometheus.io/port') return value;
  const port = pod.containers.flatMap((c) => c.ports).find((p) => String(p.containerPort) === value);
  return port?.localPort !== undefined ? String(port.localPort) : value;
}

function alertmanagerYml(text: string, machine: OneMachine): string {
  const config = yaml.load(text) as Yaml;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Yaml = {};
    for (const [k, v] of Object.entries(node as Yaml)) {
      if (k === 'url_file' && typeof v === 'string') out.url = machine.readLocalFile(machine.localPath(v)).trim();
      else if (typeof v === 'string' && /_file$/.test(k)) out[k] = machine.localPath(v);
      else if ((k === 'group_wait' || k === 'group_interval') && typeof v === 'string')
        out[k] = secondsOf(v) > secondsOf(LOCAL_TICK) ? LOCAL_TICK : v;
      else if (typeof v === 'string' && (k === 'smarthost' || k === 'smtp_smarthost'))
        out[k] = isServiceAddress(v, machine) ? addresses(v, machine) : machine.nowhere;
      else if (typeof v === 'string' && (k === 'url' || k === 'api_url')) out[k] = addresses(v, machine);
      else out[k] = walk(v);
    }
    return out;
  };
  const localized = walk(config) as Yaml;
  localized.templates = (config.templates ?? []).map((t: string) => machine.localPath(t));
  if (!config.templates) delete localized.templates;
  return yaml.dump(localized, { lineWidth: -1, noRefs: true });
}

/** True when `host:port` names a Service served on this machine. */
function isServiceAddress(address: string, machine: OneMachine): boolean {
  const [host, port] = address.split(':');
  return serviceAddress(host, port ?? '', machine) !== undefined;
}

/** Prometheus's label-name sanitizing of Kubernetes label and annotation keys. */
function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
