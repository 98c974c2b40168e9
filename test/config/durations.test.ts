import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { DURATION_EXPECTED, DURATION_PATTERN, duration, durationField, durationSeconds, secondsOf } from '../../lib/config/fields';
import { ENVIRONMENT_SCHEMA } from '../../lib/registry';
import { renderConfigJsonSchema } from '../../lib/config/json-schema';
import { renderEnvironment } from '../../lib/synth/synth-cli';
import { ContractSet } from '../../lib/contracts/contract';
import { litellmDuration } from '../../lib/gateway/config';
import { KUBECTL_DURATION_UNITS, kubectlDuration } from '../../lib/platform/platform-settings';
import { loadChanged, problemsWith } from '../support/config-changes';

/** A field name that says the field is a time span. */
const TIME_SPAN_NAME = /(timeout|wait|ttl|retention|cooldown|interval|duration|period|delay|seconds|minutes|hours|days)$/i;

interface JsonNode {
  type?: string | string[];
  pattern?: string;
  properties?: Record<string, JsonNode>;
  additionalProperties?: JsonNode | boolean;
  items?: JsonNode;
  anyOf?: JsonNode[];
  allOf?: JsonNode[];
}

/** Every named field of the generated JSON schema, as [dotted path, field name, schema]. */
function fieldsOf(node: JsonNode, at = ''): [string, string, JsonNode][] {
  const found: [string, string, JsonNode][] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    found.push([`${at}${name}`, name, child], ...fieldsOf(child, `${at}${name}.`));
  }
  if (typeof node.additionalProperties === 'object') found.push(...fieldsOf(node.additionalProperties, `${at}<name>.`));
  if (node.items) found.push(...fieldsOf(node.items, `${at}[n].`));
  for (const option of [...(node.anyOf ?? []), ...(node.allOf ?? [])]) found.push(...fieldsOf(option, at));
  return found;
}

const jsonSchema = JSON.parse(renderConfigJsonSchema(ENVIRONMENT_SCHEMA)) as JsonNode;
const timeSpans = fieldsOf(jsonSchema).filter(([, name]) => TIME_SPAN_NAME.test(name));

describe('every time span in the config is one duration type', () => {
  test('the schema has time spans, and each is a string of the one duration syntax', () => {
    expect(timeSpans.map(([at]) => at)).toEqual(
      expect.arrayContaining([
        'deploy.rolloutTimeout',
        'gateway.requestTimeout',
        'gateway.routing.cooldown',
        'database.inCluster.backup.retention',
      ]),
    );
    const types = new Set(timeSpans.map(([, , node]) => `${String(node.type)} ${node.pattern ?? '(no pattern)'}`));
    expect([...types]).toEqual([`string ${DURATION_PATTERN.source}`]);
  });

  test('no field counts seconds, minutes, hours or days in its name', () => {
    expect(timeSpans.map(([at]) => at).filter((at) => /(Seconds|Minutes|Hours|Days)$/.test(at))).toEqual([]);
  });

  test('the checked copy config/schema.json says the same', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../config/schema.json'), 'utf8');
    expect(committed).toBe(renderConfigJsonSchema(ENVIRONMENT_SCHEMA));
  });
});

describe('a duration that is not one', () => {
  test.each([
    [30, '30'],
    ['5 minutes', '"5 minutes"'],
  ])('%p is refused with file, field, expected and found', (value, found) => {
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { requestTimeout: value } } } })).toEqual([
      `dev.yaml: gateway.requestTimeout: expected ${DURATION_EXPECTED}; here units s, m, h, d only, at least 1s (LiteLLM reads whole seconds), found ${found}`,
    ]);
  });

  test('a unit the reading program does not take is refused, naming the program', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { deploy: { rolloutTimeout: '1d' } } } })).toEqual([
      `dev.yaml: deploy.rolloutTimeout: expected ${DURATION_EXPECTED}; here units h, m, s only, at least 1s (kubectl's --timeout takes no d, w or y), found "1d"`,
    ]);
  });

  test('a duration outside the range is refused; one within it is accepted', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { database: { inCluster: { backup: { retention: '12h' } } } } } })).toEqual([
      `dev.yaml: database.inCluster.backup.retention: expected ${DURATION_EXPECTED}; here units m, h, d, w only, between 1d and 3650d (pruned with find -mmin), found "12h"`,
    ]);
    const twoWeeks = loadChanged({ merge: { 'dev.yaml': { database: { inCluster: { backup: { retention: '2w' } } } } } });
    expect(twoWeeks.settings.database.inCluster?.backup.retention).toBe('2w');
  });

  test('a key under its old name points to the new one', () => {
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { cache: { ttlSeconds: 60 } } } } })).toEqual([
      expect.stringMatching(
        /^dev\.yaml: gateway\.cache\.ttlSeconds: expected one of the keys \[.*\] \(did you mean "ttl"\?\), found the unknown key "ttlSeconds"$/,
      ),
    ]);
    expect(problemsWith({ merge: { 'dev.yaml': { gateway: { spendStore: { batchWriteSeconds: 60 } } } } })).toEqual([
      expect.stringMatching(/\(did you mean "batchWriteInterval"\?\), found the unknown key "batchWriteSeconds"$/),
    ]);
  });
});

describe('durationField', () => {
  test('limits: one unit only', () => {
    const oneUnit = durationField({ singleUnit: true });
    expect(oneUnit.safeParse('30d').success).toBe(true);
    expect(oneUnit.safeParse('1h30m').success).toBe(false);
  });

  test('seconds of a duration', () => {
    expect(secondsOf('1h30m')).toBe(5400);
    expect(secondsOf('0s')).toBe(0);
    expect(secondsOf('500ms')).toBe(0.5);
    expect(secondsOf('1mo1m')).toBe(30 * 86400 + 60);
    expect(durationSeconds('500ms')).toBe(1);
  });
});

describe('the limits follow the reading programs (contracts)', () => {
  const contracts = ContractSet.load();

  test("kubectl's --timeout: only units Go's time.ParseDuration knows", () => {
    const goUnits = contracts.require('kubernetes', '1.30').values('kubectlFlags', 'goDurationUnits');
    expect(KUBECTL_DURATION_UNITS.filter((u) => !goUnits.includes(u))).toEqual([]);
    expect(goUnits).not.toContain('d');
    expect(kubectlDuration.safeParse('1h30m').success).toBe(true);
    expect(kubectlDuration.safeParse('2d').success).toBe(false);
    expect(kubectlDuration.safeParse('0s').success).toBe(false);
  });

  test('LiteLLM budget periods: one unit LiteLLM parses', () => {
    const litellmUnits = contracts.require('litellm', 'main-v1.81.0-stable').values('enums', 'durationUnits');
    for (const unit of litellmUnits) expect(litellmDuration.safeParse(`3${unit}`).success).toBe(true);
    expect(duration.safeParse('1mo').success).toBe(false);
    expect(litellmDuration.safeParse('1y').success).toBe(false);
    expect(litellmDuration.safeParse('1d12h').success).toBe(false);
  });
});

describe('renderers convert a duration to what each program reads', () => {
  const changed = renderEnvironment(
    loadChanged({
      merge: {
        'dev.yaml': {
          gateway: { cache: { ttl: '2h' }, routing: { cooldown: '1m30s' }, databaseWait: '5m' },
          database: { inCluster: { backup: { retention: '36h' } } },
        },
      },
    }),
  );
  const objects = changed.files.flatMap((f) => f.objects);
  const configMap = (prefix: string) => objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(prefix))!;

  test('LiteLLM: numbers of seconds', () => {
    const config = yaml.load(configMap('litellm-config-').data['config.yaml']) as any;
    expect(config.litellm_settings.cache_params.ttl).toBe(7200);
    expect(config.router_settings.cooldown_time).toBe(90);
  });

  test('the wait script: seconds; the backup: minutes for find -mmin', () => {
    const waits = objects.flatMap((o) => o.spec?.template?.spec?.initContainers ?? []).flatMap((c: any) => c.env ?? []);
    expect(waits).toContainEqual({ name: 'WAIT_SECONDS', value: '300' });
    expect(configMap('postgres-backup-').data['backup.sh']).toContain('-mmin +2160 ');
  });
});
