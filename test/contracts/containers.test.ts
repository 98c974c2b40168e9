import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractSet } from '../../lib/contracts/contract';
import { containerUsages, type ContainerUsage } from '../../lib/contracts/container-usage';
import { ENVIRONMENTS, objectsOf } from '../support/environments';

/**
 * Every container against the contract of its image's pinned version: the flags it passes, the
 * environment variables it sets, the paths its probes call and the user it runs as must all be
 * facts of that version. A tag without a contract fails here and names the file to write.
 */
const contracts = ContractSet.load();
const IMAGES_DIR = path.join(__dirname, '..', '..', 'images');

/**
 * The user of an image this repository builds (images/<name>/Dockerfile, whose
 * `org.opencontainers.image.title` is the repository's last segment): its numeric USER.
 */
function ownImageUser(repository: string): number | undefined {
  for (const name of fs.existsSync(IMAGES_DIR) ? fs.readdirSync(IMAGES_DIR) : []) {
    const dockerfile = fs.readFileSync(path.join(IMAGES_DIR, name, 'Dockerfile'), 'utf8');
    const title = /org\.opencontainers\.image\.title="([^"]+)"/.exec(dockerfile)?.[1];
    if (title && repository.endsWith(`/${title}`)) return Number(/^USER ([0-9]+)/m.exec(dockerfile)?.[1]);
  }
  return undefined;
}

function problems(usage: ContainerUsage): string[] {
  let contract;
  try {
    contract = contracts.forImage(usage.repository, usage.tag);
  } catch (error) {
    return [`${usage.where}: ${(error as Error).message}`];
  }
  const where = `${usage.where} (${contract.title}, ${contract.file.replace(/^.*contracts\//, 'contracts/')})`;
  const found: string[] = [];
  for (const line of usage.unparsed) found.push(`${where}: a shell command line cannot be checked against the contract; run a script file instead: ${line}`);
  for (const flag of usage.flags) if (!contract.has('cliFlags', flag)) found.push(`${where}: flag ${flag} is not in cliFlags`);
  // A variable the program reads through an `os.environ/<NAME>` reference in its mounted config
  // counts when the contract records that reference syntax (enums.envReference).
  const referenced = contract.has('enums', 'envReference') ? [...usage.referencedEnv] : [];
  // Scripts of ours that the image itself runs from a directory it names (an init-scripts folder)
  // read their own variables: those count too.
  const runDirs = Object.values(contract.data.facts.image ?? {}).map((f) => f.value).filter((v): v is string => typeof v === 'string');
  const scriptVars = usage.configMounts
    .filter((m) => runDirs.includes(m.path))
    .flatMap((m) => m.files.flatMap((text) => [...text.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((x) => x[1])));
  referenced.push(...scriptVars);
  if (!usage.ownScript) {
    for (const name of usage.env) if (!contract.has('envVars', name) && !referenced.includes(name)) found.push(`${where}: environment variable ${name} is not in envVars`);
  }
  // Probes are GET requests; a contract may name a path with its method.
  for (const p of usage.httpPaths) if (!contract.has('httpPaths', p) && !contract.has('httpPaths', `GET ${p}`)) found.push(`${where}: probe path ${p} is not in httpPaths`);
  const uid = ownImageUser(usage.repository) ?? (contract.has('image', 'user') ? contract.fact('image', 'user').uid : undefined);
  if (usage.runAsUser !== uid) found.push(`${where}: runs as user ${usage.runAsUser}, but the image's user is ${uid}`);
  return found;
}

describe.each(ENVIRONMENTS)('containers against their contracts: %s', (environment) => {
  test('every flag, environment variable, probe path and user is a fact of the pinned version', () => {
    expect(containerUsages(objectsOf(environment)).flatMap(problems)).toEqual([]);
  });
});

describe('the container check', () => {
  const litellm = containerUsages(objectsOf('dev')).find((u) => u.where === 'Deployment/litellm-gateway: container litellm')!;

  test('names the contract to write when the image tag has none', () => {
    expect(problems({ ...litellm, tag: 'v9.9.9' })).toEqual([expect.stringMatching(/no contract for litellm v9\.9\.9: write contracts\/litellm\/v9\.9\.9\.yaml/)]);
  });

  test('rejects a flag, an environment variable and a probe path the version lacks', () => {
    const bad = { ...litellm, flags: [...litellm.flags, '--no-such-flag'], env: [...litellm.env, 'NO_SUCH_VARIABLE'], httpPaths: ['/healthz'] };
    expect(problems(bad)).toEqual([
      expect.stringContaining('flag --no-such-flag is not in cliFlags'),
      expect.stringContaining('environment variable NO_SUCH_VARIABLE is not in envVars'),
      expect.stringContaining('probe path /healthz is not in httpPaths'),
    ]);
  });

  test("rejects a user other than the image's own", () => {
    expect(problems({ ...litellm, runAsUser: 101 })).toEqual([expect.stringContaining('runs as user 101')]);
  });
});
