import { isSecretKey, MASK, maskLeaf, maskLine, maskText } from '../../lib/review/masking';

test('secret-like keys are recognised by their last words, references are not', () => {
  for (const key of [
    'password',
    'GF_SECURITY_ADMIN_PASSWORD',
    'masterKey',
    'openai-api-key',
    'salt_key',
    'slack-webhook-url',
    'token',
    'client_secret',
  ]) {
    expect([key, isSecretKey(key)]).toEqual([key, true]);
  }
  for (const key of ['secretName', 'secretKeyRef', 'name', 'key', 'passwordFile', 'tokenPath', 'LOG_LEVEL']) {
    expect([key, isSecretKey(key)]).toEqual([key, false]);
  }
});

test('values under secret-like keys and in Secret data are masked; references and non-strings are not', () => {
  expect(maskLeaf('hunter2', { secretData: false, key: 'GF_SECURITY_ADMIN_PASSWORD' })).toBe(MASK);
  expect(maskLeaf('os.environ/LITELLM_MASTER_KEY', { secretData: false, key: 'master_key' })).toBe('os.environ/LITELLM_MASTER_KEY');
  expect(maskLeaf('grafana-admin', { secretData: false, key: 'ADMIN_SECRET', publicValues: new Set(['grafana-admin']) })).toBe(
    'grafana-admin',
  );
  expect(maskLeaf('anything', { secretData: true, key: 'LOG_LEVEL' })).toBe(MASK);
  expect(maskLeaf(false, { secretData: false, key: 'automountServiceAccountToken' })).toBe(false);
  expect(maskLeaf('INFO', { secretData: false, key: 'LOG_LEVEL' })).toBe('INFO');
});

test('credentials inside embedded config files are masked line by line', () => {
  const config = [
    'general_settings:',
    '  master_key: sk-1234567890abcdefghij',
    '  database_url: os.environ/DATABASE_URL',
    'url: postgresql://suoke:s3cr3t@postgres-service:5432/suoke_life',
    'auth_token = abc123',
    '"password": "swordfish",',
  ].join('\n');
  expect(maskText(config).split('\n')).toEqual([
    'general_settings:',
    `  master_key: ${MASK}`,
    '  database_url: os.environ/DATABASE_URL',
    `url: postgresql://suoke:${MASK}@postgres-service:5432/suoke_life`,
    `auth_token = ${MASK}`,
    `"password": ${MASK},`,
  ]);
  expect(
    maskLine('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'),
  ).toBe(`Authorization: Bearer ${MASK}`);
});
