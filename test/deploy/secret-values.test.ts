import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { missingKeys, parseSecretListing } from '../../lib/deploy/secret-keys';
import { generateValue, readEnvFile, secretManifest } from '../../lib/deploy/secret-values';

test('generated values: 64 random hex digits, sk- for LiteLLM keys, admin- for a user name, never twice the same', () => {
  expect(generateValue('token')).toMatch(/^[0-9a-f]{64}$/);
  expect(generateValue('sk-token')).toMatch(/^sk-[0-9a-f]{64}$/);
  expect(generateValue('user-name')).toMatch(/^admin-[0-9a-f]{8}$/);
  expect(generateValue('token')).not.toBe(generateValue('token'));
});

test('a Secret manifest carries the values for stdin, in stringData', () => {
  expect(JSON.parse(secretManifest('s', 'ns', new Map([['k', 'v']])))).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    type: 'Opaque',
    stringData: { k: 'v' },
  });
});

test('.env lines: export and quotes allowed, comments and other lines ignored; a missing file is empty', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'env-')), '.env');
  expect(readEnvFile(file).size).toBe(0);
  fs.writeFileSync(file, '# comment\nexport A="x y"\nB=\'z\'\nC=plain\nnot a line\n');
  expect([...readEnvFile(file)]).toEqual([
    ['A', 'x y'],
    ['B', 'z'],
    ['C', 'plain'],
  ]);
});

test('missing keys: absent Secret, or a Secret that lacks the key', () => {
  const listing = parseSecretListing('present a b\nempty\n');
  const key = (secretName: string, k: string) => ({ secretName, key: k, credential: k, envVar: 'V', purpose: 'p', optional: false });
  expect(missingKeys([key('present', 'a'), key('present', 'c'), key('empty', 'x'), key('absent', 'y')], listing)).toEqual([
    { ...key('present', 'c'), secretExists: true },
    { ...key('empty', 'x'), secretExists: true },
    { ...key('absent', 'y'), secretExists: false },
  ]);
});
