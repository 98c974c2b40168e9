import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, formatConfigIssue } from '../../lib/config/config-error';
import { synthesize } from '../../lib/synth/synth-cli';
import { problemsWith } from '../support/config-changes';
import { configCopy } from '../support/environments';

/** Synthesizes dev from a config copy with this dev.yaml quota; returns the problems and the output folder. */
function synthWithQuota(quota: Record<string, string | number>): { problems: string[]; out: string } {
  const dev = `namespace:\n  quota: ${JSON.stringify(quota)}\n`;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-quota-')), 'dist');
  try {
    synthesize({ configDir: configCopy({ 'dev.yaml': dev }), outDir: out, environments: ['dev'] });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { problems: error.issues.map((i) => formatConfigIssue({ ...i, file: path.basename(i.file) })), out };
  }
  return { problems: [], out };
}

describe('synthesis refuses a ResourceQuota that cannot hold the namespace at its peak', () => {
  test('each short field is named with what the peak needs; nothing is written', () => {
    const { problems, out } = synthWithQuota({ pods: 3, requestsMemory: '1Gi' });
    expect(problems).toEqual([
      expect.stringMatching(
        /^dev\.yaml: namespace\.quota\.requestsMemory: expected at least \d+(Mi|Gi): every workload at its autoscaler maximum, each Job once, plus one rolling-update surge pod of the largest, found 1Gi$/,
      ),
      expect.stringMatching(/^dev\.yaml: namespace\.quota\.pods: expected at least \d+: .*, found 3$/),
    ]);
    expect(fs.existsSync(out)).toBe(false);
  });

  test("the shipped dev quota holds: dev's synthesis passes", () => {
    expect(synthWithQuota({}).problems).toEqual([]);
  });

  test('config that loads may still be refused at synthesis (the check needs the rendered objects)', () => {
    expect(() => problemsWith({ merge: { 'dev.yaml': { namespace: { quota: { pods: 3 } } } } })).toThrow('expected a ConfigError');
  });
});
