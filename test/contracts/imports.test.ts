import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * imports/ is what `cdk8s import` makes of the CRDs that cdk8s.yaml lists (the derived CRDs in
 * contracts/): a changed CRD without a re-import, or a hand edit of imports/, fails here.
 */
const ROOT = path.join(__dirname, '..', '..');

test('imports/ is what cdk8s import generates from the contract CRDs in cdk8s.yaml', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-imports-'));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', '--language', 'typescript', '--output', out], {
    cwd: ROOT,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    stdio: 'pipe',
  });
  const files = (dir: string) => fs.readdirSync(dir).sort();
  expect(files(out)).toEqual(files(path.join(ROOT, 'imports')));
  for (const file of files(out)) {
    expect({ file, text: fs.readFileSync(path.join(out, file), 'utf8') }).toEqual({ file, text: fs.readFileSync(path.join(ROOT, 'imports', file), 'utf8') });
  }
});
