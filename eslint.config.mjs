// ESLint flat config: typescript-eslint's recommended rules for the TypeScript sources.
// Formatting is Prettier's job (`npm run format:check`); ESLint looks for mistakes and long lines
// that Prettier does not break (comments, strings).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Code that reads synthesized manifests or loaded YAML, which are untyped JSON by nature. */
const MANIFEST_READERS = [
  'test/**/*.ts',
  'lib/policy/**/*.ts',
  'lib/platform/kube-object.ts',
  'lib/platform/pod-specs.ts',
  'lib/platform/platform-chart.ts',
  'lib/platform/component-descriptor.ts',
  'lib/contracts/container-usage.ts',
  'lib/agents/attribution-trace.ts',
];

export default tseslint.config(
  { ignores: ['build/**', 'dist/**', 'imports/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable' },
    },
  },
  { files: ['**/*.cjs', 'jest*.config.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: MANIFEST_READERS, rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
