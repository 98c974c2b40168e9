import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENVIRONMENTS, objectsOf, rendered } from '../support/environments';

/** Patterns of things that look like secret values. */
const SECRET_LIKE: readonly [string, RegExp][] = [
  ['OpenAI/LiteLLM-style key', /\bsk-[A-Za-z0-9_-]{8,}/],
  ['Anthropic key', /\bsk-ant-[A-Za-z0-9_-]{8,}/],
  ['Google API key', /\bAIza[0-9A-Za-z_-]{30,}/],
  ['PEM block', /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/],
  ['password literal', /\b(password|passwd|pwd|secret|token)[ \t]*[:=][ \t]*["']?(?!\$|os\.environ|\{\{|<)[^\s"',}]{4,}/i],
  ['URL with credentials', /[a-z]+:\/\/[^\s/:@]+:[^\s/@$]+@/i],
  ['known default password', /admin123|changeme|NoTaGrEaTpAsSwOrD/i],
];

function findSecrets(text: string): string[] {
  return SECRET_LIKE.filter(([, re]) => re.test(text)).map(([name]) => name);
}

describe.each(ENVIRONMENTS)('no secret values in %s', (env) => {
  test('no Secret object with data or stringData', () => {
    expect(objectsOf(env).filter((o) => o.kind === 'Secret' && (o.data || o.stringData))).toEqual([]);
  });
  test('nothing in the rendered output looks like a key or password', () => {
    const hits = rendered(env).files.flatMap((f) => findSecrets(f.content).map((what) => `${f.fileName}: ${what}`));
    expect(hits).toEqual([]);
  });
});

test('nothing committed in config/ or dist/ looks like a secret value', () => {
  const root = path.join(__dirname, '..', '..');
  const files = ['config', 'dist'].flatMap((d) =>
    (fs.readdirSync(path.join(root, d), { recursive: true }) as string[]).map((f) => path.join(root, d, f)),
  );
  const hits = files
    .filter((f) => fs.statSync(f).isFile())
    .flatMap((f) => findSecrets(fs.readFileSync(f, 'utf8')).map((w) => `${path.relative(root, f)}: ${w}`));
  expect(hits).toEqual([]);
});

test('the scan catches each kind of secret', () => {
  for (const sample of [
    'api_key: sk-abcdefgh12345678',
    '-----BEGIN RSA PRIVATE KEY-----',
    'password: hunter22',
    'postgresql://app:s3cret@db:5432/x',
    'admin123',
  ]) {
    expect(findSecrets(sample)).not.toEqual([]);
  }
  expect(findSecrets('password: os.environ/REDIS_PASSWORD')).toEqual([]);
});
