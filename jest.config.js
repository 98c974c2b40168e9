/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Jest's default is cores - 1, which is one worker on the 2-core CI machine; the tests are mostly
  // CPU-bound rendering and external programs, so both cores pay off.
  maxWorkers: 2,
};
