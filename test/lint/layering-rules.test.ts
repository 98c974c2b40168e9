import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The layering rules of `npm run lint` (.dependency-cruiser.cjs) fail on each kind of violation
 * they exist for, and pass a tree that keeps them: run against small fixture trees shaped like
 * lib/, and against the project itself.
 */

const ROOT = path.join(__dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

/** One broken rule, as dependency-cruiser reports it. */
interface Violation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
}

/** Runs the rules over `lib/` of a directory: the errors `npm run lint` would count, and each violation. */
function cruise(dir: string): { errors: number; violations: Violation[] } {
  const run = spawnSync(DEPCRUISE, ['lib', '--config', CONFIG, '--output-type', 'json'], { cwd: dir, encoding: 'utf8' });
  if (run.error) throw run.error;
  const result = JSON.parse(run.stdout) as {
    summary: { error: number; violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return {
    errors: result.summary.error,
    violations: result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
  };
}

/** The names of the rules broken, each once, sorted. */
const rulesOf = (violations: readonly Violation[]) => [...new Set(violations.map((v) => v.rule))].sort();

/** A fixture tree: file path → the modules it imports (relative specifiers). */
type Tree = Record<string, readonly string[]>;

/** Writes a tree of TypeScript files, each exporting a constant and importing its modules. */
function writeTree(tree: Tree): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-layering-'));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'Node16', moduleResolution: 'Node16', strict: true } }),
  );
  for (const [file, imports] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    const name = file.replace(/[^a-z]/gi, '_');
    fs.writeFileSync(
      path.join(dir, file),
      [
        ...imports.map((m, i) => `import * as m${i} from '${m}';`),
        `export const ${name} = [${imports.map((_, i) => `m${i}`).join(', ')}];`,
        '',
      ].join('\n'),
    );
  }
  return dir;
}

/** A tree that keeps every rule: the layers in order, and components that use each other's entries. */
const LAYERED: Tree = {
  'lib/config/fields.ts': [],
  'lib/contracts/contract.ts': ['../config/fields', '../platform/labels'],
  'lib/platform/labels.ts': ['../config/fields'],
  'lib/alpha/index.ts': ['./internal', '../platform/labels'],
  'lib/alpha/internal.ts': ['../config/fields'],
  'lib/beta/index.ts': ['../alpha', '../contracts/contract'],
  'lib/registry.ts': ['./alpha', './beta'],
  'lib/synth/render.ts': ['../registry', '../alpha/internal'],
};

test('a tree that keeps the layering passes', () => {
  expect(cruise(writeTree(LAYERED))).toEqual({ errors: 0, violations: [] });
});

/** A case: the tree, the rules it breaks, and the violation that shows the rule it is about. */
test.each<[string, Tree, string[], Violation]>([
  [
    // The issue's check: a component import added to lib/config. The component imports config
    // back, so the files and the folders form cycles too.
    'lib/config importing a component',
    { ...LAYERED, 'lib/config/fields.ts': ['../alpha'] },
    ['config-is-generic', 'no-circular', 'no-folder-cycles'],
    { rule: 'config-is-generic', from: 'lib/config/fields.ts', to: 'lib/alpha/index.ts' },
  ],
  [
    // The component imports platform back: the two folders form a cycle too.
    'lib/platform importing a component',
    { ...LAYERED, 'lib/platform/labels.ts': ['../config/fields', '../alpha/internal'] },
    ['no-folder-cycles', 'platform-imports-no-component'],
    { rule: 'platform-imports-no-component', from: 'lib/platform/labels.ts', to: 'lib/alpha/internal.ts' },
  ],
  [
    'lib/contracts importing a component',
    { ...LAYERED, 'lib/contracts/contract.ts': ['../config/fields', '../alpha'] },
    ['contracts-import-no-component'],
    { rule: 'contracts-import-no-component', from: 'lib/contracts/contract.ts', to: 'lib/alpha/index.ts' },
  ],
  [
    "a component importing another's internals",
    { ...LAYERED, 'lib/beta/index.ts': ['../alpha/internal'] },
    ['components-use-public-entries'],
    { rule: 'components-use-public-entries', from: 'lib/beta/index.ts', to: 'lib/alpha/internal.ts' },
  ],
  [
    'a component importing what is built on the registry',
    { ...LAYERED, 'lib/alpha/internal.ts': ['../synth/render'], 'lib/synth/render.ts': [] },
    ['components-below-registry'],
    { rule: 'components-below-registry', from: 'lib/alpha/internal.ts', to: 'lib/synth/render.ts' },
  ],
  [
    'a component importing the registry',
    { ...LAYERED, 'lib/alpha/internal.ts': ['../registry'], 'lib/registry.ts': [] },
    ['components-below-registry'],
    { rule: 'components-below-registry', from: 'lib/alpha/internal.ts', to: 'lib/registry.ts' },
  ],
  [
    'two component folders importing each other through different files (no cycle of files)',
    { ...LAYERED, 'lib/alpha/later.ts': ['../beta'] },
    ['no-folder-cycles'],
    { rule: 'no-folder-cycles', from: 'lib/alpha', to: 'lib/beta' },
  ],
  [
    'a cycle of files inside one folder',
    { ...LAYERED, 'lib/alpha/internal.ts': ['./index'] },
    ['no-circular'],
    { rule: 'no-circular', from: 'lib/alpha/index.ts', to: 'lib/alpha/internal.ts' },
  ],
])('%s fails the rules', (_, tree, rules, shown) => {
  const result = cruise(writeTree(tree));
  expect(rulesOf(result.violations)).toEqual(rules);
  expect(result.violations).toContainEqual(shown);
  expect(result.errors).toBe(result.violations.length);
});

test('`npm run lint` exits non-zero on a violation and names the rule', () => {
  const dir = writeTree({ ...LAYERED, 'lib/config/fields.ts': ['../platform/labels'] });
  const run = spawnSync(DEPCRUISE, ['lib', '--config', CONFIG], { cwd: dir, encoding: 'utf8' });
  expect(run.status).not.toBe(0);
  expect(run.stdout).toMatch(/error config-is-generic: lib\/config\/fields\.ts → lib\/platform\/labels\.ts/);
});

test('the project keeps every rule (what `npm run lint` checks)', () => {
  const run = spawnSync(DEPCRUISE, ['lib', 'scripts', 'main.ts', '--config', CONFIG], { cwd: ROOT, encoding: 'utf8' });
  expect({ status: run.status, output: run.stdout.trim().split('\n').slice(-1)[0] }).toEqual({
    status: 0,
    output: expect.stringMatching(/^✔ no dependency violations found/),
  });
});
