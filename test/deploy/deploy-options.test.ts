import { deployUsage, readDeployOptions } from '../../lib/deploy/deploy-options';
import { DeployStop } from '../../lib/deploy/exit-codes';

const refusal = (argv: string[]) => {
  try {
    readDeployOptions(argv);
  } catch (error) {
    return error as DeployStop;
  }
  throw new Error('accepted');
};

test('reads the environment and the flags', () => {
  expect(readDeployOptions(['dev', '--dry-run', '-y', '--timeout=90s'])).toEqual({
    help: false,
    environment: 'dev',
    dryRun: true,
    diff: false,
    assumeYes: true,
    timeout: '90s',
  });
  expect(readDeployOptions(['--diff', 'prod', '--timeout', '1h30m'])).toMatchObject({ environment: 'prod', diff: true, timeout: '1h30m' });
  expect(readDeployOptions(['--help']).help).toBe(true);
});

test('usage errors stop with status 2 and say what is wrong', () => {
  expect(refusal([])).toMatchObject({ status: 2, messages: ['which environment? (see --help)'] });
  expect(refusal(['dev', 'prod']).messages[0]).toBe('one environment at a time: got dev and prod');
  expect(refusal(['dev', '--force']).messages[0]).toBe('unknown option --force (see --help)');
  expect(refusal(['dev', '--timeout']).messages[0]).toMatch(/--timeout needs a duration/);
  expect(refusal(['dev', '--timeout', '5 minutes']).messages[0]).toBe(
    '--timeout: expected a duration such as "30s", "5m" or "1h" (whole numbers with units ms, s, m, h, d, w or y); here units h, m, s only, at least 1s (kubectl\'s --timeout takes no d, w or y), found \'5 minutes\'',
  );
  expect(refusal(['dev', '--timeout', '1d']).messages[0]).toMatch(/takes no d, w or y\), found '1d'$/);
});

test('the usage lists the environments and every exit status', () => {
  const usage = deployUsage(['dev', 'prod']);
  expect(usage).toMatch(/environments \(from config\/\): dev prod/);
  for (let status = 0; status <= 10; status++) expect(usage).toMatch(new RegExp(`^ {2,3}${status} {2}\\S`, 'm'));
});
