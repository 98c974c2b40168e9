import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  MIGRATE_DATABASE_PY,
  REGISTER_AGENT_KEYS_PY,
  WAIT_FOR_DATABASE_PY,
  workflowKeyRegistrations,
} from '../../lib/gateway/gateway-scripts';
import { gatewayFixture } from '../support/fixture-settings';

/**
 * Runs the gateway's helper scripts with a real Python 3 (the LiteLLM image's interpreter is
 * Python 3 too) against a local TCP port and a fake gateway. Skipped with a message when python3
 * is missing locally; in CI (CI=true) a missing interpreter fails.
 */
const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
const available = probe.status === 0;
/** The interpreter itself (version-manager shims add most of a second per start). */
const PYTHON = available ? probe.stdout.trim() : 'python3';
if (!available && process.env.CI === 'true') throw new Error('python3 is not installed: run npm run setup');
if (!available) console.warn('SKIPPED test/gateway/gateway-scripts.test.ts: python3 is not installed');
const describeWithPython = available ? describe : describe.skip;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-gateway-scripts-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function scriptFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Runs python3 asynchronously (so servers in this process can answer it). */
function runPython(file: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [file], { env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/**
 * migrate_database.py against a stand-in for LiteLLM's `litellm_proxy_extras.utils` module: the
 * stand-in returns what `ProxyExtrasDBManager.setup_database(use_migrate=True)` returns in the
 * image (True on success, False after failed attempts) or raises, as the contract records.
 */
describeWithPython('migrate_database.py', () => {
  const script = scriptFile('migrate_database.py', MIGRATE_DATABASE_PY);
  const fakeModule = (outcome: string) => {
    const root = fs.mkdtempSync(path.join(dir, 'extras-'));
    fs.mkdirSync(path.join(root, 'litellm_proxy_extras'));
    fs.writeFileSync(path.join(root, 'litellm_proxy_extras', '__init__.py'), '');
    fs.writeFileSync(
      path.join(root, 'litellm_proxy_extras', 'utils.py'),
      `class ProxyExtrasDBManager:\n    @staticmethod\n    def setup_database(use_migrate=False):\n        assert use_migrate is True\n        ${outcome}\n`,
    );
    return root;
  };

  test('exits 0 when the migrations applied', async () => {
    const run = await runPython(script, { PYTHONPATH: fakeModule('return True') });
    expect(run).toEqual({ status: 0, output: 'migrate-database: migrations applied\n' });
  });

  test('exits 1 when LiteLLM reports failed migrations, which its own entry points would ignore', async () => {
    const run = await runPython(script, { PYTHONPATH: fakeModule('return False') });
    expect(run.status).toBe(1);
    expect(run.output).toContain("LiteLLM's migrations did not apply");
  });

  test('exits non-zero when the migration raises (an unwritable migrations directory, say)', async () => {
    const run = await runPython(script, { PYTHONPATH: fakeModule('raise OSError("Read-only file system")') });
    expect(run.status).toBe(1);
    expect(run.output).toContain('Read-only file system');
  });
});

describeWithPython('wait_for_database.py', () => {
  const script = scriptFile('wait_for_database.py', WAIT_FOR_DATABASE_PY);

  test('fails visibly when the database is unreachable, without printing the password', async () => {
    const server = net.createServer();
    const port = await listen(server);
    await new Promise((r) => server.close(r));
    const result = await runPython(script, { DATABASE_URL: `postgresql://litellm:s3cret-pw@127.0.0.1:${port}/litellm`, WAIT_SECONDS: '0' });
    expect(result.status).toBe(1);
    expect(result.output).toMatch(new RegExp(`wait-for-database: 127\\.0\\.0\\.1:${port} not reachable after \\d+ attempts`));
    expect(result.output).not.toContain('s3cret-pw');
  });

  test('returns once the database accepts connections', async () => {
    const server = net.createServer((socket) => socket.end());
    const port = await listen(server);
    const result = await runPython(script, { DATABASE_URL: `postgresql://litellm:pw@127.0.0.1:${port}/litellm`, WAIT_SECONDS: '5' });
    server.close();
    expect(result).toMatchObject({ status: 0 });
    expect(result.output).toContain(`wait-for-database: 127.0.0.1:${port} is reachable`);
  });
});

describeWithPython('register_agent_keys.py against a fake gateway', () => {
  const script = scriptFile('register_agent_keys.py', REGISTER_AGENT_KEYS_PY);
  // Three fixture workflows (not config/'s): the fake gateway knows only alpha_flow's key.
  const settings = gatewayFixture({ workflowKeys: { gamma_flow: { maxBudget: 56, budgetDuration: '30d' } } });
  const workflows = ['alpha_flow', 'beta_flow', 'gamma_flow'].map((id) => ({ id, models: [`agent-${id}-writer`] }));
  const registrations = workflowKeyRegistrations(settings, workflows);
  const keysFile = scriptFile('keys.json', JSON.stringify(registrations));
  const keyEnv = Object.fromEntries(registrations.map((r) => [r.keyEnv, `sk-${r.client}-test-key`]));

  /** A gateway that knows only alpha_flow's key; records each call. */
  async function fakeGateway() {
    const calls: { method: string; path: string; auth: string; body: any }[] = [];
    const server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        const body = text ? JSON.parse(text) : undefined;
        calls.push({ method: req.method!, path: req.url!, auth: req.headers.authorization ?? '', body });
        const known = body?.key === 'sk-alpha_flow-test-key';
        const status = req.url === '/health/readiness' || req.url === '/key/generate' || (req.url === '/key/update' && known) ? 200 : 404;
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify(status === 200 ? { ok: true } : { error: 'key not found' }));
      });
    });
    const port = await listen(server);
    return { calls, url: `http://127.0.0.1:${port}`, close: () => server.close() };
  }

  test('updates existing keys, creates missing ones, each with its alias (the workflow id) and budget', async () => {
    const gateway = await fakeGateway();
    const result = await runPython(script, {
      GATEWAY_URL: gateway.url,
      LITELLM_MASTER_KEY: 'sk-master-test',
      KEYS_FILE: keysFile,
      WAIT_SECONDS: '5',
      ...keyEnv,
    });
    gateway.close();
    expect(result.output).toContain('register-agent-keys: 3 gateway keys registered');
    expect(result.status).toBe(0);
    expect(gateway.calls.every((c) => c.auth === 'Bearer sk-master-test')).toBe(true);
    const generated = gateway.calls.filter((c) => c.path === '/key/generate').map((c) => c.body);
    expect(generated.map((b) => b.key_alias).sort()).toEqual(['beta_flow', 'gamma_flow']);
    expect(generated.find((b) => b.key_alias === 'beta_flow')).toMatchObject({
      key: 'sk-beta_flow-test-key',
      max_budget: 34,
      budget_duration: '1mo',
      rpm_limit: 9,
      models: ['agent-beta_flow-writer'],
      metadata: { workflow: 'beta_flow' },
    });
    expect(result.output).toContain('register-agent-keys: alpha_flow: updated (alias alpha_flow, budget 12 USD per 7d)');
  });

  test('fails when a key does not look like a LiteLLM key', async () => {
    const gateway = await fakeGateway();
    const result = await runPython(script, {
      GATEWAY_URL: gateway.url,
      LITELLM_MASTER_KEY: 'sk-master-test',
      KEYS_FILE: keysFile,
      WAIT_SECONDS: '5',
      ...keyEnv,
      [registrations[0].keyEnv]: 'plain-value',
    });
    gateway.close();
    expect(result.status).toBe(1);
    expect(result.output).toContain(
      `register-agent-keys: ${registrations[0].client}: ${registrations[0].keyEnv} must hold a key starting with sk-`,
    );
  });
});
