import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The construct-id convention (CONTRIBUTING.md, "Construct ids"): an id written in the code is
 * PascalCase and names the role of the child (`Deployment`, `NetworkPolicy`, `Config`); an id
 * that is data (a component, workflow, dashboard or secret name) is that name as written.
 * Ids do not reach the output: every object is named explicitly, so renaming an id never renames
 * an object.
 */
const LIB = path.join(__dirname, '../../lib');

/** Every `new Something(scope, '<literal id>'` in lib/ (the scope may be a call), with its file and line. */
function literalIds(): { file: string; line: number; id: string }[] {
  const found: { file: string; line: number; id: string }[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/new [A-Za-z0-9_.]+\(\s*(?:[^,()'[\]]|\([^()]*\))+,\s*'([^']*)'/g)) {
          found.push({ file: path.relative(LIB, full), line: text.slice(0, m.index).split('\n').length, id: m[1] });
        }
      }
    }
  };
  walk(LIB);
  return found;
}

describe('construct ids', () => {
  const ids = literalIds();

  test('the scan finds the ids written in lib/ (guards the pattern itself)', () => {
    expect(ids.length).toBeGreaterThan(30);
    expect(ids).toContainEqual(expect.objectContaining({ file: path.join('gateway', 'litellm-gateway.ts'), id: 'Deployment' }));
  });

  test('every id written in the code is PascalCase', () => {
    const offenders = ids.filter((i) => !/^[A-Z][A-Za-z0-9]*$/.test(i.id)).map((i) => `${i.file}:${i.line} '${i.id}'`);
    expect(offenders).toEqual([]);
  });
});
