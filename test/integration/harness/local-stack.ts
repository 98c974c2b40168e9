import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadEnvironment } from '../../../lib/registry';
import type { EnvironmentSettings } from '../../../lib/registry';
import { freePort, isListening } from './free-port';
import { FileRewrite, LocalContainer, materializeContainer } from './local-pod';
import { DiscoveredPod, forOneMachine, imageName, OneMachine } from './one-machine';
import { DIST_DIR, Manifest, MissingRenderedConfig, podSpecOf, podTemplateOf, RenderedManifests } from './rendered-manifests';
import { CommandResult, localUser, runCommand } from './run-command';
import { flagValue } from './rendered-facts';
import type { CheckContext } from './scenario-check';
import { Supervisor } from './supervisor';
import { WebhookSink } from './webhook-sink';

/** The programs the harness runs, named after what they are. */
export type ProgramId = 'redis' | 'redis-exporter' | 'postgres' | 'postgres-exporter' | 'prometheus' | 'alertmanager';

/** Recognizes a program by the image its container runs (the repository's last path segment). */
const IMAGES: Record<ProgramId, RegExp> = {
  redis: /^(redis|valkey)$/,
  'redis-exporter': /^redis_exporter$/,
  postgres: /^postgres(ql)?$/,
  'postgres-exporter': /^postgres[-_]exporter$/,
  prometheus: /^prometheus$/,
  alertmanager: /^alertmanager$/,
};

/** The Debian program that stands in for each image, and the image's own entrypoint names. */
const DEBIAN: Record<ProgramId, { binary: string; entrypoints: readonly string[] }> = {
  redis: { binary: '/usr/bin/redis-server', entrypoints: ['redis-server', 'docker-entrypoint.sh'] },
  'redis-exporter': { binary: '/usr/bin/prometheus-redis-exporter', entrypoints: ['/redis_exporter', 'redis_exporter'] },
  postgres: { binary: 'postgres', entrypoints: ['postgres', 'docker-entrypoint.sh'] },
  'postgres-exporter': { binary: '/usr/bin/prometheus-postgres-exporter', entrypoints: ['/bin/postgres_exporter', 'postgres_exporter'] },
  prometheus: { binary: '/usr/bin/prometheus', entrypoints: ['/bin/prometheus', 'prometheus'] },
  alertmanager: { binary: '/usr/bin/prometheus-alertmanager', entrypoints: ['/bin/alertmanager', 'alertmanager'] },
};

/** What each program needs running first. */
const DEPENDS_ON: Record<ProgramId, readonly ProgramId[]> = {
  redis: [],
  'redis-exporter': ['redis'],
  postgres: [],
  'postgres-exporter': ['postgres'],
  prometheus: [],
  alertmanager: [],
};

/** Where a program runs in the rendered manifests. */
interface Site {
  readonly workload: Manifest;
  readonly container: any;
  readonly podName: string;
}

/** A generated password: URL-safe, no whitespace, fresh for every run. */
function generatedPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * One environment's platform on this machine: the programs its manifests run, started on demand
 * from the rendered files in `dist/<env>/`, on loopback ports chosen at run time, with credentials
 * generated for this run. `close()` stops everything it started.
 */
export class LocalStack {
  public readonly manifests: RenderedManifests;
  public readonly settings: EnvironmentSettings;
  public readonly supervisor: Supervisor;
  public readonly sink = new WebhookSink();
  /** Secret values of this run, keyed `<secret>/<key>`. */
  public readonly secrets = new Map<string, string>();
  /** Where each Service port is served locally, `<service>:<port>` to `127.0.0.1:<port>`. */
  public readonly services = new Map<string, string>();
  private readonly root: string;
  private readonly sites = new Map<ProgramId, Site>();
  private readonly localPorts = new Map<string, number>();
  private readonly containers = new Map<ProgramId, LocalContainer>();
  private readonly starting = new Map<ProgramId, Promise<void>>();
  private initialized?: Promise<void>;
  private postgresAdmin?: { user: string; socketDir: string; port: number };
  /** Loopback port of the stand-in for an external database (0 when the database is in the cluster). */
  private managedDatabasePort = 0;
  /** A free port nobody listens on (see OneMachine.nowhere). */
  private nowherePort = 0;

  /**
   * @param environment the environment to run, e.g. `dev`
   * @param distDir where the rendered environments are
   */
  constructor(
    public readonly environment: string,
    distDir = DIST_DIR,
  ) {
    this.manifests = new RenderedManifests(environment, distDir);
    this.settings = loadEnvironment(path.join(__dirname, '..', '..', '..', 'config'), environment).settings;
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `suoke-it-${environment}-`));
    fs.chmodSync(this.root, 0o755);
    this.supervisor = new Supervisor(this.root);
    for (const [id, pattern] of Object.entries(IMAGES) as [ProgramId, RegExp][]) {
      const found: Site[] = [];
      for (const workload of this.manifests.workloads().filter((w) => w.kind !== 'CronJob' && w.kind !== 'Job')) {
        for (const container of podSpecOf(workload).containers) {
          if (pattern.test(imageName(container.image))) found.push({ workload, container, podName: podNameOf(workload) });
        }
      }
      if (found.length > 1) throw new Error(`dist/${environment}/: ${found.length} containers run ${id}; the harness expects one`);
      if (found.length === 1) this.sites.set(id, found[0]);
    }
  }

  /** Failure context for a scenario's checks. */
  public context(scenario: string): CheckContext {
    return { scenario: `${this.environment} · ${scenario}`, supervisor: this.supervisor };
  }

  /** True when the environment's manifests run this program. */
  public renders(id: ProgramId): boolean {
    return this.sites.has(id);
  }

  /** The rendered workload and container of a program; throws naming what is missing. */
  public site(id: ProgramId): Site {
    const site = this.sites.get(id);
    if (!site) {
      const images = this.manifests
        .workloads()
        .flatMap((w) => podSpecOf(w).containers.map((c: any) => `${w.metadata.name}:${imageName(c.image)}`));
      throw new MissingRenderedConfig(
        this.environment,
        `a container running ${id} (image matching ${IMAGES[id]})`,
        images.length ? `only ${images.join(', ')}` : 'no workloads',
      );
    }
    return site;
  }

  /** Starts the programs (and what they depend on) unless already running; independent ones in parallel. */
  public async need(...ids: ProgramId[]): Promise<void> {
    await this.init();
    await Promise.all(ids.map((id) => this.needOne(id)));
  }

  private needOne(id: ProgramId): Promise<void> {
    let started = this.starting.get(id);
    if (!started) {
      // A failed start stays failed: every scenario that needs the program reports the same error.
      started = Promise.all(this.dependencies(id).map((d) => this.needOne(d))).then(() => this.startProgram(id));
      this.starting.set(id, started);
    }
    return started;
  }

  /** What a program needs running first: an exporter of an external database needs that database's stand-in, not `postgres`. */
  private dependencies(id: ProgramId): readonly ProgramId[] {
    if (id === 'postgres-exporter' && !this.sites.has('postgres')) return [];
    return DEPENDS_ON[id];
  }

  /** True when the environment's database is external (a managed service the harness stands in for). */
  public get externalDatabase(): { host: string; port: number; database: string } | undefined {
    const db = this.settings.database;
    return db.mode === 'external' ? { host: db.external.host, port: db.external.port, database: db.external.database } : undefined;
  }

  /** Stops one program (to make something fail on purpose). */
  public async stop(id: ProgramId): Promise<void> {
    await this.supervisor.stop(id);
  }

  /** Stops every program and the webhook sink, and removes the run's files. */
  public async close(): Promise<void> {
    await this.supervisor.stopAll();
    await this.sink.stop();
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** The loopback port a program's container port is served on. */
  public port(id: ProgramId, containerPort?: number): number {
    const site = this.site(id);
    const port = containerPort ?? site.container.ports?.[0]?.containerPort;
    const local = this.localPorts.get(`${site.podName}:${port}`);
    if (local === undefined) throw new Error(`${id} has no container port ${port}`);
    return local;
  }

  /** The container as laid out on this machine (after `need`). */
  public container(id: ProgramId): LocalContainer {
    const local = this.containers.get(id);
    if (!local) throw new Error(`${id} has not been started`);
    return local;
  }

  /** The local value of a credential (by id in `security.credentials`). */
  public credential(id: string): string {
    const ref = this.settings.security.credentials[id];
    if (!ref) throw new Error(`no credential ${id} in security.credentials`);
    const value = this.secrets.get(`${ref.secretName}/${ref.key}`);
    if (value === undefined) throw new Error(`credential ${id} is not used by any rendered workload`);
    return value;
  }

  /** GET or POST on a program's HTTP port; returns status and text. */
  public async http(id: ProgramId, pathAndQuery: string, init?: RequestInit): Promise<{ status: number; text: string; json: any }> {
    const response = await fetch(`http://127.0.0.1:${this.port(id)}${pathAndQuery}`, { ...init, signal: AbortSignal.timeout(5000) });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  }

  /** An instant PromQL query; returns the result vector. */
  public async query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const answer = await this.http('prometheus', `/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (answer.json?.status !== 'success') throw new Error(`query ${expr} failed: ${answer.text}`);
    return answer.json.data.result;
  }

  /** Runs redis-cli against the local Redis (as `user`, or unauthenticated without one). */
  public redisCli(args: readonly string[], auth?: { user: string; password: string }): Promise<CommandResult> {
    const env: Record<string, string> = auth ? { REDISCLI_AUTH: auth.password } : {};
    const userArgs = auth ? ['--user', auth.user] : [];
    return runCommand(
      '/usr/bin/redis-cli',
      ['-h', '127.0.0.1', '-p', String(this.port('redis')), ...userArgs, '--no-auth-warning', ...args],
      { env },
    );
  }

  /** Runs SQL through psql on the local PostgreSQL's socket as its superuser; throws on error. */
  public async psql(database: string, sql: string): Promise<string> {
    const admin = this.postgresAdmin;
    if (!admin) throw new Error('postgres has not been started');
    const result = await runCommand(
      postgresBin('psql'),
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        admin.socketDir,
        '-p',
        String(admin.port),
        '-U',
        admin.user,
        '-d',
        database,
        '-c',
        sql,
      ],
      {},
    );
    if (result.code !== 0) throw new Error(`psql ${database}: ${result.stderr.trim() || result.stdout.trim()}`);
    return result.stdout.trim();
  }

  /**
   * Runs SQL through psql as another login, over TCP with its password (as a client in the
   * cluster connects, so pg_hba's password check applies); returns what psql answered.
   */
  public psqlAs(login: { user: string; password: string }, database: string, sql: string): Promise<CommandResult> {
    const admin = this.postgresAdmin;
    if (!admin) throw new Error('no PostgreSQL has been started');
    return runCommand(
      postgresBin('psql'),
      [
        '-X',
        '-q',
        '-A',
        '-t',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        '127.0.0.1',
        '-p',
        String(admin.port),
        '-U',
        login.user,
        '-d',
        database,
        '-c',
        sql,
      ],
      {
        env: { PGPASSWORD: login.password, PGSSLMODE: 'prefer' },
      },
    );
  }

  /**
   * The machine description the one-machine rewrite needs for a program's pod: its own ports,
   * every Service served here, the pods discovery would find, and the pod's mounts.
   */
  public machineFor(podName: string, localPath: (p: string) => string): OneMachine {
    const ownPorts = new Map<number, number>();
    for (const [key, local] of this.localPorts) {
      const [pod, port] = key.split(':');
      if (pod === podName) ownPorts.set(Number(port), local);
    }
    return {
      localPath,
      services: this.services,
      ownPorts,
      pods: this.discoveredPods(),
      namespace: this.namespace(),
      nowhere: `127.0.0.1:${this.nowherePort}`,
      readLocalFile: (file) => fs.readFileSync(file, 'utf8'),
    };
  }

  /** A local directory for files a scenario writes. */
  public scratch(name: string): string {
    const dir = path.join(this.root, 'scratch', name);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  private namespace(): string {
    return (this.manifests.all('Namespace')[0]?.metadata.name as string | undefined) ?? this.settings.namespace.name;
  }

  /** Ports, Services and credentials of the run; the webhook sink. Once. */
  private init(): Promise<void> {
    this.initialized ??= (async () => {
      await this.sink.start();
      this.nowherePort = await freePort();
      for (const site of this.sites.values()) {
        for (const c of podSpecOf(site.workload).containers) {
          if (![...this.sites.values()].some((s) => s.container === c)) continue;
          for (const p of c.ports ?? []) {
            const key = `${site.podName}:${p.containerPort}`;
            if (!this.localPorts.has(key)) this.localPorts.set(key, await freePort());
          }
        }
      }
      for (const service of this.manifests.all('Service')) this.mapService(service);
      const external = this.externalDatabase;
      if (external) {
        // The managed database's address, as the rendered DATA_SOURCE_URI names it, is the stand-in here.
        this.managedDatabasePort = await freePort();
        this.services.set(`${external.host}:${external.port}`, `127.0.0.1:${this.managedDatabasePort}`);
      }
      this.generateSecrets();
    })();
    return this.initialized;
  }

  /** Records where each port of a Service whose pods run here is served locally. */
  private mapService(service: Manifest): void {
    const selector: Record<string, string> = service.spec?.selector ?? {};
    if (Object.keys(selector).length === 0) return;
    for (const site of this.sites.values()) {
      const labels = podTemplateOf(site.workload).metadata.labels ?? {};
      if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) continue;
      for (const port of service.spec.ports ?? []) {
        const target = port.targetPort ?? port.port;
        const containerPort = podSpecOf(site.workload)
          .containers.flatMap((c: any) => c.ports ?? [])
          .find((p: any) => p.name === target || p.containerPort === target)?.containerPort;
        const local = this.localPorts.get(`${site.podName}:${containerPort}`);
        if (local !== undefined) this.services.set(`${service.metadata.name}:${port.port}`, `127.0.0.1:${local}`);
      }
    }
  }

  /**
   * A value for every Secret key a workload reads: a fresh random password by default; the webhook
   * sink's URL for alert receivers; a connection URL naming the in-cluster Service for database URLs.
   */
  private generateSecrets(): void {
    for (const workload of this.manifests.workloads()) {
      const spec = podSpecOf(workload);
      for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref && !this.secrets.has(`${ref.name}/${ref.key}`)) this.secrets.set(`${ref.name}/${ref.key}`, generatedPassword());
        }
      }
      for (const v of spec.volumes ?? []) {
        const items = v.secret
          ? v.secret.items?.map((i: any) => [v.secret.secretName, i.key])
          : v.projected?.sources?.flatMap((s: any) => (s.secret?.items ?? []).map((i: any) => [s.secret.name, i.key]));
        for (const [name, key] of items ?? [])
          if (!this.secrets.has(`${name}/${key}`)) this.secrets.set(`${name}/${key}`, generatedPassword());
      }
    }
    const credentials = this.settings.security.credentials;
    const set = (id: string | undefined, value: string): void => {
      const ref = id ? credentials[id] : undefined;
      if (ref) this.secrets.set(`${ref.secretName}/${ref.key}`, value);
    };
    const monitoring = (this.settings as any).monitoring;
    for (const receiver of monitoring?.alertmanager?.receivers ?? []) {
      if (receiver.webhook) set(receiver.webhook.urlCredential, this.sink.url(receiver.webhook.urlCredential));
      if (receiver.slack) set(receiver.slack.urlCredential, this.sink.url(receiver.slack.urlCredential));
    }
    const db = (this.settings as any).database;
    if (db?.mode === 'in-cluster' && db.inCluster) {
      const ref = credentials[db.inCluster.passwordCredential];
      const password = ref ? (this.secrets.get(`${ref.secretName}/${ref.key}`) ?? generatedPassword()) : generatedPassword();
      set(db.inCluster.passwordCredential, password);
      const service = this.manifests.all('Service').find((s) => s.metadata.name === 'postgres-service')
        ? 'postgres-service:5432'
        : '127.0.0.1:5432';
      const url = `postgresql://${db.inCluster.user}:${password}@${service}/${db.inCluster.database}`;
      set('database-url', url);
      if (db.external?.urlCredential) set(db.external.urlCredential, url);
    }
  }

  /** Pods as Kubernetes discovery would list them: every pod with a program run here. */
  private discoveredPods(): DiscoveredPod[] {
    const pods = new Map<string, DiscoveredPod>();
    for (const site of this.sites.values()) {
      if (pods.has(site.podName)) continue;
      const template = podTemplateOf(site.workload);
      pods.set(site.podName, {
        name: site.podName,
        labels: template.metadata.labels ?? {},
        annotations: template.metadata.annotations ?? {},
        containers: template.spec.containers.map((c: any) => ({
          name: c.name,
          image: c.image,
          ports: (c.ports ?? []).map((p: any) => ({
            name: p.name,
            containerPort: p.containerPort,
            localPort: this.localPorts.get(`${site.podName}:${p.containerPort}`),
          })),
        })),
      });
    }
    return [...pods.values()];
  }

  /** Lays out a program's container with the one-machine rewrite applied to its files, env and args. */
  private layOut(id: ProgramId, containerName?: string): { local: LocalContainer; argv: string[]; env: Record<string, string> } {
    const site = this.site(id);
    return this.layOutContainer(site.workload, containerName ?? site.container.name);
  }

  /** Lays out any container of a rendered workload (the pod's volumes are shared by its containers). */
  public layOutContainer(
    workload: Manifest,
    containerName: string,
  ): { local: LocalContainer; argv: string[]; env: Record<string, string> } {
    const podName = podNameOf(workload);
    const rewrite: FileRewrite = ({ key, text }, localPath) => {
      const kind =
        key === 'redis.conf' || key === 'prometheus.yml' || key === 'alertmanager.yml' ? key : key.endsWith('.sh') ? 'script' : undefined;
      if (!kind) return text;
      const out = forOneMachine({ kind, text }, this.machineFor(podName, localPath));
      return 'text' in out ? out.text : text;
    };
    const local = materializeContainer({
      manifests: this.manifests,
      workload,
      containerName,
      root: path.join(this.root, 'pods', podName),
      secrets: this.secrets,
      rewrite,
    });
    const out = forOneMachine(
      { kind: 'container', image: local.container.image, argv: local.argv, env: local.env },
      this.machineFor(podName, local.localPath),
    );
    if (out.kind !== 'container') throw new Error('unreachable');
    return { local, argv: [...out.argv], env: { ...out.env } };
  }

  /** Runs a container of a Job or CronJob to completion, as laid out on this machine. */
  public async runToCompletion(
    workload: Manifest,
    containerName: string,
  ): Promise<CommandResult & { local: LocalContainer; argv: string[] }> {
    await this.init();
    const { local, argv, env } = this.layOutContainer(workload, containerName);
    if (argv.length === 0)
      throw new Error(
        `${workload.kind}/${workload.metadata.name} container ${containerName} has no command: the harness cannot know the image's default`,
      );
    const [command, ...args] = argv;
    const result = await runCommand(command, args, { env, cwd: this.scratch(workload.metadata.name), timeoutMs: 60000 });
    return { ...result, local, argv };
  }

  /** The Debian command line for a container: the image's entrypoint name becomes the Debian binary. */
  private commandLine(id: ProgramId, argv: readonly string[]): { command: string; args: string[] } {
    const { binary, entrypoints } = DEBIAN[id];
    const [first, ...rest] = argv;
    if (first !== undefined && entrypoints.includes(first)) return { command: binary, args: rest };
    return { command: binary, args: [...argv] };
  }

  private async startProgram(id: ProgramId): Promise<void> {
    switch (id) {
      case 'redis':
        return this.startRedis();
      case 'postgres':
        return this.startPostgres();
      default:
        return this.startServer(id);
    }
  }

  /** Runs a pod's init containers (ACL writers and the like) with the harness's layout. */
  private async runInitContainers(id: ProgramId): Promise<void> {
    for (const init of podSpecOf(this.site(id).workload).initContainers ?? []) {
      const { argv, env } = this.layOut(id, init.name);
      const [command, ...args] = argv;
      const result = await runCommand(command, args, { env });
      this.supervisor.note(id, `[init container ${init.name}] ${result.stdout}${result.stderr}`);
      if (result.code !== 0)
        throw new Error(`init container ${init.name} of ${id} exited ${result.code}: ${result.stderr || result.stdout}`);
    }
  }

  private async startRedis(): Promise<void> {
    await this.runInitContainers('redis');
    const { local, argv, env } = this.layOut('redis');
    this.containers.set('redis', local);
    const { command, args } = this.commandLine('redis', argv);
    const port = this.port('redis');
    await this.supervisor.start({ name: 'redis', command, args, env, ready: () => isListening(port) });
  }

  /** Starts an exporter, Prometheus or Alertmanager: the Debian binary with the rendered flags. */
  private async startServer(id: ProgramId): Promise<void> {
    if (id === 'postgres-exporter' && this.externalDatabase) await this.startManagedDatabase();
    const { local, argv, env } = this.layOut(id);
    this.containers.set(id, local);
    const { command, args } = this.commandLine(id, argv);
    const listen = `127.0.0.1:${this.port(id)}`;
    const readyPath = id === 'prometheus' || id === 'alertmanager' ? '/-/ready' : '/metrics';
    await this.supervisor.start({
      name: id,
      command,
      args,
      env,
      cwd: this.scratch(id),
      ready: async () => (await fetch(`http://${listen}${readyPath}`, { signal: AbortSignal.timeout(2000) })).ok,
      readyTimeoutMs: 30000,
    });
  }

  /**
   * PostgreSQL the way the official image's entrypoint starts it: `initdb` with POSTGRES_USER and
   * its password into PGDATA, the POSTGRES_DB database, then `postgres` with the rendered
   * arguments. Runs as the local `postgres` user when started as root, on 127.0.0.1 and a socket in
   * the run's directory. Local socket connections are trusted (the harness's own admin access);
   * TCP needs the password, as in the cluster.
   */
  private async startPostgres(): Promise<void> {
    const { local, argv, env } = this.layOut('postgres');
    this.containers.set('postgres', local);
    // PostgreSQL refuses to run as root: as root, switch to the Debian package's `postgres` user.
    const user = process.getuid?.() === 0 ? localUser('postgres') : { uid: process.getuid!(), gid: process.getgid!() };
    const pgdata = env.PGDATA ?? local.localPath('/var/lib/postgresql/data');
    const { args } = this.commandLine('postgres', argv);
    const socketDir = flagValue(args, '-k') ?? local.localPath('/var/run/postgresql');
    const pwdir = this.scratch('postgres-initdb');
    for (const dir of [path.dirname(pgdata), pgdata, socketDir]) fs.mkdirSync(dir, { recursive: true });
    chownTree(path.join(this.root, 'pods', this.site('postgres').podName), user);
    for (const dir of [socketDir, pwdir]) fs.chownSync(dir, user.uid, user.gid);
    fs.chmodSync(pgdata, 0o700);
    const superuser = env.POSTGRES_USER ?? 'postgres';
    const password =
      env.POSTGRES_PASSWORD ?? (env.POSTGRES_PASSWORD_FILE ? fs.readFileSync(env.POSTGRES_PASSWORD_FILE, 'utf8').trim() : '');
    if (!password) throw new Error('the rendered postgres container sets neither POSTGRES_PASSWORD nor POSTGRES_PASSWORD_FILE');
    const pwfile = path.join(pwdir, 'pwfile');
    fs.writeFileSync(pwfile, password, { mode: 0o600 });
    fs.chownSync(pwfile, user.uid, user.gid);
    const initArgs = (env.POSTGRES_INITDB_ARGS ?? '').split(/\s+/).filter(Boolean);
    const initdb = await runCommand(
      postgresBin('initdb'),
      ['-D', pgdata, '-U', superuser, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', ...initArgs],
      { user, env: { LANG: 'C.UTF-8' }, timeoutMs: 60000 },
    );
    fs.rmSync(pwfile);
    this.supervisor.note('postgres', `[initdb] ${initdb.stdout}${initdb.stderr}`);
    if (initdb.code !== 0) throw new Error(`initdb failed: ${initdb.stderr}`);
    const port = this.port('postgres');
    this.postgresAdmin = { user: superuser, socketDir, port };
    await this.supervisor.start({
      name: 'postgres',
      command: postgresBin('postgres'),
      args,
      env: { ...env, PGDATA: pgdata },
      user,
      stopSignal: 'SIGINT',
      ready: async () => (await runCommand(postgresBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {})).code === 0,
      readyTimeoutMs: 30000,
    });
    const database = env.POSTGRES_DB ?? superuser;
    if (database !== 'postgres') await this.psql('postgres', `CREATE DATABASE "${database}"`);
    await this.runInitdbScripts(local, env, user, socketDir, port);
  }

  /**
   * What the image's entrypoint does next on a fresh cluster (contracts/postgres
   * `behaviour.initScripts`): each file of `/docker-entrypoint-initdb.d`, in name order; an
   * executable `*.sh` runs as a process with the container's environment, a `*.sql` goes through
   * psql as POSTGRES_USER. The image's psql finds the server on its default socket; here that
   * socket is in the run's directory, so PGHOST and PGPORT say where (the only addition).
   */
  private async runInitdbScripts(
    local: LocalContainer,
    env: Record<string, string>,
    user: { uid: number; gid: number },
    socketDir: string,
    port: number,
  ): Promise<void> {
    const dir = local.localPath('/docker-entrypoint-initdb.d');
    if (dir === '/docker-entrypoint-initdb.d' || !fs.existsSync(dir)) return;
    const clientEnv = {
      ...env,
      PATH: `${path.dirname(postgresBin('psql'))}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      PGHOST: socketDir,
      PGPORT: String(port),
    };
    for (const file of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, file);
      let result: CommandResult;
      if (file.endsWith('.sh')) {
        if ((fs.statSync(full).mode & 0o111) === 0)
          throw new Error(
            `${file} in /docker-entrypoint-initdb.d is not executable: the entrypoint would source it into its own shell, which the harness does not emulate`,
          );
        result = await runCommand(full, [], { env: clientEnv, user });
      } else if (file.endsWith('.sql')) {
        result = await runCommand(
          postgresBin('psql'),
          [
            '-v',
            'ON_ERROR_STOP=1',
            '--username',
            env.POSTGRES_USER ?? 'postgres',
            '--no-password',
            '--no-psqlrc',
            '--dbname',
            env.POSTGRES_DB ?? 'postgres',
            '-f',
            full,
          ],
          { env: clientEnv, user },
        );
      } else {
        continue;
      }
      this.supervisor.note('postgres', `[docker-entrypoint-initdb.d/${file}] ${result.stdout}${result.stderr}`);
      if (result.code !== 0)
        throw new Error(`/docker-entrypoint-initdb.d/${file} exited ${result.code}: ${result.stderr || result.stdout}`);
    }
  }

  /** Runs a rendered init script of the database pod again (as an operator would on an existing cluster). */
  public async rerunInitdbScript(file: string): Promise<CommandResult> {
    const local = this.container('postgres');
    const admin = this.postgresAdmin!;
    const user = process.getuid?.() === 0 ? localUser('postgres') : { uid: process.getuid!(), gid: process.getgid!() };
    const env = {
      ...local.env,
      PATH: `${path.dirname(postgresBin('psql'))}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      PGHOST: admin.socketDir,
      PGPORT: String(admin.port),
    };
    return runCommand(local.localPath(`/docker-entrypoint-initdb.d/${file}`), [], { env, user });
  }

  /**
   * The stand-in for an external (managed) database: a local PostgreSQL on the loopback port
   * its host name maps to, with TLS (a throw-away self-signed certificate, so `sslmode=require`
   * connects as it does to a managed service), the configured database, and the exporter's login
   * created the way the docs tell the database's administrator to (the SQL block of this
   * environment in docs/required-secrets.md, its password the one of this run).
   */
  private async startManagedDatabase(): Promise<void> {
    const external = this.externalDatabase!;
    const user = process.getuid?.() === 0 ? localUser('postgres') : { uid: process.getuid!(), gid: process.getgid!() };
    const dir = this.scratch('managed-database');
    const pgdata = path.join(dir, 'data');
    const socketDir = path.join(dir, 'socket');
    fs.mkdirSync(socketDir);
    const key = path.join(dir, 'server.key');
    const cert = path.join(dir, 'server.crt');
    const openssl = await runCommand(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${external.host}`, '-keyout', key, '-out', cert],
      {},
    );
    if (openssl.code !== 0) throw new Error(`openssl could not make the stand-in's certificate: ${openssl.stderr}`);
    fs.chmodSync(key, 0o600);
    for (const f of [dir, socketDir, key, cert]) fs.chownSync(f, user.uid, user.gid);
    const superuser = 'postgres';
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, generatedPassword(), { mode: 0o600 });
    fs.chownSync(pwfile, user.uid, user.gid);
    const initdb = await runCommand(
      postgresBin('initdb'),
      ['-D', pgdata, '-U', superuser, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256'],
      { user, env: { LANG: 'C.UTF-8' }, timeoutMs: 60000 },
    );
    fs.rmSync(pwfile);
    if (initdb.code !== 0) throw new Error(`initdb of the managed-database stand-in failed: ${initdb.stderr}`);
    const port = this.managedDatabasePort;
    this.postgresAdmin = { user: superuser, socketDir, port };
    await this.supervisor.start({
      name: 'managed-postgres',
      command: postgresBin('postgres'),
      args: [
        '-D',
        pgdata,
        '-c',
        'listen_addresses=127.0.0.1',
        '-p',
        String(port),
        '-k',
        socketDir,
        '-c',
        'ssl=on',
        '-c',
        `ssl_cert_file=${cert}`,
        '-c',
        `ssl_key_file=${key}`,
      ],
      env: {},
      user,
      stopSignal: 'SIGINT',
      ready: async () => (await runCommand(postgresBin('pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {})).code === 0,
      readyTimeoutMs: 30000,
    });
    await this.psql('postgres', `CREATE DATABASE "${external.database}"`);
    const grant = documentedMonitoringGrant(this.environment);
    const password = this.credential(this.settings.database.monitoring.passwordCredential);
    await this.psql(external.database, grant.replace(/<[^>]*>/, password));
  }
}

/** The SQL docs/required-secrets.md gives a managed database's administrator for this environment. */
export function documentedMonitoringGrant(environment: string): string {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'required-secrets.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${environment} `));
  const sql = section ? /```sql\n([\s\S]*?)```/.exec(section)?.[1] : undefined;
  if (!sql)
    throw new Error(
      `docs/required-secrets.md has no SQL block for ${environment}: the harness cannot set up the managed database's monitoring login as the docs say`,
    );
  return sql;
}

/** A pod name as the controller would give it (`<statefulset>-0`; a fixed suffix otherwise). */
function podNameOf(workload: Manifest): string {
  return workload.kind === 'StatefulSet' ? `${workload.metadata.name}-0` : `${workload.metadata.name}-local`;
}

/** A program of the installed PostgreSQL major version. */
export function postgresBin(program: string): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => /^[0-9]+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  return path.join(base, versions[0], 'bin', program);
}

function chownTree(dir: string, user: { uid: number; gid: number }): void {
  if (!fs.existsSync(dir)) return;
  fs.chownSync(dir, user.uid, user.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownTree(full, user);
    else fs.chownSync(full, user.uid, user.gid);
  }
}
