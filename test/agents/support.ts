import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { WORKFLOWS_CONFIG_MAP } from '../../lib/agents/agent-orchestrator';
import type { KubeObject } from '../../lib/synth/render-environment';
import { CONFIG_DIR, objectsOf } from '../support/environments';

/** The workflows ConfigMap of an environment's render. */
export function workflowsConfigMap(objects: readonly KubeObject[]): KubeObject {
  const found = objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(`${WORKFLOWS_CONFIG_MAP}-`));
  if (found.length !== 1) throw new Error(`expected one ${WORKFLOWS_CONFIG_MAP} ConfigMap, found ${found.length}`);
  return found[0];
}

/** Every rendered agents.yaml of an environment, parsed, by file name. */
export function renderedAgentsFiles(environment: string): Record<string, any> {
  const data: Record<string, string> = workflowsConfigMap(objectsOf(environment)).data;
  return Object.fromEntries(Object.entries(data).map(([file, text]) => [file, yaml.load(text, { schema: yaml.CORE_SCHEMA })]));
}

/** base.yaml as data, to derive broken copies from. */
export function baseConfig(): any {
  return yaml.load(fs.readFileSync(path.join(CONFIG_DIR, 'base.yaml'), 'utf8'), { schema: yaml.CORE_SCHEMA });
}

/** base.yaml text after a change to its data. */
export function baseYamlWith(change: (base: any) => void): string {
  const base = baseConfig();
  change(base);
  return yaml.dump(base, { lineWidth: -1 });
}

/** One string PraisonAI formats, and the topic it formats it with. */
export interface FormatCase {
  readonly text: string;
  readonly topic: string;
}

/**
 * Runs Python's `str.format(topic=...)` (what PraisonAI does) over every case in one python3
 * process: each result is the formatted text, or the Python error.
 */
export function pythonFormat(cases: readonly FormatCase[]): ({ ok: string } | { error: string })[] {
  const script = [
    'import json, sys',
    'out = []',
    'for case in json.load(sys.stdin):',
    '    try:',
    '        out.append({"ok": case["text"].format(topic=case["topic"])})',
    '    except Exception as e:',
    '        out.append({"error": repr(e)})',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed (${run.error?.message ?? run.stderr})`);
  return JSON.parse(run.stdout);
}
