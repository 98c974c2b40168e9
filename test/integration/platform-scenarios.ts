import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { LocalStack, postgresBin } from './harness/local-stack';
import { imageName } from './harness/one-machine';
import { podSpecOf } from './harness/rendered-manifests';
import {
  dashboardQueries,
  expandLabels,
  flagValue,
  gatewayRedisEnv,
  redisDirective,
  renderedRule,
  renderedRules,
  vectorSelectors,
  withGrafanaVariables,
} from './harness/rendered-facts';
import { metricCatalogue } from '../../lib/monitoring/contributions';
import { metricCoverage, scrapeJobNames, uncoveredReasons } from '../../lib/monitoring/coverage';
import { runCommand } from './harness/run-command';
import { ScenarioFailure, showAnswer, verify } from './harness/scenario-check';
import { CONTRIBUTIONS } from '../../lib/registry';

/** Scenario names; `npm run test:integration -- -t '<name>'` runs one alone. */
export const SCENARIOS = {
  data: '1. Data collection',
  alerting: '2. Alerting',
  cache: '3. Cache',
  backups: '4. Backups',
  reload: '5. Reload',
  coverage: '6. Monitoring coverage',
} as const;

/** Which scenarios an environment's file runs (all by default). */
export interface PlatformOptions {
  /**
   * Only these scenarios.
   * @default - every scenario
   */
  readonly only?: readonly (typeof SCENARIOS)[keyof typeof SCENARIOS][];
}

/** How long an alert with `for: 1m` may take from the failure to the receiver, with 1 s ticks. */
const ALERT_DEADLINE_MS = 95_000;

/**
 * The deployment checklist, proved against the real programs for one environment: each scenario
 * starts the programs it needs from the rendered files in `dist/<env>/`, asks them, and compares
 * their answers with what the rendered config says. Alerting runs last because it stops Redis.
 */
export function describePlatform(environment: string, options: PlatformOptions = {}): void {
  describe(environment, () => {
    const stack = new LocalStack(environment);
    /** A scenario's describe, or a skipped one when this file does not run it. */
    const scenario = (name: (typeof SCENARIOS)[keyof typeof SCENARIOS]) =>
      !options.only || options.only.includes(name) ? describe : describe.skip;

    afterAll(async () => {
      await stack.close();
    });

    scenario(SCENARIOS.data)(SCENARIOS.data, () => {
      const ctx = stack.context(SCENARIOS.data);
      beforeAll(async () => {
        await stack.need(
          ...(['redis-exporter', 'postgres-exporter', 'alertmanager', 'prometheus'] as const).filter((p) => stack.renders(p)),
        );
      });

      test('Prometheus scrapes the Redis and PostgreSQL exporters and itself, and every target is up', async () => {
        const expected = (['redis-exporter', 'postgres-exporter', 'prometheus'] as const)
          .filter((p) => stack.renders(p))
          .map((p) => `127.0.0.1:${stack.port(p)}`);
        const targets = await verify(ctx, {
          expected: `active targets including ${expected.join(', ')}, every one with health "up"`,
          programs: ['prometheus'],
          ask: async () =>
            ((await stack.http('prometheus', '/api/v1/targets?state=active')).json?.data?.activeTargets ?? []).map((t: any) => ({
              job: t.labels.job,
              address: t.labels.instance ?? t.discoveredLabels.__address__,
              scrapeUrl: t.scrapeUrl,
              health: t.health,
              lastError: t.lastError,
            })),
          holds: (ts: any[]) => expected.every((a) => ts.some((t) => t.scrapeUrl.includes(a))) && ts.every((t) => t.health === 'up'),
          withinMs: 15_000,
        });
        expect(targets.length).toBeGreaterThanOrEqual(expected.length);
      });

      test('the dashboards’ queries return data for every series that exists locally', async () => {
        const queries = dashboardQueries(stack.manifests);
        if (queries.length === 0)
          throw new ScenarioFailure(
            ctx,
            'dashboards (Grafana JSON in ConfigMaps) with PromQL queries',
            `dist/${environment}/ renders none`,
            [],
          );
        // A query is checkable when every series it selects exists here (the gateway and agents
        // do not run locally, so their series are absent).
        const exists = new Map<string, boolean>();
        const seriesExist = async (selector: string): Promise<boolean> => {
          if (!exists.has(selector)) {
            const answer = await stack.http(
              'prometheus',
              `/api/v1/series?match[]=${encodeURIComponent(selector)}&start=${Date.now() / 1000 - 300}`,
            );
            exists.set(selector, (answer.json?.data ?? []).length > 0);
          }
          return exists.get(selector)!;
        };
        const checkable: typeof queries = [];
        for (const q of queries) {
          const selectors = vectorSelectors(withGrafanaVariables(q.expr));
          if ((await Promise.all(selectors.map(seriesExist))).every(Boolean)) checkable.push(q);
        }
        const empty = await verify(ctx, {
          expected: `every dashboard query over local series (${checkable.length} of ${queries.length}) to return at least one sample`,
          programs: ['prometheus'],
          ask: async () => {
            const failing: string[] = [];
            for (const q of checkable) {
              const result = await stack.query(withGrafanaVariables(q.expr));
              if (result.length === 0) failing.push(`${q.dashboard} / ${q.panel}: ${q.expr} returned no data`);
            }
            return failing;
          },
          holds: (failing) => failing.length === 0,
          withinMs: 20_000,
          everyMs: 1000,
        });
        expect(empty).toEqual([]);
        // The exporters' own dashboards must be among the checked ones.
        const families = ['redis_', ...(stack.renders('postgres-exporter') ? ['pg_'] : [])];
        for (const family of families) expect(checkable.some((q) => q.expr.includes(family))).toBe(true);
      });

      test('PostgreSQL is read through the exporter’s own login: pg_up is 1, and that login is no superuser and cannot write', async () => {
        const exporter = stack.site('postgres-exporter').container;
        const env: any[] = exporter.env ?? [];
        const user: string = env.find((e) => e.name === 'DATA_SOURCE_USER')?.value;
        const ref = env.find((e) => e.name === 'DATA_SOURCE_PASS')?.valueFrom?.secretKeyRef;
        const password = ref ? stack.secrets.get(`${ref.name}/${ref.key}`) : undefined;
        if (!user || !password)
          throw new ScenarioFailure(ctx, 'the exporter to get DATA_SOURCE_USER and DATA_SOURCE_PASS (from a Secret)', showAnswer(env), []);
        const superuser = stack.renders('postgres') ? stack.container('postgres').env.POSTGRES_USER : undefined;
        expect(user).not.toBe(superuser);
        await verify(ctx, {
          expected: `pg_up is 1 (the exporter logs in as ${user})`,
          programs: ['prometheus', 'postgres-exporter'],
          ask: async () => (await stack.query('pg_up')).map((x) => x.value[1]),
          holds: (v) => v.length === 1 && v[0] === '1',
          withinMs: 15_000,
        });
        const database = stack.externalDatabase?.database ?? stack.container('postgres').env.POSTGRES_DB;
        const role = await verify(ctx, {
          expected: `${user} logs in, is no superuser and is a member of pg_monitor`,
          programs: ['postgres-exporter'],
          ask: async () => {
            const r = await stack.psqlAs(
              { user, password },
              database,
              `SELECT rolsuper, pg_has_role(current_user, 'pg_monitor', 'member') FROM pg_roles WHERE rolname = current_user`,
            );
            return `${r.stdout}${r.stderr}`.trim();
          },
          holds: (a) => a === 'f|t',
        });
        expect(role).toBe('f|t');
        await stack.psql(database, 'CREATE TABLE IF NOT EXISTS integration_spend (id int)');
        for (const sql of [
          'INSERT INTO integration_spend VALUES (1)',
          'CREATE TABLE integration_exporter (id int)',
          'CREATE ROLE integration_intruder',
        ]) {
          await verify(ctx, {
            expected: `${sql} as ${user} is refused`,
            programs: ['postgres-exporter'],
            ask: async () => {
              const r = await stack.psqlAs({ user, password }, database, sql);
              return { code: r.code, answer: `${r.stdout}${r.stderr}`.trim() };
            },
            holds: (a) => a.code !== 0 && /permission denied/.test(a.answer),
          });
        }
        if (stack.renders('postgres')) {
          // An existing cluster gets the login by running the same script once more: it must be idempotent.
          const again = await stack.rerunInitdbScript('monitoring-login.sh');
          await verify(ctx, {
            expected: 'monitoring-login.sh run a second time (an existing cluster’s one-off step) exits 0',
            programs: ['postgres'],
            ask: () => again,
            holds: (r) => r.code === 0,
          });
        }
      });
    });

    scenario(SCENARIOS.coverage)(SCENARIOS.coverage, () => {
      const ctx = stack.context(SCENARIOS.coverage);
      beforeAll(async () => {
        await stack.need('prometheus');
      });

      test('Prometheus loads the rendered config and every rule file; every series an alert or panel needs is scraped by a job of that config', async () => {
        // What Prometheus itself loaded: its config as it parsed it, and its rules after they ran once.
        const loaded = await verify(ctx, {
          expected: 'Prometheus serves the config it loaded',
          programs: ['prometheus'],
          ask: async () => (await stack.http('prometheus', '/api/v1/status/config')).json?.data?.yaml as string | undefined,
          holds: (y) => typeof y === 'string' && y.includes('scrape_configs'),
        });
        const renderedYml = stack.manifests.configFile('prometheus.yml').text;
        expect(scrapeJobNames(loaded!)).toEqual(scrapeJobNames(renderedYml));
        const rendered = renderedRules(stack.manifests)
          .map((r) => r.rule.alert)
          .sort();
        const rules = await verify(ctx, {
          expected: `every rendered alerting rule (${rendered.length}) loaded and evaluated without error`,
          programs: ['prometheus'],
          ask: async () =>
            ((await stack.http('prometheus', '/api/v1/rules?type=alert')).json?.data?.groups ?? []).flatMap((g: any) =>
              g.rules.map((r: any) => ({
                name: r.name as string,
                query: r.query as string,
                health: r.health as string,
                lastError: r.lastError as string | undefined,
              })),
            ),
          holds: (rs: { name: string; query: string; health: string }[]) =>
            JSON.stringify(rs.map((r) => r.name).sort()) === JSON.stringify(rendered) && rs.every((r) => r.health === 'ok'),
          withinMs: 15_000,
        });

        // The same coverage the plan renders by, derived from the config Prometheus loaded.
        const coverage = metricCoverage(loaded!, metricCatalogue(CONTRIBUTIONS), stack.settings);
        const needs = [
          ...rules.map((r: { name: string; query: string }) => ({ where: `alert ${r.name}`, expr: r.query })),
          ...dashboardQueries(stack.manifests).map((q) => ({ where: `${q.dashboard} / ${q.panel}`, expr: q.expr })),
        ];
        const uncovered = needs.flatMap(({ where, expr }) => uncoveredReasons(expr, coverage).map((reason) => `${where}: ${reason}`));
        if (uncovered.length > 0)
          throw new ScenarioFailure(
            ctx,
            'every series of every loaded alert and rendered panel scraped by a job of the loaded config',
            showAnswer(uncovered),
            ['prometheus'],
          );
        expect(needs.length).toBeGreaterThan(40);
        // The check has teeth against this very config: a job it does not have is reported.
        expect(uncoveredReasons('absent(up{job="not-a-job"} == 1)', coverage)).toEqual([
          'up{job="not-a-job"}: no scrape job "not-a-job" in prometheus.yml',
        ]);
      });
    });

    scenario(SCENARIOS.cache)(SCENARIOS.cache, () => {
      const ctx = stack.context(SCENARIOS.cache);
      let conf = '';
      beforeAll(async () => {
        await stack.need('redis');
        conf = stack.manifests.configFile('redis.conf').text;
      });

      test('the gateway’s credentials can SET and GET with a TTL', async () => {
        const ref = gatewayRedisEnv(stack.manifests);
        const password = stack.secrets.get(`${ref.passwordRef.name}/${ref.passwordRef.key}`)!;
        const auth = { user: ref.user ?? 'default', password };
        await verify(ctx, {
          expected: `SET with EX 120 as ${auth.user} answers OK`,
          programs: ['redis'],
          ask: async () => (await stack.redisCli(['SET', 'integration:cache', 'hit', 'EX', '120'], auth)).stdout.trim(),
          holds: (a) => a === 'OK',
        });
        await verify(ctx, {
          expected: 'GET returns the value',
          programs: ['redis'],
          ask: async () => (await stack.redisCli(['GET', 'integration:cache'], auth)).stdout.trim(),
          holds: (a) => a === 'hit',
        });
        const ttl = await verify(ctx, {
          expected: 'TTL between 1 and 120 seconds',
          programs: ['redis'],
          ask: async () => Number((await stack.redisCli(['TTL', 'integration:cache'], auth)).stdout.trim()),
          holds: (t) => t > 0 && t <= 120,
        });
        expect(ttl).toBeLessThanOrEqual(120);
      });

      test('the exporter’s credentials cannot write', async () => {
        const exporter = exporterAuth(stack);
        const answer = await verify(ctx, {
          expected: `SET as ${exporter.user} is refused with NOPERM`,
          programs: ['redis'],
          ask: async () => {
            const r = await stack.redisCli(['SET', 'integration:exporter', 'x'], exporter);
            return `${r.stdout}${r.stderr}`.trim();
          },
          holds: (a) => /NOPERM/.test(a),
        });
        expect(answer).toMatch(/NOPERM/);
      });

      test('unauthenticated access is refused', async () => {
        for (const command of [['PING'], ['GET', 'integration:cache'], ['SET', 'integration:anonymous', 'x']]) {
          await verify(ctx, {
            expected: `${command[0]} without credentials is refused (NOAUTH)`,
            programs: ['redis'],
            ask: async () => {
              const r = await stack.redisCli(command);
              return `${r.stdout}${r.stderr}`.trim();
            },
            holds: (a) => /NOAUTH|WRONGPASS/.test(a),
          });
        }
      });

      test('maxmemory, the eviction policy and maxclients are the rendered values', async () => {
        const exporter = exporterAuth(stack);
        for (const directive of ['maxmemory', 'maxmemory-policy', 'maxclients']) {
          const rendered = redisDirective(conf, directive);
          if (rendered === undefined)
            throw new ScenarioFailure(ctx, `redis.conf to set ${directive}`, 'the rendered redis.conf has no such directive', []);
          await verify(ctx, {
            expected: `CONFIG GET ${directive} = ${rendered} (as rendered)`,
            programs: ['redis'],
            ask: async () => (await stack.redisCli(['CONFIG', 'GET', directive], exporter)).stdout.trim().split('\n'),
            holds: (a) => a[0] === directive && a[1] === rendered,
          });
        }
      });
    });

    scenario(SCENARIOS.backups)(SCENARIOS.backups, () => {
      const ctx = stack.context(SCENARIOS.backups);
      const tables = { spend_logs: 250, verification_tokens: 4, budgets: 17 };

      if (!stack.renders('postgres') && (stack.settings as any).database?.mode === 'external') {
        test('the database is managed outside the cluster: no in-cluster PostgreSQL or backup job is rendered', () => {
          const dumpJobs = stack.manifests.all('CronJob').filter((c) => JSON.stringify(c).includes('pg_dump'));
          const postgresPods = stack.manifests
            .workloads()
            .filter((w) => podSpecOf(w).containers.some((c: any) => /^postgres(ql)?$/.test(imageName(c.image))) && w.kind !== 'CronJob');
          expect({ dumpJobs: dumpJobs.map((j) => j.metadata.name), postgresPods: postgresPods.map((w) => w.metadata.name) }).toEqual({
            dumpJobs: [],
            postgresPods: [],
          });
        });
        return;
      }

      beforeAll(async () => {
        await stack.need('postgres');
      });

      test('the backup job’s own command dumps the database, and the dump restores with the same row counts', async () => {
        const database = stack.container('postgres').env.POSTGRES_DB ?? stack.container('postgres').env.POSTGRES_USER ?? 'postgres';
        for (const [table, rows] of Object.entries(tables)) {
          await stack.psql(
            database,
            `CREATE TABLE ${table} (id serial PRIMARY KEY, note text NOT NULL, at timestamptz NOT NULL DEFAULT now()); INSERT INTO ${table} (note) SELECT 'row ' || g FROM generate_series(1, ${rows}) g;`,
          );
        }
        const job = backupCronJob(stack);
        const container = podSpecOf(job).containers[0];
        const run = await stack.runToCompletion(job, container.name);
        await verify(ctx, {
          expected: `the backup job (${job.metadata.name}: ${[...(container.command ?? []), ...(container.args ?? [])].join(' ')}) exits 0`,
          programs: ['postgres'],
          ask: () => ({ code: run.code, stdout: run.stdout.trim(), stderr: run.stderr.trim() }),
          holds: (a) => a.code === 0,
        });
        const backupDir = [...run.local.mounts.values()].find(
          (dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith('.dump')),
        );
        const dumps = backupDir ? fs.readdirSync(backupDir).filter((f) => f.endsWith('.dump')) : [];
        await verify(ctx, {
          expected: 'exactly one finished dump (*.dump) in the backup volume and no partial file',
          programs: ['postgres'],
          ask: () => (backupDir ? fs.readdirSync(backupDir) : []),
          holds: (files) => files.filter((f) => f.endsWith('.dump')).length === 1 && !files.some((f) => f.endsWith('.partial')),
        });

        await stack.psql('postgres', 'CREATE DATABASE restore_check');
        const restore = await runCommand(
          postgresBin('pg_restore'),
          [
            '--no-owner',
            '--exit-on-error',
            '-d',
            `postgresql://127.0.0.1:${stack.port('postgres')}/restore_check`,
            path.join(backupDir!, dumps[0]),
          ],
          {
            env: {
              PGUSER: database === 'postgres' ? 'postgres' : (stack.container('postgres').env.POSTGRES_USER ?? 'postgres'),
              PGPASSWORD: postgresPassword(stack),
            },
          },
        );
        await verify(ctx, {
          expected: 'pg_restore into a fresh database exits 0',
          programs: ['postgres'],
          ask: () => restore,
          holds: (r) => r.code === 0,
        });
        const counts = async (db: string) =>
          Object.fromEntries(
            await Promise.all(Object.keys(tables).map(async (t) => [t, Number(await stack.psql(db, `SELECT count(*) FROM ${t}`))])),
          );
        const restored = await verify(ctx, {
          expected: `row counts in the restored database equal the original ${JSON.stringify(tables)}`,
          programs: ['postgres'],
          ask: async () => ({ original: await counts(database), restored: await counts('restore_check') }),
          holds: (a) => JSON.stringify(a.original) === JSON.stringify(a.restored) && JSON.stringify(a.original) === JSON.stringify(tables),
        });
        expect(restored.restored).toEqual(tables);
      });
    });

    scenario(SCENARIOS.reload)(SCENARIOS.reload, () => {
      const ctx = stack.context(SCENARIOS.reload);
      beforeAll(async () => {
        await stack.need('prometheus');
      });

      test('a changed rule file is active after the reload the manifests use, without a restart', async () => {
        const startTime = await processStartTime(stack);
        const prometheus = stack.container('prometheus');
        const config = yaml.load(stack.manifests.configFile('prometheus.yml').text) as any;
        const ruleFile = prometheus.localPath((config.rule_files ?? [])[0] ?? '');
        if (!ruleFile || !fs.existsSync(ruleFile))
          throw new ScenarioFailure(ctx, 'prometheus.yml to load at least one rule file', `rule_files: ${showAnswer(config.rule_files)}`, [
            'prometheus',
          ]);
        const marker = Math.floor(Date.now() / 1000) % 100000;
        const rules = yaml.load(fs.readFileSync(ruleFile, 'utf8')) as any;
        rules.groups[0].rules.push({ record: 'integration:reload_marker', expr: `vector(${marker})` });
        // The kubelet replaces a ConfigMap volume's files in place; do the same.
        fs.writeFileSync(ruleFile, yaml.dump(rules, { lineWidth: -1 }));

        const how = await reloadPrometheus(stack);
        const value = await verify(ctx, {
          expected: `after ${how}, the new rule integration:reload_marker evaluates to ${marker}`,
          programs: ['prometheus'],
          ask: async () => (await stack.query('integration:reload_marker')).map((s) => Number(s.value[1])),
          holds: (v) => v.length === 1 && v[0] === marker,
          withinMs: 10_000,
        });
        expect(value).toEqual([marker]);
        await verify(ctx, {
          expected: 'prometheus_config_last_reload_successful is 1 and the process did not restart',
          programs: ['prometheus'],
          ask: async () => ({
            reloadOk: (await stack.query('prometheus_config_last_reload_successful'))[0]?.value[1],
            startTime: await processStartTime(stack),
            running: stack.supervisor.isRunning('prometheus'),
          }),
          holds: (a) => a.reloadOk === '1' && a.startTime === startTime && a.running,
        });
      });
    });

    scenario(SCENARIOS.alerting)(SCENARIOS.alerting, () => {
      const ctx = stack.context(SCENARIOS.alerting);
      beforeAll(async () => {
        await stack.need('redis-exporter', 'alertmanager', 'prometheus');
      });

      test('inhibition: a critical alert suppresses its warning', async () => {
        const config = yaml.load(stack.manifests.configFile('alertmanager.yml').text) as any;
        const rule = (config.inhibit_rules ?? []).find((r: any) =>
          JSON.stringify(r.source_matchers ?? r.source_match).includes('critical'),
        );
        if (!rule)
          throw new ScenarioFailure(ctx, 'an inhibit rule whose source is critical alerts', showAnswer(config.inhibit_rules ?? []), [
            'alertmanager',
          ]);
        const source = labelsFor(rule.source_matchers ?? rule.source_match);
        const target = labelsFor(rule.target_matchers ?? rule.target_match);
        const equal: string[] = rule.equal ?? [];
        const shared: Record<string, string> = {
          alertname: 'IntegrationInhibition',
          ...Object.fromEntries(equal.filter((l) => l !== 'alertname').map((l) => [l, `integration-${l}`])),
        };
        const elsewhere: Record<string, string> = equal.length ? { ...shared, [equal[equal.length - 1]]: 'somewhere-else' } : shared;
        const startsAt = new Date().toISOString();
        const alert = (kase: string, labels: Record<string, string>) => ({
          labels: { ...labels, integration_case: kase },
          annotations: { summary: 'integration inhibition check' },
          startsAt,
        });
        const posted = await stack.http('alertmanager', '/api/v2/alerts', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([
            alert('critical', { ...shared, ...source }),
            alert('warning', { ...shared, ...target }),
            // The same warning, differing in a label the rule wants equal: not inhibited.
            alert('warning-elsewhere', { ...elsewhere, ...target }),
          ]),
        });
        expect(posted.status).toBe(200);
        const states = await verify(ctx, {
          expected: `the warning suppressed and inhibited by the critical alert (equal: ${equal.join(', ') || 'none'}), the critical one active${equal.length ? ', the warning with a different ' + equal[equal.length - 1] + ' active' : ''}`,
          programs: ['alertmanager'],
          ask: async () =>
            Object.fromEntries(
              ((await stack.http('alertmanager', `/api/v2/alerts?filter=${encodeURIComponent('integration_case=~".+"')}`)).json ?? []).map(
                (a: any) => [a.labels.integration_case, { state: a.status.state, inhibitedBy: a.status.inhibitedBy.length }],
              ),
            ),
          holds: (s: any) =>
            s.critical?.state === 'active' &&
            s.warning?.state === 'suppressed' &&
            s.warning.inhibitedBy === 1 &&
            (equal.length === 0 || s['warning-elsewhere']?.state === 'active'),
          withinMs: 10_000,
        });
        expect(states.warning.state).toBe('suppressed');
      });

      test('Redis down: RedisDown fires in Prometheus, reaches Alertmanager and the configured receiver with its labels and annotations', async () => {
        const routing = routingSettings(stack);
        const { rule } = renderedRule(stack.manifests, 'RedisDown');
        await verify(ctx, {
          expected: 'redis_up is 1 before Redis is stopped',
          programs: ['prometheus', 'redis-exporter'],
          ask: async () => (await stack.query('redis_up')).map((s) => s.value[1]),
          holds: (v) => v.length === 1 && v[0] === '1',
          withinMs: 15_000,
        });
        await stack.stop('redis');
        const firing = await verify(ctx, {
          expected: `RedisDown firing in Prometheus (for: ${rule.for})`,
          programs: ['prometheus', 'redis-exporter'],
          ask: async () =>
            ((await stack.http('prometheus', '/api/v1/alerts')).json?.data?.alerts ?? []).filter(
              (a: any) => a.labels.alertname === 'RedisDown',
            ),
          holds: (as: any[]) => as.some((a) => a.state === 'firing'),
          withinMs: ALERT_DEADLINE_MS - 10_000,
          everyMs: 1000,
        });
        const labels: Record<string, string> = firing.find((a: any) => a.state === 'firing').labels;
        expect(labels).toMatchObject(rule.labels ?? {});
        // Critical alerts page on-call and also reach their component's receiver, if it has one.
        const component = rule.labels?.component ?? '';
        const expectedReceivers = [routing.critical, ...(routing.byComponent?.[component] ? [routing.byComponent[component]] : [])];
        const inAlertmanager = await verify(ctx, {
          expected: `Alertmanager holds RedisDown, routed to ${expectedReceivers.join(', ')}`,
          programs: ['alertmanager'],
          ask: async () =>
            ((await stack.http('alertmanager', '/api/v2/alerts?filter=alertname%3D%22RedisDown%22')).json ?? []).map((a: any) => ({
              receivers: a.receivers.map((r: any) => r.name),
              labels: a.labels,
              annotations: a.annotations,
            })),
          holds: (as: any[]) => as.length === 1 && [...as[0].receivers].sort().join() === [...expectedReceivers].sort().join(),
          withinMs: 10_000,
        });
        const expectedAnnotations = Object.fromEntries(
          Object.entries(rule.annotations ?? {}).map(([k, v]) => [k, expandLabels(v, labels)]),
        );
        expect(inAlertmanager[0].annotations).toEqual(expectedAnnotations);
        for (const receiver of expectedReceivers) {
          await expectDelivery(stack, ctx, 'RedisDown', receiver, 15_000, {
            labels: { ...rule.labels, alertname: 'RedisDown' },
            annotations: expectedAnnotations,
          });
        }
      });

      // After RedisDown: Prometheus re-sends a firing alert once a minute, so an always-firing
      // Watchdog that fired before Alertmanager was discovered reaches it by then.
      test('the Watchdog alert follows its route', async () => {
        const routing = routingSettings(stack);
        const rendered = renderedRules(stack.manifests).some((r) => r.rule.alert === 'Watchdog');
        const override = (stack.settings as any).monitoring?.alerts?.overrides?.Watchdog;
        if (!rendered && override?.enabled === false) {
          // Switched off for this environment: it must then not fire at all.
          const firing = await verify(ctx, {
            expected: 'no Watchdog alert (monitoring.alerts.overrides.Watchdog.enabled is false)',
            programs: ['prometheus', 'alertmanager'],
            ask: async () => ((await stack.http('alertmanager', '/api/v2/alerts?filter=alertname%3D%22Watchdog%22')).json ?? []).length,
            holds: (n) => n === 0,
          });
          expect(firing).toBe(0);
          return;
        }
        const receivers = await verify(ctx, {
          expected: `Alertmanager holds the Watchdog alert, routed to "${routing.watchdog}"`,
          programs: ['prometheus', 'alertmanager'],
          ask: async () =>
            ((await stack.http('alertmanager', '/api/v2/alerts?filter=alertname%3D%22Watchdog%22')).json ?? []).map((a: any) =>
              a.receivers.map((r: any) => r.name),
            ),
          holds: (rs: string[][]) => rs.length === 1 && rs[0].length === 1 && rs[0][0] === routing.watchdog,
          withinMs: 70_000,
          everyMs: 1000,
        });
        expect(receivers).toEqual([[routing.watchdog]]);
        await expectDelivery(stack, ctx, 'Watchdog', routing.watchdog, 10_000);
      });
    });
  });
}

/** The Redis user and password of the exporter sidecar, as its container gets them. */
function exporterAuth(stack: LocalStack): { user: string; password: string } {
  const site = stack.site('redis-exporter');
  const env: any[] = site.container.env ?? [];
  const user = env.find((e) => e.name === 'REDIS_USER')?.value ?? 'default';
  const ref = env.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef;
  const password = ref ? stack.secrets.get(`${ref.name}/${ref.key}`) : undefined;
  if (!password) throw new Error(`dist/${stack.environment}/: the Redis exporter gets no REDIS_PASSWORD from a Secret`);
  return { user, password };
}

/** The CronJob that dumps the database (its script or command runs pg_dump). */
function backupCronJob(stack: LocalStack) {
  const jobs = stack.manifests.all('CronJob').filter((job) => {
    const spec = podSpecOf(job);
    const volumes = JSON.stringify(spec.volumes ?? []);
    const scripts = stack.manifests.all('ConfigMap').filter((c) => volumes.includes(`"${c.metadata.name}"`));
    return (
      JSON.stringify(spec.containers).includes('pg_dump') ||
      scripts.some((c) => Object.values(c.data ?? {}).some((t) => t.includes('pg_dump')))
    );
  });
  if (jobs.length !== 1) {
    throw new Error(
      `dist/${stack.environment}/ renders ${jobs.length} CronJobs running pg_dump (${
        stack.manifests
          .all('CronJob')
          .map((j) => j.metadata.name)
          .join(', ') || 'no CronJobs'
      }); the backup scenario needs exactly one`,
    );
  }
  return jobs[0];
}

/** The password of the PostgreSQL superuser, as its container gets it. */
function postgresPassword(stack: LocalStack): string {
  const env = stack.container('postgres').env;
  return env.POSTGRES_PASSWORD ?? fs.readFileSync(env.POSTGRES_PASSWORD_FILE, 'utf8').trim();
}

/** Prometheus's own start time, as it reports it. */
async function processStartTime(stack: LocalStack): Promise<string | undefined> {
  const metrics = (await stack.http('prometheus', '/metrics')).text;
  return /^process_start_time_seconds (\S+)$/m.exec(metrics)?.[1];
}

/**
 * Reloads Prometheus the way the rendered pod does: through the config-reloader sidecar's
 * `--reload-url` (and `--reload-method`), else the lifecycle endpoint the manifests enable.
 */
async function reloadPrometheus(stack: LocalStack): Promise<string> {
  const site = stack.site('prometheus');
  const containers = podSpecOf(site.workload).containers;
  const reloader = containers.find((c: any) => /config-reloader|configmap-reload/.test(c.image));
  const prometheusArgs: string[] = [...(site.container.command ?? []), ...(site.container.args ?? [])];
  if (reloader) {
    const args: string[] = [...(reloader.command ?? []), ...(reloader.args ?? [])];
    if (flagValue(args, '--reload-method') === 'signal') {
      throw new Error('the reloader uses --reload-method=signal; the harness only emulates the HTTP method');
    }
    const url = flagValue(args, '--reload-url') ?? flagValue(args, '--webhook-url') ?? 'http://127.0.0.1:9090/-/reload';
    const local = url.replace(/^(https?:\/\/)(localhost|127\.0\.0\.1)(:9090)?/, `$1127.0.0.1:${stack.port('prometheus')}`);
    const answer = await fetch(local, { method: 'POST' });
    if (!answer.ok) throw new Error(`POST ${local} (the reloader's --reload-url ${url}) answered ${answer.status}: ${await answer.text()}`);
    return `the config reloader's POST ${url}`;
  }
  if (prometheusArgs.includes('--web.enable-lifecycle')) {
    const answer = await stack.http('prometheus', '/-/reload', { method: 'POST' });
    if (answer.status !== 200) throw new Error(`POST /-/reload answered ${answer.status}: ${answer.text}`);
    return 'POST /-/reload';
  }
  throw new Error(
    'the Prometheus pod has neither a config-reloader sidecar nor --web.enable-lifecycle: nothing reloads a changed ConfigMap',
  );
}

/** `monitoring.alertmanager.routing` of the environment: who should get what. */
function routingSettings(stack: LocalStack): { critical: string; watchdog: string; default: string; byComponent?: Record<string, string> } {
  const routing = (stack.settings as any).monitoring?.alertmanager?.routing;
  if (!routing)
    throw new Error(
      `config for ${stack.environment} has no monitoring.alertmanager.routing: the alerting scenario cannot tell which receiver should get an alert`,
    );
  return routing;
}

/** The sink names (credential ids) a receiver delivers to, from `monitoring.alertmanager.receivers`. */
function sinkNamesOf(stack: LocalStack, receiver: string): string[] {
  const receivers: any[] = (stack.settings as any).monitoring?.alertmanager?.receivers ?? [];
  const found = receivers.find((r) => r.name === receiver);
  return found ? [found.webhook?.urlCredential, found.slack?.urlCredential].filter(Boolean) : [];
}

/**
 * The receiver's local endpoint got a notification about `alertname` (with these labels and
 * annotations, when the payload carries them). A receiver with no endpoint (a blackhole) must get
 * nothing, and Alertmanager itself must say where it routed the alert.
 */
async function expectDelivery(
  stack: LocalStack,
  ctx: ReturnType<LocalStack['context']>,
  alertname: string,
  receiver: string,
  withinMs: number,
  expected?: { labels: Record<string, string>; annotations: Record<string, string> },
): Promise<void> {
  const sinks = sinkNamesOf(stack, receiver);
  const mentions = (body: any) => JSON.stringify(body).includes(alertname);
  if (sinks.length === 0) {
    // A receiver without integrations drops notifications: nothing may arrive anywhere.
    const elsewhere = stack.sink.received.filter((r) => mentions(r.body));
    if (elsewhere.length > 0)
      throw new ScenarioFailure(
        ctx,
        `${alertname} routed to "${receiver}" (no integrations) and delivered nowhere`,
        showAnswer(elsewhere),
        ['alertmanager'],
      );
    return;
  }
  const delivered = await verify(ctx, {
    expected: `a notification about ${alertname} at receiver "${receiver}" (${sinks.join(', ')})`,
    programs: ['alertmanager'],
    ask: () => sinks.flatMap((s) => stack.sink.to(s)).filter((r) => mentions(r.body)),
    holds: (rs) => rs.length > 0,
    withinMs,
  });
  const webhook = delivered.map((r) => r.body).find((b) => Array.isArray(b?.alerts));
  if (webhook && expected) {
    const alert = webhook.alerts.find((a: any) => a.labels.alertname === alertname);
    expect(webhook.receiver).toBe(receiver);
    expect(alert.status).toBe('firing');
    expect(alert.labels).toMatchObject(expected.labels);
    expect(alert.annotations).toEqual(expected.annotations);
  }
}

/** Labels that satisfy an inhibit rule's equality matchers (`a="b"` or a `match` map). */
function labelsFor(matchers: string[] | Record<string, string> | undefined): Record<string, string> {
  if (!matchers) return {};
  if (!Array.isArray(matchers)) return { ...matchers };
  const labels: Record<string, string> = {};
  for (const m of matchers) {
    const eq = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(m);
    if (!eq) throw new Error(`inhibit matcher ${m}: the harness only builds alerts for equality matchers`);
    labels[eq[1]] = eq[2];
  }
  return labels;
}
