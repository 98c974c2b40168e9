import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distMismatch } from '../support/dist-check';
import { ENVIRONMENTS, rendered } from '../support/environments';

/**
 * The snapshot is dist/ itself: each environment is rendered in memory and compared, byte for
 * byte, with the committed dist/<env>/. No second copy of the output is kept.
 */
const DIST = path.join(__dirname, '..', '..', 'dist');

describe.each(ENVIRONMENTS)('dist/%s is what the code and config render', (environment) => {
  test('every file, byte for byte', () => {
    const report = distMismatch(environment, rendered(environment).files, path.join(DIST, environment));
    if (report) throw new Error(report);
  });
});

test('a stale dist/ fails with the object-level change and the command that updates it', () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'suoke-dist-'));
  fs.cpSync(path.join(DIST, 'dev'), copy, { recursive: true });
  const file = path.join(copy, '00-baseline.k8s.yaml');
  fs.writeFileSync(
    file,
    fs.readFileSync(file, 'utf8').replace('pod-security.kubernetes.io/enforce: restricted', 'pod-security.kubernetes.io/enforce: baseline'),
  );
  const report = distMismatch('dev', rendered('dev').files, copy);
  expect(report).toContain('dist/dev/ is stale. Review the change below, then update it with: npm run synth');
  expect(report).toContain('== dev: 0 added, 0 removed, 0 renamed, 1 changed');
  expect(report).toMatch(
    /~ Namespace suoke-life-dev\n +metadata\.labels\["pod-security\.kubernetes\.io\/enforce"\]: "baseline" → "restricted"/,
  );
  expect(distMismatch('dev', rendered('dev').files, path.join(DIST, 'dev'))).toBeUndefined();
});
