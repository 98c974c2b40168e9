import * as path from 'node:path';
import { readCommandLine, UsageError } from '../lib/cli/command-line';
import { ConfigError } from '../lib/config/config-error';
import { listEnvironments } from '../lib/config/load-environment';
import { loadEnvironment } from '../lib/registry';
import { describeEnvironment, DistProblem, renderAccessInfo, renderFactRecords } from '../lib/deploy/environment-facts';
import { ManifestError, readManifestDir } from '../lib/review/manifests';

// Tells scripts/deploy.sh what it needs about one environment, so bash never parses YAML.
// Facts come from config/ (validated by the schema) and from dist/<env>/ (what will be applied).

const USAGE = `usage: node build/describe.js <command> [--config <dir>] [--dist <dir>]
  environments    the environment names, one a line
  facts <env>     what scripts/deploy.sh needs, as tab-separated records (type first):
                    environment namespace context selector confirm timeout create-secrets
                    secrets-mode secret-store objects file prune-type keep-referenced
                    object rollout externalsecret secret create health namespace-manifest
                    access
  access <env>    port-forward commands, URLs and where each credential is stored
exit status: 0 ok, 1 invalid config or manifests, 2 usage error or unknown environment`;

function run(argv: readonly string[]): number {
  let configDir = 'config';
  let distDir = 'dist';
  const { positional, help } = readCommandLine(argv, {
    values: { '--config': (v) => (configDir = v), '--dist': (v) => (distDir = v) },
    positional: true,
  });
  if (help) {
    console.log(USAGE);
    return 0;
  }
  const [command, environment, ...extra] = positional;
  const available = listEnvironments(configDir);
  if (command === 'environments' && environment === undefined) {
    process.stdout.write(available.map((e) => `${e}\n`).join(''));
    return 0;
  }
  if ((command !== 'facts' && command !== 'access') || environment === undefined || extra.length > 0) {
    throw new UsageError(command === undefined ? 'a command is required' : `unknown command line: ${positional.join(' ')}`);
  }
  if (!available.includes(environment)) {
    throw new UsageError(`unknown environment "${environment}": ${configDir}/ defines ${available.join(', ') || 'none'}`);
  }
  const config = loadEnvironment(configDir, environment);
  const facts = describeEnvironment(config, readManifestDir(path.join(distDir, environment)));
  process.stdout.write(command === 'facts' ? renderFactRecords(facts) : renderAccessInfo(facts));
  return 0;
}

function main(): number {
  try {
    return run(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof DistProblem || error instanceof ManifestError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
