import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** The shell scripts and the kubectl test double pass shellcheck (installed by `npm run setup`; required when CI=true). */
const ROOT = path.join(__dirname, '..', '..');
const SCRIPTS = ['scripts/deploy.sh', 'scripts/setup.sh', '.ci/run', 'test/fixtures/kubectl-double/kubectl'];
const installed = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.CI === 'true';

(installed || required ? test : test.skip)(`shellcheck finds nothing in ${SCRIPTS.join(', ')}`, () => {
  if (!installed) throw new Error('shellcheck is not installed: apt-get install -y shellcheck (CI=true requires it)');
  const run = spawnSync('shellcheck', ['--shell=bash', '--severity=style', ...SCRIPTS], { cwd: ROOT, encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
});
