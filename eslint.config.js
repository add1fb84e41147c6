// ESLint, configured once (flat config). `npm run lint` = eslint + prettier --check; formatting is Prettier's alone.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Layering (README, Layout): what a folder of src/ must not import. Relative imports only, so a regex suffices. */
const upward = {
  regex: String.raw`^(\.\./)+(commands(/|$)|main(\.js)?$)`,
  message: 'lower layers must not import src/commands or src/main: pass what they need in (deps, options).',
};
const commander = {
  regex: '^commander$',
  message: 'parsing flags is the job of src/commands: model and render take typed options.',
};
const kubeClient = {
  regex: String.raw`^(\.\./)+k8s/(client|index)(\.js)?$`,
  message:
    'render is pure (no I/O): it must not reach the KubeClient (src/k8s/client, or src/k8s/index that makes one).',
};
const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default defineConfig(
  globalIgnores(['dist/', 'coverage/', '.tmp/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names and rest siblings are how this code omits keys (`const { _n, ...rest } = o`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Every finding was String() of an `unknown` narrowed to `{}` (commander flag values, YAML scalars), where the
      // conversion is the point; objects in messages are still caught by restrict-template-expressions.
      '@typescript-eslint/no-base-to-string': 'off',
      // `async` without `await` is how Promise-returning interfaces are implemented here (a verb's run that throws,
      // fakes in tests); forgotten awaits are caught by no-floating-promises and no-misused-promises, still on.
      '@typescript-eslint/require-await': 'off',
      // Control characters in regexes are deliberate here (printable-text check of git output, ANSI escapes).
      'no-control-regex': 'off',
      // The recommended defaults, plus Node's global URL/URLSearchParams (typed by @types/node, not lib), whose
      // string form is the point (a query string).
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowAny: true,
          allowBoolean: true,
          allowNullish: true,
          allowNumber: true,
          allowRegExp: true,
          allow: [
            { name: ['Error', 'URL', 'URLSearchParams'], from: 'lib' },
            { name: ['URL', 'URLSearchParams'], from: 'package', package: 'url' },
          ],
        },
      ],
    },
  },
  {
    // Tests read CLI output and API objects as JSON.parse()/YAML `any` and check them with expect(): a wrong shape
    // fails the assertion at run time, so these `any` rules would only ask for casts that prove nothing.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Plain JS (bin shim, build scripts, this file) is outside tsconfig: no type information for it.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  layer(['src/k8s/**', 'src/ui/**', 'src/validate/**'], [upward]),
  layer(['src/model/**'], [upward, commander]),
  layer(['src/render/**'], [upward, commander, kubeClient]),
  {
    // bin/ is CommonJS (bin/package.json): an ES module entry would start Node's ESM loader, milliseconds of start-up.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
