/**
 * `npm run test:integration`: runs the synthesized configs of dist/<env>/ in the real programs on
 * loopback (see "Integration tests" in README.md). Kept apart from jest.config.js, whose
 * `*.test.ts` pattern never matches `*.integration.ts`, so `npm test` starts no external program.
 * One file per environment; the environments run side by side. Three workers on two cores: the
 * files mostly wait on the programs (RedisDown's `for`), and test's file only loads Prometheus, so
 * it runs beside dev and prod instead of after them.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/integration'],
  testMatch: ['**/*.integration.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  maxWorkers: 3,
  testTimeout: 110000,
};
