import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REDIS_ENDPOINT } from '../../lib/cache/redis-cache';
import { redisConfInput, redisMaxmemoryBytes, renderRedisAclScript, renderRedisConf } from '../../lib/cache/redis-conf';
import { redisFixture } from '../support/fixture-settings';

/**
 * Loads the rendered redis.conf and ACL into a real redis-server (Debian's 7.0 package, installed
 * by .ci/run) on a unix socket, and reads the effective values back with CONFIG GET. Skipped
 * with a message when redis-server is missing locally; in CI (CI=true) a missing binary fails.
 */
const available = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
if (!available && process.env.CI === 'true') {
  throw new Error("redis-server is not installed: run npm run setup (Debian's redis-server package)");
}
if (!available) {
  console.warn('SKIPPED test/cache/redis-server.test.ts: redis-server is not installed (apt-get install redis-server)');
}
const describeWithRedis = available ? describe : describe.skip;

const PASSWORDS = { gateway: 'gw-0123456789abcdef', exporter: 'ex-fedcba9876543210', admin: 'admin-test-only-4f2a' };

describeWithRedis('the rendered redis.conf in a real redis-server', () => {
  // Fixture settings (test/support/fixture-settings.ts), so the values below are this file's, not config/'s.
  const settings = redisFixture({ maxmemoryPercent: 70, maxmemoryPolicy: 'allkeys-lru', maxClients: 1234 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const aclFile = path.join(dir, 'users.acl');

  /** The rendered redis.conf with its path directives pointed at the temporary directory. */
  function localConf(extra = ''): string {
    const conf = renderRedisConf(redisConfInput(settings, REDIS_ENDPOINT.port))
      .replace(/^dir .*$/m, `dir ${dir}`)
      .replace(/^aclfile .*$/m, `aclfile ${aclFile}`);
    const file = path.join(dir, `redis${extra ? '-extra' : ''}.conf`);
    fs.writeFileSync(file, conf + extra);
    return file;
  }

  function cli(args: string[], auth: { user?: string; password: string }): SpawnSyncReturns<string> {
    const userArgs = auth.user ? ['--user', auth.user] : [];
    return spawnSync('redis-cli', ['-s', socket, ...userArgs, ...args], {
      encoding: 'utf8',
      env: { ...process.env, REDISCLI_AUTH: auth.password },
    });
  }
  const admin = { user: 'admin', password: PASSWORDS.admin };
  const configGet = (key: string) => cli(['CONFIG', 'GET', key], admin).stdout.split('\n')[1];

  beforeAll(() => {
    // The ACL file comes from the rendered script, run as the init container runs it.
    const acl = spawnSync('sh', ['-c', renderRedisAclScript(), 'write-acl.sh', aclFile], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, REDIS_PASSWORD: PASSWORDS.gateway, REDIS_EXPORTER_PASSWORD: PASSWORDS.exporter },
    });
    if (acl.status !== 0) throw new Error(`write-acl.sh failed: ${acl.stderr}`);
    // A test-only administrator, to read the configuration back.
    fs.appendFileSync(aclFile, `user admin on >${PASSWORDS.admin} ~* &* +@all\n`);
    const started = spawnSync(
      'redis-server',
      [
        localConf(),
        '--port',
        '0',
        '--unixsocket',
        socket,
        '--daemonize',
        'yes',
        '--pidfile',
        path.join(dir, 'redis.pid'),
        '--logfile',
        path.join(dir, 'redis.log'),
      ],
      { encoding: 'utf8' },
    );
    if (started.status !== 0) throw new Error(`redis-server refused the rendered config:\n${started.stdout}${started.stderr}`);
    for (let i = 0; i < 200 && !fs.existsSync(socket); i++) spawnSync('sleep', ['0.01']);
    if (!fs.existsSync(socket)) throw new Error(`redis-server did not start: ${fs.readFileSync(path.join(dir, 'redis.log'), 'utf8')}`);
  });

  afterAll(() => {
    if (fs.existsSync(socket)) cli(['SHUTDOWN', 'NOSAVE'], admin);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CONFIG GET returns the intended values', () => {
    expect(configGet('maxmemory')).toBe(String(redisMaxmemoryBytes(settings)));
    expect(redisMaxmemoryBytes(settings)).toBe(Math.floor((1024 ** 3 * 70) / 100)); // 70% of the fixture's 1Gi
    expect(configGet('maxmemory-policy')).toBe('allkeys-lru');
    expect(configGet('save')).toBe('');
    expect(configGet('appendonly')).toBe('no');
    expect(configGet('maxclients')).toBe('1234');
    expect(configGet('protected-mode')).toBe('yes');
    expect(configGet('lazyfree-lazy-eviction')).toBe('yes');
  });

  test('the probe command fails on a wrong password, where a plain ping does not', () => {
    const wrong = { password: 'not-the-password' };
    expect(cli(['-e', 'ping'], { password: PASSWORDS.gateway })).toMatchObject({ status: 0, stdout: 'PONG\n' });
    const plain = cli(['ping'], wrong);
    expect(plain.status).toBe(0); // the finding: redis-cli exits 0 on an auth error without -e
    expect(`${plain.stdout}${plain.stderr}`).toMatch(/WRONGPASS|NOAUTH/);
    expect(cli(['-e', 'ping'], wrong).status).not.toBe(0);
  });

  test('the gateway user caches but cannot administer or flush', () => {
    const gateway = { password: PASSWORDS.gateway };
    expect(cli(['SET', 'litellm.cache:k', 'v', 'EX', '60'], gateway).stdout.trim()).toBe('OK');
    expect(cli(['GET', 'litellm.cache:k'], gateway).stdout.trim()).toBe('v');
    expect(cli(['CONFIG', 'GET', 'maxmemory'], gateway).stdout).toMatch(/NOPERM/);
    expect(cli(['FLUSHALL'], gateway).stdout).toMatch(/NOPERM/);
  });

  test('the exporter user reads server state and nothing else', () => {
    const exporter = { user: 'exporter', password: PASSWORDS.exporter };
    expect(cli(['INFO', 'memory'], exporter).stdout).toMatch(/maxmemory:\d+/);
    expect(cli(['SET', 'x', '1'], exporter).stdout).toMatch(/NOPERM/);
    expect(cli(['GET', 'litellm.cache:k'], exporter).stdout).toMatch(/NOPERM/);
  });

  test('the exporter user may send what a scrape sends (contracts/redis-exporter redisCommands) and nothing that changes the server', () => {
    const dryRun = (command: string[]) => cli(['ACL', 'DRYRUN', 'exporter', ...command], admin).stdout.trim();
    // What redis_exporter v1.88.0 sends with our settings (set-client-name on, LATENCY HISTOGRAM excluded).
    for (const command of [
      ['CLIENT', 'SETNAME', 'redis_exporter'],
      ['INFO', 'ALL'],
      ['CONFIG', 'GET', '*'],
      ['LATENCY', 'LATEST'],
      ['SLOWLOG', 'LEN'],
      ['SLOWLOG', 'GET', '1'],
      ['PING'],
    ]) {
      expect([command.join(' '), dryRun(command)]).toEqual([command.join(' '), 'OK']);
    }
    // The rest of @connection, and anything that writes or administers, is refused.
    for (const command of [
      ['CLIENT', 'KILL', 'ID', '1'],
      ['CLIENT', 'PAUSE', '1'],
      ['CLIENT', 'NO-EVICT', 'on'],
      ['CONFIG', 'SET', 'maxmemory', '1'],
      ['LATENCY', 'RESET'],
      ['SLOWLOG', 'RESET'],
      ['SET', 'k', 'v'],
      ['LATENCY', 'HISTOGRAM'],
    ]) {
      expect([command.join(' '), dryRun(command)]).toEqual([
        command.join(' '),
        expect.stringMatching(/no permissions|not allowed|NOPERM/i),
      ]);
    }
  });

  test('a directive redis-server does not know is rejected (the check has teeth)', () => {
    const result = spawnSync(
      'redis-server',
      [localConf('\nnot-a-directive yes\n'), '--port', '0', '--daemonize', 'yes', '--logfile', path.join(dir, 'bad.log')],
      { encoding: 'utf8' },
    );
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Bad directive or wrong number of arguments/);
  });

  test('the ACL script refuses an empty password', () => {
    const result = spawnSync('sh', ['-c', renderRedisAclScript(), 'write-acl.sh', path.join(dir, 'empty.acl')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, REDIS_PASSWORD: '', REDIS_EXPORTER_PASSWORD: PASSWORDS.exporter },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('redis-acl: REDIS_PASSWORD is empty');
    expect(fs.existsSync(path.join(dir, 'empty.acl'))).toBe(false);
  });
});
