import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { REDIS_ENDPOINT } from '../../lib/cache/redis-cache';
import { loadEnvironment, REGISTRY } from '../../lib/registry';
import { GATEWAY_ENDPOINT } from '../../lib/gateway/litellm-gateway';
import { requiredSecrets, secretValueVariable } from '../../lib/layers/required-secrets';
import { instanceOf, PART_OF } from '../../lib/platform/labels';
import { CONFIG_DIR } from '../support/environments';

/**
 * Runs the deploy command (the scripts/deploy.sh shim, which runs build/deploy.js) against the
 * recording kubectl test double in test/fixtures/kubectl-double/ (first on PATH), with synthetic
 * manifests in a temporary dist/ and the real config/. Health checks go through real sockets: the
 * double's port-forward reports the port of a server this file runs.
 */
const ROOT = path.join(__dirname, '..', '..');
// Each case runs the command (node, the bundle, config and contracts) and many kubectl calls, all at
// once: on a busy 2-core machine one case can take a minute.
const RUN_TIMEOUT_MS = 170_000;
jest.setTimeout(RUN_TIMEOUT_MS + 10_000);
const DOUBLE_DIR = path.join(ROOT, 'test', 'fixtures', 'kubectl-double');
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

// The shim and the deploy bundle `npm test` just built, copied into a folder of their own: the
// shim never rebuilds the bundle mid-suite (it would when sources change), and the repository's
// own git state and .env play no part.
const SANDBOX = tmp('suoke-deploy-root-');
const SCRIPT = path.join(SANDBOX, 'scripts', 'deploy.sh');
fs.mkdirSync(path.join(SANDBOX, 'scripts'));
fs.mkdirSync(path.join(SANDBOX, 'build'));
fs.copyFileSync(path.join(ROOT, 'scripts', 'deploy.sh'), SCRIPT);
fs.chmodSync(SCRIPT, 0o755);
fs.copyFileSync(path.join(ROOT, 'build', 'deploy.js'), path.join(SANDBOX, 'build', 'deploy.js'));
// The config checks read the upstream contracts next to the build folder, as in the repository.
fs.cpSync(path.join(ROOT, 'contracts'), path.join(SANDBOX, 'contracts'), { recursive: true });

/** What the stand-in cluster looks like; see the double's header for the meaning of each file. */
interface Scenario {
  context?: string;
  unreachable?: boolean;
  namespaceExists?: boolean;
  secrets?: Record<string, readonly string[]>;
  noCrd?: boolean;
  notReady?: readonly string[];
  failApply?: boolean;
  diffStatus?: number;
  failRollout?: readonly string[];
  forward?: Record<string, number>;
  liveObjects?: readonly string[];
  references?: string;
  noStore?: boolean;
  /** What `get --raw=/version` prints. */
  version?: { major: string; minor: string; gitVersion: string };
  /** The CRDs of the cluster: group, kind and served versions. */
  crds?: readonly { group: string; kind: string; served: readonly string[] }[];
  noMetricsServer?: boolean;
  metricsUnavailable?: boolean;
  /** StorageClasses: name, and whether it is the default. */
  storageClasses?: readonly { name: string; isDefault?: boolean }[];
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  /** kubectl calls, arguments joined by spaces. */
  calls: string[];
  state: string;
}

/** Every Secret key an environment requires, as the double stores them. */
function allSecrets(environment: string): Record<string, string[]> {
  return Object.fromEntries(requiredSecrets(loadEnvironment(CONFIG_DIR, environment)).map((s) => [s.secretName, s.keys.map((k) => k.key)]));
}

/**
 * The Secrets the deploy asks for: the required ones, with only the keys the components read there,
 * each saying whether the deploy may generate it and whether the components start without it.
 */
function secretsRead(environment: string) {
  const config = loadEnvironment(CONFIG_DIR, environment);
  const reads = REGISTRY.credentials(config.settings);
  const needed = new Set(reads.filter((c) => !c.optional).map((c) => c.id));
  return requiredSecrets(config)
    .map((s) => ({
      ...s,
      keys: s.keys
        .filter((k) => reads.some((c) => c.id === k.credential))
        .map((k) => ({
          ...k,
          generated: !!config.settings.security.credentials[k.credential].generate,
          optional: !needed.has(k.credential),
        })),
    }))
    .filter((s) => s.keys.length > 0);
}

function writeState(scenario: Scenario): string {
  const state = tmp('kubectl-double-');
  const write = (file: string, content = '') => {
    fs.mkdirSync(path.dirname(path.join(state, file)), { recursive: true });
    fs.writeFileSync(path.join(state, file), content);
  };
  if (scenario.context) write('context', `${scenario.context}\n`);
  if (scenario.unreachable) write('unreachable');
  if (scenario.namespaceExists) write('namespace-exists');
  for (const [name, keys] of Object.entries(scenario.secrets ?? {})) write(`secrets/${name}`, keys.map((k) => `${k}\n`).join(''));
  if (scenario.noCrd) write('no-crd');
  for (const name of scenario.notReady ?? []) write(`not-ready/${name}`);
  if (scenario.failApply) write('fail-apply');
  if (scenario.diffStatus !== undefined) write('diff-status', `${scenario.diffStatus}\n`);
  for (const name of scenario.failRollout ?? []) write(`fail-rollout/${name}`);
  for (const [service, port] of Object.entries(scenario.forward ?? {})) write(`forward/${service}`, `${port}\n`);
  if (scenario.liveObjects) write('live-objects', scenario.liveObjects.map((o) => `${o}\n`).join(''));
  if (scenario.references) write('references', scenario.references);
  if (scenario.noStore) write('no-store');
  if (scenario.version) write('version.json', JSON.stringify(scenario.version));
  if (scenario.crds) {
    const items = scenario.crds.map((c) => ({
      spec: { group: c.group, names: { kind: c.kind }, versions: c.served.map((name) => ({ name, served: true })) },
    }));
    write('crds.json', JSON.stringify({ items }));
  }
  if (scenario.noMetricsServer) write('no-metrics-server');
  if (scenario.metricsUnavailable) write('metrics-unavailable');
  if (scenario.storageClasses) {
    const items = scenario.storageClasses.map((c) => ({
      metadata: { name: c.name, annotations: c.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
    }));
    write('storageclasses.json', JSON.stringify({ items }));
  }
  return state;
}

/** Runs the script asynchronously (the health servers of this process must keep answering). */
async function deploy(
  args: string[],
  scenario: Scenario,
  options: { env?: NodeJS.ProcessEnv; path?: string; command?: string[] } = {},
): Promise<Run> {
  await setup();
  const state = writeState(scenario);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: options.path ?? `${DOUBLE_DIR}:${process.env.PATH}`,
    KUBECTL_DOUBLE_STATE: state,
    SUOKE_CONFIG_DIR: CONFIG_DIR,
    SUOKE_DIST_DIR: DIST,
    SUOKE_ENV_FILE: path.join(state, 'no.env'),
    ...options.env,
  };
  const [file, ...rest] = options.command ?? [SCRIPT];
  return new Promise((resolve) => {
    execFile(file, [...rest, ...args], { cwd: SANDBOX, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS }, (error, stdout, stderr) => {
      const log = path.join(state, 'calls.log');
      const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n') : [];
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout, stderr, calls, state });
    });
  });
}

// --- synthetic manifests: every environment gets a gateway, a Redis, a Job and two config versions ---

const DIST = tmp('suoke-deploy-dist-');
const CURRENT_CONFIG = 'global-config-1111111111';

function writeDist(environment: string): void {
  const config = loadEnvironment(CONFIG_DIR, environment);
  const namespace = config.settings.namespace.name;
  const labels = (name: string) => ({
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': instanceOf(environment),
    'app.kubernetes.io/part-of': PART_OF,
  });
  const meta = (name: string) => ({ name, namespace, labels: labels(name) });
  const workload = (name: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { metadata: { labels: labels(name) }, spec: { containers: [{ name, image: 'example/fixture:1.0.0' }] } },
    },
  });
  const service = (name: string, port: number) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: { ports: [{ port }], selector: { 'app.kubernetes.io/name': name } },
  });
  const files: Record<string, object[]> = {
    '00-baseline.k8s.yaml': [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: labels('suoke-life') } }],
    '10-config-layers.k8s.yaml': [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(CURRENT_CONFIG), data: { LOG_LEVEL: 'INFO' }, immutable: true },
      ...(config.settings.security.secretsMode === 'external-secrets'
        ? requiredSecrets(config).map((s) => ({
            apiVersion: 'external-secrets.io/v1',
            kind: 'ExternalSecret',
            metadata: meta(s.secretName),
            spec: {},
          }))
        : []),
    ],
    '20-gateway.k8s.yaml': [workload('fixture-gateway'), service(GATEWAY_ENDPOINT.serviceName, GATEWAY_ENDPOINT.port)],
    '21-cache.k8s.yaml': [workload('fixture-redis'), service(REDIS_ENDPOINT.serviceName, REDIS_ENDPOINT.port)],
    '29-migrate.k8s.yaml': [
      { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('fixture-migrate'), spec: { template: { spec: { containers: [] } } } },
    ],
  };
  fs.mkdirSync(path.join(DIST, environment), { recursive: true });
  for (const [file, objects] of Object.entries(files))
    fs.writeFileSync(path.join(DIST, environment, file), objects.map((o) => yaml.dump(o)).join('---\n'));
}

// --- the services the health checks reach through the double's port-forward ---

const gatewayAnswering = (status: number) =>
  http.createServer((req, res) => {
    res.statusCode = req.url === '/health/readiness' ? status : 404;
    res.end('{}');
  });
const gateway = gatewayAnswering(200);
const brokenGateway = gatewayAnswering(503);
const redis = net.createServer((socket) => socket.on('data', () => socket.end('-NOAUTH Authentication required.\r\n')));
/** Local ports the double's port-forward reports, per Service. */
const forward: Record<string, number> = {};
let brokenGatewayPort = 0;

// Tests run concurrently (each waits on child processes), so setup is a promise each test awaits.
let ready: Promise<void> | undefined;
const port = (server: net.Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
function setup(): Promise<void> {
  ready ??= (async () => {
    for (const environment of ['dev', 'test', 'prod']) writeDist(environment);
    forward[GATEWAY_ENDPOINT.serviceName] = await port(gateway);
    forward[REDIS_ENDPOINT.serviceName] = await port(redis);
    brokenGatewayPort = await port(brokenGateway);
  })();
  return ready;
}
afterAll(() => {
  for (const server of [gateway, brokenGateway, redis]) server.close();
});

const SELECTOR = (environment: string) =>
  `--selector app.kubernetes.io/part-of=suoke-life,app.kubernetes.io/instance=${instanceOf(environment)}`;
const healthyDev = (): Scenario => ({ context: 'suoke-dev', namespaceExists: true, secrets: allSecrets('dev'), forward });
const prod = (): Scenario => ({ context: 'suoke-prod', namespaceExists: true, secrets: allSecrets('prod'), forward });
/** `prod --yes` on a healthy cluster: shared by the tests that look at it. */
let prodWithYes: Promise<Run> | undefined;
const deployProdWithYes = () => (prodWithYes ??= deploy(['prod', '--yes'], prod()));

// --- usage ---

test.concurrent('--help explains usage, lists the environments of config/ and documents the exit codes', async () => {
  const run = await deploy(['--help'], {});
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^usage: scripts\/deploy\.sh <env> \[--dry-run\] \[--diff\] \[--yes\] \[--timeout DURATION\]/);
  expect(run.stdout).toMatch(/environments \(from config\/\): dev prod test/);
  expect(run.stdout).toMatch(/^ {3}4 {2}the current kube context is not the environment's; nothing was touched$/m);
  expect(run.calls).toEqual([]);
});

test.concurrent('an unknown environment is refused before any kubectl call', async () => {
  const run = await deploy(['qa'], { context: 'suoke-dev' });
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/error: unknown environment 'qa': config\/ defines dev prod test/);
  expect(run.calls).toEqual([]);
});

test.concurrent('a malformed --timeout is a usage error', async () => {
  const run = await deploy(['dev', '--timeout', '5 minutes'], {});
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(
    /--timeout: expected a duration such as "30s", "5m" or "1h" .*\(kubectl's --timeout takes no d, w or y\), found '5 minutes'/,
  );
});

// --- safety ---

test.concurrent(
  "refuses a cluster whose current context is not the environment's, says which it found and expected, and applies nothing",
  async () => {
    const run = await deploy(['prod', '--yes'], { context: 'suoke-dev' });
    expect(run.status).toBe(4);
    expect(run.stderr).toMatch(
      /refusing to touch the cluster: the current kubectl context is 'suoke-dev', but prod deploys only to context 'suoke-prod'/,
    );
    expect(run.stderr).toMatch(/nothing was applied\. Switch with: kubectl config use-context suoke-prod/);
    expect(run.calls).toEqual(['config current-context']);
  },
);

test.concurrent('refuses when no context is set at all', async () => {
  const run = await deploy(['dev'], {});
  expect(run.status).toBe(4);
  expect(run.stderr).toMatch(/current kubectl context is '\(none\)'/);
});

test.concurrent('checks that kubectl is present and the cluster is reachable', async () => {
  // A PATH with the usual tools but no kubectl (one is installed on some machines): links to everything else.
  const bin = tmp('no-kubectl-');
  for (const dir of [...new Set(['/usr/bin', '/bin', path.dirname(process.execPath)])]) {
    if (!fs.existsSync(dir)) continue;
    for (const tool of fs.readdirSync(dir)) {
      if (tool !== 'kubectl' && !fs.existsSync(path.join(bin, tool))) fs.symlinkSync(path.join(dir, tool), path.join(bin, tool));
    }
  }
  const [missing, unreachable] = await Promise.all([
    deploy(['dev'], {}, { path: bin, command: ['/bin/bash', SCRIPT] }),
    deploy(['dev'], { context: 'suoke-dev', unreachable: true }),
  ]);
  expect(missing.status).toBe(3);
  expect(missing.stderr).toMatch(/kubectl is not on PATH/);
  expect(unreachable.status).toBe(3);
  expect(unreachable.stderr).toMatch(/cannot reach the cluster of context 'suoke-dev': Unable to connect to the server/);
  expect(unreachable.calls.some((c) => / apply /.test(c))).toBe(false);
});

test.concurrent('prod needs --yes or an interactive confirmation', async () => {
  const [refused, confirmed] = await Promise.all([deploy(['prod'], prod()), deployProdWithYes()]);
  expect(refused.status).toBe(5);
  expect(refused.stderr).toMatch(
    /prod requires confirmation: re-run with --yes, or from a terminal to confirm interactively; nothing was applied/,
  );
  expect(refused.calls.some((c) => / apply /.test(c))).toBe(false);
  expect(confirmed.status).toBe(0);
  expect(confirmed.calls.some((c) => / apply --server-side /.test(c))).toBe(true);
});

const hasScript = fs.existsSync('/usr/bin/script');
(hasScript ? test.concurrent : test.skip)('prod asks on a terminal and applies only when the environment name is typed', async () => {
  // `script` gives the deploy script a terminal; the answer is typed on its stdin.
  await setup();
  const onTerminal = (answer: string) => {
    const state = writeState(prod());
    const command = `printf '${answer}\\n' | script -qec '${SCRIPT} prod' /dev/null`;
    return new Promise<Run>((resolve) => {
      execFile(
        '/bin/bash',
        ['-c', command],
        {
          cwd: SANDBOX,
          encoding: 'utf8',
          env: {
            ...process.env,
            PATH: `${DOUBLE_DIR}:${process.env.PATH}`,
            KUBECTL_DOUBLE_STATE: state,
            SUOKE_CONFIG_DIR: CONFIG_DIR,
            SUOKE_DIST_DIR: DIST,
          },
        },
        (error, stdout, stderr) => {
          const calls = fs.readFileSync(path.join(state, 'calls.log'), 'utf8').trimEnd().split('\n');
          resolve({ status: error ? Number(error.code) : 0, stdout, stderr, calls, state });
        },
      );
    });
  };
  const [yes, no] = await Promise.all([onTerminal('prod'), onTerminal('yes')]);
  expect(yes.stdout).toMatch(/type 'prod' to continue:/);
  expect(yes.stdout).toMatch(/deployed prod/);
  expect(yes.calls.some((c) => / apply --server-side /.test(c))).toBe(true);
  expect(no.stdout).toMatch(/not confirmed \(got 'yes'\); nothing was applied/);
  expect(no.calls.some((c) => / apply /.test(c))).toBe(false);
});

// --- prerequisites: Secrets ---

test.concurrent(
  'test generates the internal Secrets, lists the others with the exact kubectl command, without values, and applies nothing but the Namespace',
  async () => {
    const secrets = secretsRead('test');
    // A Secret that exists but lacks its key is never touched: it gets a patch command.
    const partial = secrets.find((s) => s.keys.length === 1 && s.keys[0].generated)!;
    const run = await deploy(['test'], { context: 'suoke-test', secrets: { [partial.secretName]: [] }, forward });
    expect(run.status).toBe(6);
    for (const secret of secrets.filter((s) => s !== partial)) {
      const needed = secret.keys.filter((k) => !k.optional);
      if (needed.length > 0 && needed.every((k) => k.generated)) {
        expect(run.stdout).toContain(`created Secret ${secret.secretName} with generated ${secret.keys.map((k) => k.key).join(', ')}`);
        expect(Object.keys(fs.readdirSync(path.join(run.state, 'created', secret.secretName)))).toHaveLength(secret.keys.length);
      } else if (needed.length > 0) {
        for (const k of secret.keys) expect(run.stderr).toContain(`${secret.secretName}/${k.key}`);
        const literals = secret.keys.map((k) => `--from-literal=${k.key}="$${secretValueVariable(k.credential)}"`).join(' ');
        expect(run.stderr).toContain(
          `kubectl --context suoke-test -n suoke-life-test create secret generic ${secret.secretName} ${literals}`,
        );
      } else {
        // Alert receivers: optional outside production, a warning.
        for (const k of secret.keys)
          expect(run.stderr).toMatch(new RegExp(`warning: optional Secret key[^]*  ${secret.secretName}/${k.key}: `));
      }
    }
    expect(run.stderr).toContain(
      `kubectl --context suoke-test -n suoke-life-test patch secret ${partial.secretName} --type=merge -p "{\\"stringData\\":{\\"${partial.keys[0].key}\\":\\"$`,
    );
    expect(run.stderr).toMatch(/required Secrets are missing; nothing but the Namespace was applied/);
    const applies = run.calls.filter((c) => / apply /.test(c));
    expect(applies).toEqual(['--context suoke-test apply --server-side --field-manager=suoke-deploy -f -']);
    expect(yaml.load(fs.readFileSync(path.join(run.state, 'stdin.log'), 'utf8'))).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'suoke-life-test' },
    });
  },
);

test.concurrent(
  'dev deploys in one step with only the model provider keys set: internal credentials generated, never printed or passed as arguments',
  async () => {
    const secrets = secretsRead('dev');
    const providers = secrets.flatMap((s) => s.keys.filter((k) => !k.generated && !k.optional));
    expect(providers.map((k) => k.credential).every((c) => c.endsWith('-api-key'))).toBe(true);
    const env = Object.fromEntries(providers.map((k) => [secretValueVariable(k.credential), `provider-value-of-${k.key}`]));
    // An existing Secret is never overwritten, even when it lacks nothing the deploy could generate.
    const kept = secrets.find((s) => s.keys.every((k) => k.generated))!;
    const run = await deploy(['dev'], { ...healthyDev(), secrets: { [kept.secretName]: kept.keys.map((k) => k.key) } }, { env });
    expect(run.stderr).not.toMatch(/^error:/m);
    expect(run.status).toBe(0);
    const created = (secret: string, key: string) => fs.readFileSync(path.join(run.state, 'created', secret, key), 'utf8');
    const values: string[] = [];
    for (const secret of secrets.filter((s) => s !== kept)) {
      for (const k of secret.keys.filter((key) => !key.optional)) {
        const value = created(secret.secretName, k.key);
        values.push(value);
        if (!k.generated) expect(value).toBe(`provider-value-of-${k.key}`);
        else if (/must start with sk-/.test(k.purpose)) expect(value).toMatch(/^sk-[0-9a-f]{64}$/);
        else if (/user name/.test(k.purpose)) expect(value).toMatch(/^admin-[0-9a-f]{8}$/);
        else expect(value).toMatch(/^[0-9a-f]{64}$/);
      }
    }
    expect(new Set(values.filter((v) => /[0-9a-f]{64}/.test(v))).size).toBe(values.filter((v) => /[0-9a-f]{64}/.test(v)).length);
    expect(fs.existsSync(path.join(run.state, 'created', kept.secretName))).toBe(false);
    const everything = [run.stdout, run.stderr, ...run.calls].join('\n');
    for (const value of values) expect(everything).not.toContain(value);
    expect(run.calls.filter((c) => / create /.test(c)).every((c) => c.endsWith(' create -f -'))).toBe(true);
    expect(run.stderr).toMatch(/warning: optional Secret key\(s\) absent/);
  },
);

test.concurrent('dev creates missing Secrets from environment variables and a git-ignored .env file, never exposing a value', async () => {
  const keys = secretsRead('dev').flatMap((s) =>
    s.keys.map((k) => ({ secret: s.secretName, key: k.key, variable: secretValueVariable(k.credential) })),
  );
  const [fromFile, ...fromEnv] = keys;
  const envFile = path.join(tmp('dotenv-'), '.env');
  fs.writeFileSync(envFile, `# local dev secrets\nexport ${fromFile.variable}="file-value-of-${fromFile.key}"\n`);
  const env = Object.fromEntries(fromEnv.map((k) => [k.variable, `env-value-of-${k.variable}`]));
  const run = await deploy(['dev'], { context: 'suoke-dev', forward }, { env: { ...env, SUOKE_ENV_FILE: envFile } });
  expect(run.status).toBe(0);
  expect(fs.readFileSync(path.join(run.state, 'created', fromFile.secret, fromFile.key), 'utf8')).toBe(`file-value-of-${fromFile.key}`);
  for (const k of fromEnv)
    expect(fs.readFileSync(path.join(run.state, 'created', k.secret, k.key), 'utf8')).toBe(`env-value-of-${k.variable}`);
  const everything = [run.stdout, run.stderr, ...run.calls].join('\n');
  expect(everything).not.toMatch(/env-value-of|file-value-of/);
  expect(run.stdout).toMatch(new RegExp(`created Secret ${fromFile.secret} from ${fromFile.variable}`));
});

// --- apply, verify, prune ---

test.concurrent(
  'applies every file in name order with server-side apply, verifies, prunes only its own objects, and prints access info',
  async () => {
    const oldReferenced = 'global-config-0000000000';
    const run = await deploy(['dev'], {
      ...healthyDev(),
      liveObjects: [
        `configmap/${CURRENT_CONFIG}`,
        `configmap/${oldReferenced}`,
        'configmap/global-config-2222222222',
        'deployment.apps/fixture-gateway',
        'deployment.apps/retired-worker',
      ],
      references: JSON.stringify({
        items: [{ kind: 'ReplicaSet', spec: { template: { spec: { volumes: [{ configMap: { name: oldReferenced } }] } } } }],
      }),
    });
    expect(run.status).toBe(0);
    const dist = path.join(DIST, 'dev');
    const files = ['00-baseline', '10-config-layers', '20-gateway', '21-cache', '29-migrate']
      .map((f) => `-f ${dist}/${f}.k8s.yaml`)
      .join(' ');
    const applies = run.calls.filter((c) => / apply /.test(c));
    expect(applies).toEqual([`--context suoke-dev --namespace suoke-life-dev apply --server-side --field-manager=suoke-deploy ${files}`]);
    // Waits for each controller, then checks health through the Services.
    const after = run.calls.slice(run.calls.indexOf(applies[0]) + 1);
    expect(after.filter((c) => /rollout status|wait /.test(c))).toEqual([
      '--context suoke-dev --namespace suoke-life-dev rollout status deployment/fixture-gateway --timeout=5m',
      '--context suoke-dev --namespace suoke-life-dev rollout status deployment/fixture-redis --timeout=5m',
      '--context suoke-dev --namespace suoke-life-dev wait --for=condition=complete job/fixture-migrate --timeout=5m',
    ]);
    expect(after.filter((c) => /port-forward/.test(c))).toEqual([
      `--context suoke-dev --namespace suoke-life-dev port-forward --address=127.0.0.1 svc/${GATEWAY_ENDPOINT.serviceName} :${GATEWAY_ENDPOINT.port}`,
      `--context suoke-dev --namespace suoke-life-dev port-forward --address=127.0.0.1 svc/${REDIS_ENDPOINT.serviceName} :${REDIS_ENDPOINT.port}`,
    ]);
    // Prune scope: this environment's labels, its namespace, and never Namespaces, Secrets or PVCs.
    const list = after.find((c) => / get \S+ --selector /.test(c))!;
    expect(list).toContain(`--context suoke-dev --namespace suoke-life-dev get `);
    expect(list).toContain(SELECTOR('dev'));
    const types = list.split(' ')[5].split(',');
    expect(types).toEqual(expect.arrayContaining(['configmap', 'service', 'Deployment.v1.apps', 'NetworkPolicy.v1.networking.k8s.io']));
    expect(types.filter((t) => /^(namespace|secret|persistentvolumeclaim)$/i.test(t))).toEqual([]);
    expect(run.calls.filter((c) => / delete /.test(c))).toEqual([
      '--context suoke-dev --namespace suoke-life-dev delete configmap/global-config-2222222222 --wait=false',
      '--context suoke-dev --namespace suoke-life-dev delete deployment.apps/retired-worker --wait=false',
    ]);
    expect(run.stdout).toMatch(/rollout +deployment\/fixture-gateway +ok/);
    expect(run.stdout).toMatch(/health +LiteLLM gateway \(svc\/litellm-gateway-service:4000\) +ok \(HTTP 200 \/health\/readiness\)/);
    expect(run.stdout).toMatch(/health +Redis \(svc\/redis-service:6379\) +ok \(answers; authentication required\)/);
    expect(run.stdout).toMatch(/prune +objects no longer in dist\/dev\/ +2 deleted, 1 referenced ConfigMap\(s\) kept/);
    expect(run.stdout).toContain(
      `kubectl --context suoke-dev -n suoke-life-dev port-forward svc/${GATEWAY_ENDPOINT.serviceName} 4000:4000`,
    );
    expect(run.stdout).toMatch(/LiteLLM master key \(admin API; must start with sk-\): Secret litellm-gateway-keys, key master-key/);
  },
);

test.concurrent('a failed rollout stops with status 8, shows the table and the pods, and prunes nothing', async () => {
  const run = await deploy(['dev', '--timeout', '90s'], {
    ...healthyDev(),
    failRollout: ['fixture-redis'],
    liveObjects: ['configmap/global-config-2222222222'],
  });
  expect(run.status).toBe(8);
  expect(run.stdout).toMatch(/rollout +deployment\/fixture-gateway +ok/);
  expect(run.stdout).toMatch(/rollout +deployment\/fixture-redis +FAILED: not ready within 90s/);
  expect(run.stdout).toMatch(/CrashLoopBackOff/);
  expect(run.stderr).toMatch(/a rollout failed/);
  expect(run.calls.filter((c) => /delete|port-forward/.test(c))).toEqual([]);
});

test.concurrent('a failed health check stops with status 9 and keeps old objects for a rollback', async () => {
  await setup();
  const scenario = healthyDev();
  const run = await deploy(['dev'], {
    ...scenario,
    forward: { ...scenario.forward, [GATEWAY_ENDPOINT.serviceName]: brokenGatewayPort },
    liveObjects: ['configmap/global-config-2222222222'],
  });
  expect(run.status).toBe(9);
  expect(run.stdout).toMatch(/health +LiteLLM gateway .* FAILED: HTTP\/1\.1 503 Service Unavailable/);
  expect(run.calls.filter((c) => / delete /.test(c))).toEqual([]);
});

test.concurrent(
  '--dry-run runs a server-side dry run and lists what would be pruned; --diff runs kubectl diff; neither changes anything',
  async () => {
    const [dry, same, changed] = await Promise.all([
      deploy(['dev', '--dry-run'], { context: 'suoke-dev', liveObjects: ['service/retired-service'] }),
      deploy(['dev', '--diff'], { context: 'suoke-dev', diffStatus: 0 }),
      deploy(['prod', '--diff'], { context: 'suoke-prod', diffStatus: 1 }),
    ]);
    expect(dry.status).toBe(0);
    expect(dry.calls.filter((c) => / apply /.test(c))).toEqual([
      expect.stringMatching(/ apply --server-side --field-manager=suoke-deploy --dry-run=server -f \S+00-baseline\.k8s\.yaml/),
    ]);
    expect(dry.stdout).toMatch(/service\/retired-service: would be deleted/);
    expect(dry.stderr).toMatch(/the workloads would not start without these Secrets/);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/no differences/);
    expect(changed.status).toBe(10);
    expect(changed.calls.filter((c) => / diff /.test(c))).toEqual([
      expect.stringMatching(
        /^--context suoke-prod --namespace suoke-life diff --server-side --field-manager=suoke-deploy .*-f \S+00-baseline\.k8s\.yaml/,
      ),
    ]);
    for (const run of [dry, same, changed]) {
      expect(run.calls.filter((c) => / (delete|rollout|create|port-forward) /.test(c) || / apply (?!.*--dry-run=server)/.test(c))).toEqual(
        [],
      );
    }
  },
);

test.concurrent(
  'in external-secrets mode, checks the operator and store first, then waits for every ExternalSecret after the apply',
  async () => {
    const [noCrd, notReady, ok] = await Promise.all([
      deploy(['prod', '--yes'], { ...prod(), noCrd: true }),
      deploy(['prod', '--yes'], { ...prod(), notReady: ['grafana-admin'] }),
      deployProdWithYes(),
    ]);
    expect(noCrd.status).toBe(3);
    expect(noCrd.stderr).toMatch(/: External Secrets Operator is not installed in context suoke-prod/);
    expect(notReady.status).toBe(6);
    expect(notReady.stdout).toMatch(/secret +externalsecret\/grafana-admin +FAILED: not Ready/);
    expect(ok.status).toBe(0);
    const waits = ok.calls.filter((c) => /wait --for=condition=Ready externalsecret\//.test(c));
    expect(waits).toHaveLength(requiredSecrets(loadEnvironment(CONFIG_DIR, 'prod')).length);
    expect(ok.calls.indexOf(waits[0])).toBeGreaterThan(ok.calls.findIndex((c) => / apply /.test(c)));
    expect(ok.calls.findIndex((c) => /rollout status/.test(c))).toBeGreaterThan(ok.calls.indexOf(waits[waits.length - 1]));
    expect(ok.calls.some((c) => /-f -$/.test(c))).toBe(false);
    expect(ok.calls.filter((c) => / --timeout=/.test(c)).every((c) => c.endsWith('--timeout=10m'))).toBe(true);
  },
);

// --- preflight: what the rendered objects need of the cluster, checked before anything is applied ---

/**
 * dev's synthetic manifests plus what needs something of the cluster: an autoscaler, claims with
 * and without a StorageClass, a NetworkPolicy and a custom resource of another operator.
 */
const PREFLIGHT_DIST = tmp('suoke-preflight-dist-');
async function writePreflightDist(): Promise<void> {
  await setup();
  const dir = path.join(PREFLIGHT_DIST, 'dev');
  fs.cpSync(path.join(DIST, 'dev'), dir, { recursive: true });
  const namespace = loadEnvironment(CONFIG_DIR, 'dev').settings.namespace.name;
  const meta = (name: string) => ({
    name,
    namespace,
    labels: { 'app.kubernetes.io/instance': instanceOf('dev'), 'app.kubernetes.io/part-of': PART_OF },
  });
  const objects = [
    { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('fixture-gateway'), spec: {} },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('fixture-db'),
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] },
    },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('fixture-backups'), spec: { storageClassName: 'fast' } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('fixture-deny'), spec: {} },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: meta('fixture-route'), spec: {} },
  ];
  fs.writeFileSync(path.join(dir, '25-prerequisites.k8s.yaml'), objects.map((o) => yaml.dump(o)).join('---\n'));
}
let preflightDist: Promise<void> | undefined;

/** A cluster with every prerequisite of the preflight manifests. */
const complete = (): Scenario => ({
  ...healthyDev(),
  crds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', served: ['v1'] }],
  storageClasses: [{ name: 'standard', isDefault: true }, { name: 'fast' }],
});
const preflight = async (scenario: Scenario, environment = 'dev') => {
  await (preflightDist ??= writePreflightDist());
  return deploy([environment, '--yes'], scenario, { env: { SUOKE_DIST_DIR: PREFLIGHT_DIST } });
};

test.concurrent('preflight: a complete cluster passes, with the NetworkPolicy warning, and each check says what it found', async () => {
  const run = await preflight(complete());
  expect(run.stderr).not.toMatch(/^error:/m);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/ok +Kubernetes v1\.30\.4 \(at least 1\.30\)/);
  expect(run.stdout).toMatch(/ok +CRD of HTTPRoute \(gateway\.networking\.k8s\.io\/v1\) served/);
  expect(run.stdout).toMatch(/ok +APIService v1beta1\.metrics\.k8s\.io Available/);
  expect(run.stdout).toMatch(/ok +default StorageClass standard \(StatefulSet fixture-db volume data\)/);
  expect(run.stdout).toMatch(/ok +StorageClass fast exists \(PersistentVolumeClaim fixture-backups\)/);
  expect(run.stderr).toMatch(/warning: 1 NetworkPolicies isolate the pods only where the network plugin \(CNI\) enforces them\n +fix: /);
});

test.concurrent('preflight: a cluster lacking each prerequisite in turn is refused with the fix, before anything is applied', async () => {
  const [old, noRoute, noMetrics, metricsDown, noDefault, noFast, all] = await Promise.all([
    preflight({ ...complete(), version: { major: '1', minor: '29', gitVersion: 'v1.29.8' } }),
    preflight({ ...complete(), crds: [] }),
    preflight({ ...complete(), noMetricsServer: true }),
    preflight({ ...complete(), metricsUnavailable: true }),
    preflight({ ...complete(), storageClasses: [{ name: 'fast' }] }),
    preflight({ ...complete(), storageClasses: [{ name: 'standard', isDefault: true }] }),
    preflight({
      ...complete(),
      version: { major: '1', minor: '28+', gitVersion: 'v1.28.3-gke.1' },
      crds: [],
      noMetricsServer: true,
      storageClasses: [],
    }),
  ]);
  for (const run of [old, noRoute, noMetrics, metricsDown, noDefault, noFast, all]) {
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/the cluster lacks \d+ prerequisite\(s\); nothing was applied/);
    expect(run.calls.filter((c) => / (apply|create|delete) /.test(c))).toEqual([]);
  }
  expect(old.stderr).toMatch(/error: the cluster runs Kubernetes v1\.29\.8, older than 1\.30, the oldest this platform supports/);
  expect(old.stderr).toMatch(/fix: upgrade the cluster to Kubernetes 1\.30 or newer/);
  expect(noRoute.stderr).toMatch(
    /: Gateway API is not installed in context suoke-dev \(no CRD serves HTTPRoute \(gateway\.networking\.k8s\.io\/v1\)\)/,
  );
  expect(noRoute.stderr).toMatch(/fix: install Gateway API v1\.6\.1 or newer/);
  expect(noMetrics.stderr).toMatch(
    /no APIService v1beta1\.metrics\.k8s\.io in context suoke-dev: metrics-server is not installed; HorizontalPodAutoscaler fixture-gateway/,
  );
  expect(noMetrics.stderr).toMatch(/fix: install metrics-server v0\.9\.0 or newer/);
  expect(metricsDown.stderr).toMatch(/APIService v1beta1\.metrics\.k8s\.io is not Available \(status False\)/);
  expect(noDefault.stderr).toMatch(/no default StorageClass in context suoke-dev, and StatefulSet fixture-db volume data name none/);
  expect(noDefault.stderr).toMatch(
    /fix: mark one default: kubectl --context suoke-dev annotate storageclass <name> storageclass\.kubernetes\.io\/is-default-class=true/,
  );
  expect(noFast.stderr).toMatch(/no StorageClass fast in context suoke-dev, which PersistentVolumeClaim fixture-backups ask for/);
  // Every problem at once, each with its fix.
  expect(all.stderr.match(/^error: /gm)).toHaveLength(6);
  expect(all.stderr.match(/^ +fix: /gm)!.length).toBeGreaterThanOrEqual(5);
});

test.concurrent("preflight in external-secrets mode: the operator's served version and the secret store", async () => {
  const [v1beta1Only, noStore] = await Promise.all([
    deploy(['prod', '--yes'], { ...prod(), crds: [{ group: 'external-secrets.io', kind: 'ExternalSecret', served: ['v1beta1'] }] }),
    deploy(['prod', '--yes'], { ...prod(), noStore: true }),
  ]);
  expect(v1beta1Only.status).toBe(3);
  expect(v1beta1Only.stderr).toMatch(
    /the cluster's CRD of ExternalSecret \(external-secrets\.io\) serves v1beta1, not v1, which dist\/ renders/,
  );
  expect(v1beta1Only.stderr).toMatch(/fix: upgrade to External Secrets Operator v0\.17\.0 or newer/);
  expect(noStore.status).toBe(3);
  expect(noStore.stderr).toMatch(/the ClusterSecretStore 'suoke-secret-manager' that the ExternalSecrets read from does not exist/);
  expect(noStore.calls).toContain('--context suoke-prod get clustersecretstore suoke-secret-manager -o name');
});
