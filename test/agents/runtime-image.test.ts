import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import {
  AGENT_RUNTIME_USER,
  parseDockerfile,
  parseRequirements,
  readRuntimeImageFiles,
  RUNTIME_IMAGE_DIR,
  RUNTIME_TAG_LABEL,
  runtimeImageProblems,
  type RuntimeImageFiles,
} from '../../lib/agents/runtime-image';
import { workflowAppName } from '../../lib/agents/workflow-runtime';
import { loadEnvironment } from '../../lib/registry';
import { ContractSet } from '../../lib/contracts/contract';
import { unknownKeyPaths } from '../../lib/contracts/key-patterns';
import { CONFIG_DIR, ENVIRONMENTS, findObject } from '../support/environments';

/**
 * The agent runtime image (images/agent-runtime/): its Dockerfile and requirements against the
 * PraisonAI contract and the pods, and the workflow that builds it.
 */
const ROOT = path.join(__dirname, '..', '..');
const files = readRuntimeImageFiles(ROOT);
const REPOSITORY = 'ghcr.io/suoke-life/suoke-agent-runtime';
const labelTag = parseDockerfile(files.dockerfile).labels[RUNTIME_TAG_LABEL];
const contract = ContractSet.load().forImage(REPOSITORY, labelTag);
const expectations = { contract, imageTag: labelTag, podUser: AGENT_RUNTIME_USER };

/** The problems of the image files after an edit of one of them. */
const problemsWith = (edit: Partial<RuntimeImageFiles>, overrides: Partial<typeof expectations> = {}) =>
  runtimeImageProblems({ ...files, ...edit }, { ...expectations, ...overrides });
const replaced = (text: string, from: string | RegExp, to: string) => {
  const out = text.replace(from, to);
  if (out === text) throw new Error(`the edit ${String(from)} changed nothing`);
  return out;
};

test('the image maps to PraisonAI 4.7.0 through the contract, by its own tag', () => {
  expect(labelTag).toMatch(/^4\.7\.0-r[0-9]+$/);
  expect(contract.data.version).toBe('4.7.0');
});

test('the Dockerfile and requirements are what the contract and the pods rely on', () => {
  expect(runtimeImageProblems(files, expectations)).toEqual([]);
});

// The shipped environments themselves (not fixture settings): each must run the image this
// repository builds, whatever tag config/ pins.
describe.each(ENVIRONMENTS)('the image %s runs', (env) => {
  const settings = loadEnvironment(CONFIG_DIR, env).settings;
  const image = settings.agents.runtime.image;

  test('is this build, and its praisonai pin is the version of the contract its tag maps to, run as the Dockerfile’s user', () => {
    const mapped = ContractSet.load().forImage(image.repository, image.tag);
    const podUsers = Object.keys(settings.agents.workflows).map(
      (id) => findObject(env, 'Deployment', workflowAppName(id)).spec.template.spec.securityContext.runAsUser,
    );
    expect(new Set(podUsers).size).toBe(1);
    expect(image.repository).toBe(REPOSITORY);
    expect(runtimeImageProblems(files, { contract: mapped, imageTag: image.tag, podUser: podUsers[0] })).toEqual([]);
    expect(parseRequirements(files.requirements).find((r) => r.name === 'praisonai')?.pinned).toBe(mapped.data.version);
  });
});

test('the Dockerfile is read as written: base, user, entrypoint, label and environment', () => {
  const facts = parseDockerfile(files.dockerfile);
  expect(facts.from).toBe('python:3.11.16-slim-bookworm');
  expect(facts.user).toBe(`${AGENT_RUNTIME_USER}:${AGENT_RUNTIME_USER}`);
  expect(facts.entrypoint).toEqual(['praisonai']);
  expect(facts.env).toMatchObject({ HOME: '/tmp', PRAISONAI_HOME: '/tmp/.praisonai', PRAISONAI_NO_UPDATE_CHECK: 'true' });
});

test('every requirement is pinned with ==, the praisonai packages to the versions the contract was read at', () => {
  const pins = Object.fromEntries(parseRequirements(files.requirements).map((r) => [r.name, r.pinned]));
  expect(pins).toEqual({
    praisonai: '4.7.0',
    praisonaiagents: '1.7.0',
    'praisonai-code': '0.1.0',
    'praisonai-bot': '0.1.0',
    'praisonai-train': '0.1.0',
    'praisonai-browser': '0.1.0',
    'praisonai-mcp': '0.1.0',
    'praisonai-sandbox': '0.1.0',
    'praisonai-deploy': '0.1.0',
    litellm: '1.83.14',
  });
});

describe('each check fails on a broken image', () => {
  const D = `${RUNTIME_IMAGE_DIR}/Dockerfile`;
  const R = `${RUNTIME_IMAGE_DIR}/requirements.txt`;

  test('a floating base image', () => {
    expect(problemsWith({ dockerfile: replaced(files.dockerfile, 'FROM python:3.11.16-slim-bookworm', 'FROM python:3.11-slim') })).toEqual([
      `${D}: FROM: expected a base image pinned to an exact version tag, such as python:3.11.16-slim-bookworm, found "python:3.11-slim"`,
    ]);
  });

  test('another exact base image than the contract names', () => {
    expect(
      problemsWith({ dockerfile: replaced(files.dockerfile, 'python:3.11.16-slim-bookworm', 'python:3.12.11-slim-bookworm') }),
    ).toEqual([
      `${D}: FROM: expected the base image of ${contract.title}'s runtimeImage facts (python:3.11.16-slim-bookworm), found "python:3.12.11-slim-bookworm"`,
    ]);
  });

  test('an unpinned or loosely pinned requirement', () => {
    const requirements = replaced(
      replaced(files.requirements, 'praisonai-sandbox==0.1.0', 'praisonai-sandbox>=0.1.0'),
      'litellm==1.83.14',
      'litellm',
    );
    expect(problemsWith({ requirements })).toEqual([
      `${R}: praisonai-sandbox>=0.1.0: expected a requirement pinned to one version with ==, found the specifier ">=0.1.0"`,
      `${R}: litellm: expected a requirement pinned to one version with ==, found no version`,
    ]);
  });

  test('praisonai pinned to another version than the contract the image maps to', () => {
    expect(problemsWith({ requirements: replaced(files.requirements, 'praisonai[api]==4.7.0', 'praisonai[api]==4.7.19') })).toEqual([
      `${R}: praisonai[api]==4.7.19: expected praisonai==4.7.0, the version ${contract.title} was read at, found ==4.7.19`,
    ]);
  });

  test('a sub-package missing or at another version', () => {
    const requirements = replaced(
      replaced(files.requirements, /^praisonai-code==0\.1\.0\n/m, ''),
      'praisonaiagents==1.7.0',
      'praisonaiagents==1.7.17',
    );
    expect(problemsWith({ requirements })).toEqual([
      `${R}: praisonaiagents==1.7.17: expected praisonaiagents==1.7.0, the version ${contract.title} was read at, found ==1.7.17`,
      `${R}: expected praisonai-code==0.1.0 (${contract.title}), found no requirement for praisonai-code`,
    ]);
  });

  test('the wrapper without the api extra', () => {
    expect(problemsWith({ requirements: replaced(files.requirements, 'praisonai[api]==4.7.0', 'praisonai==4.7.0') })).toEqual([
      `${R}: praisonai==4.7.0: expected praisonai with the api extra (fastapi and uvicorn, which serve agents imports), found extras []`,
    ]);
  });

  test('root, a named user, or another user than the pods run as', () => {
    const withUser = (user: string) => replaced(files.dockerfile, /^USER .*$/m, user);
    expect(problemsWith({ dockerfile: withUser('USER 0') })).toEqual([
      `${D}: USER: expected a numeric, non-root user (uid[:gid]) so runAsNonRoot can be verified, found "0"`,
    ]);
    expect(problemsWith({ dockerfile: withUser('USER agent') })).toEqual([
      `${D}: USER: expected a numeric, non-root user (uid[:gid]) so runAsNonRoot can be verified, found "agent"`,
    ]);
    expect(problemsWith({ dockerfile: withUser('') })).toEqual([
      `${D}: USER: expected a numeric, non-root user (uid[:gid]) so runAsNonRoot can be verified, found no USER (root)`,
    ]);
    expect(problemsWith({}, { podUser: 10002 })).toEqual([`${D}: USER: expected the user the pods run as (10002), found "10001:10001"`]);
  });

  test('another entrypoint', () => {
    expect(
      problemsWith({ dockerfile: replaced(files.dockerfile, 'ENTRYPOINT ["praisonai"]', 'ENTRYPOINT ["gunicorn", "api:app"]') }),
    ).toEqual([`${D}: ENTRYPOINT: expected ["praisonai"], found ["gunicorn","api:app"]`]);
  });

  test('a tag that config does not pin, or that the contract does not list', () => {
    expect(problemsWith({}, { imageTag: '4.7.0-r7' })).toEqual([
      `${D}: LABEL ${RUNTIME_TAG_LABEL}: expected the tag config pins (4.7.0-r7), found "${labelTag}"`,
    ]);
    const bumped = replaced(files.dockerfile, `${RUNTIME_TAG_LABEL}="${labelTag}"`, `${RUNTIME_TAG_LABEL}="4.7.0-r99"`);
    expect(problemsWith({ dockerfile: bumped }, { imageTag: '4.7.0-r99' })).toEqual([
      `${D}: LABEL ${RUNTIME_TAG_LABEL}: expected a tag ${contract.file} lists under tags (${contract.data.tags!.join(', ')}), found "4.7.0-r99"`,
    ]);
  });

  test('HOME or PRAISONAI_HOME outside the writable directory', () => {
    const dockerfile = replaced(
      replaced(files.dockerfile, 'HOME=/tmp \\', 'HOME=/root \\'),
      'PRAISONAI_HOME=/tmp/.praisonai',
      'PRAISONAI_HOME=/var/lib/praisonai',
    );
    expect(problemsWith({ dockerfile })).toEqual([
      `${D}: ENV HOME: expected a path under /tmp, the one writable directory, found "/root"`,
      `${D}: ENV PRAISONAI_HOME: expected a path under /tmp, the one writable directory, found "/var/lib/praisonai"`,
    ]);
  });
});

describe('the workflow that builds the image', () => {
  const workflow = yaml.load(fs.readFileSync(path.join(ROOT, '.github/workflows/agent-runtime-image.yml'), 'utf8')) as any;
  const steps: any[] = workflow.jobs.image.steps;
  const script = steps.map((s) => s.run ?? '').join('\n');

  test('pushes to the repository the contract covers, under the Dockerfile label, never overwriting a tag', () => {
    expect(workflow.env.IMAGE).toBe(REPOSITORY);
    expect(contract.data.images).toEqual([REPOSITORY]);
    expect(workflow.env.CONTEXT).toBe(RUNTIME_IMAGE_DIR);
    expect(script).toContain(RUNTIME_TAG_LABEL.replace(/\./g, '\\.'));
    expect(script).toMatch(/imagetools inspect "\$REF"[^\n]*\n[^\n]*\n[^\n]*exit 0/);
    const push = steps.find((s) => /^Push/.test(s.name));
    expect(push.if).toContain("github.ref == 'refs/heads/main'");
    expect(workflow.on.pull_request.paths).toContain(`${RUNTIME_IMAGE_DIR}/**`);
  });

  test('smoke-tests the image as the pods run it: read-only, /tmp writable, the pods’ user, the contract’s version string', () => {
    expect(script).toContain(`--read-only --tmpfs /tmp --user ${AGENT_RUNTIME_USER}:${AGENT_RUNTIME_USER}`);
    expect(script).toContain(`"${String(contract.fact('runtimeImage', 'versionFlag').output)}"`);
    expect(script).toContain('serve agents --file /etc/praisonai/smoke.yaml --host 0.0.0.0 --port 8000');
  });

  test('the smoke agents.yaml holds only keys PraisonAI 4.7.0 reads', () => {
    const smoke = yaml.load(fs.readFileSync(path.join(ROOT, RUNTIME_IMAGE_DIR, 'smoke', 'agents.yaml'), 'utf8'));
    expect(unknownKeyPaths(smoke, contract.keyPatterns('agentsYamlKeys'))).toEqual([]);
  });
});
