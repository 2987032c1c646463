// ESLint: TypeScript's recommended rules, the rules of hooks, and the layering (import zones, as excalidraw keeps its
// packages apart). Formatting is Prettier's (eslint-config-prettier switches off the rules that would fight it).
// `src/architecture.test.ts` checks the same layering from the sources, and also that no two folders import each other.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Pure modules: no DOM, no app state; shared by the worklet, the workers, the CLI and Node scripts. */
const CORE = ['dsp', 'lib', 'share', 'reduce', 'dataset', 'analysis', 'embed'];
/** Browser and Node plumbing over the core: audio, workers, network, file intake, storage. */
const PLATFORM = ['audio', 'workers', 'net', 'intake', 'persist'];
const src = (folders) => folders.map((f) => `./src/${f}`);

/** import-x/no-restricted-paths zones: `target` may not import from `from`. */
const zones = [
  {
    target: './src/dsp',
    from: './src',
    except: ['./dsp'],
    message: 'dsp/ is pure and self-contained: it imports only dsp/.',
  },
  ...CORE.map((f) => ({
    target: `./src/${f}`,
    from: [...src(PLATFORM), ...src(['state', 'app', 'scatter', 'ui', 'devtools', 'main.tsx'])],
    message: 'The core (dsp, lib, share, reduce, dataset, analysis, embed) imports only the core.',
  })),
  ...PLATFORM.map((f) => ({
    target: `./src/${f}`,
    from: src(['app', 'scatter', 'ui', 'devtools', 'main.tsx']),
    message: 'The platform layer (audio, workers, net, intake, persist) never imports services, the 3D view or UI.',
  })),
  {
    target: './src/state',
    from: [...src(PLATFORM), ...src(['app', 'scatter', 'ui', 'devtools'])],
    message: 'Stores hold ids, counts and versions; they import only the core.',
  },
  {
    target: './src/scatter',
    from: [...src(PLATFORM), ...src(['state', 'app', 'ui', 'devtools'])],
    message: 'The 3D view imports only the core; services reach it through scatter/viewApi.ts.',
  },
  {
    target: './src/app',
    from: src(['ui', 'devtools', 'main.tsx']),
    message: 'Services never import UI or the test hooks.',
  },
  {
    target: './src/session',
    from: src(['ui', 'devtools', 'main.tsx']),
    message: 'The session never imports UI or the test hooks.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'public/',
      '.cache/',
      'scratch/',
      'test-results/',
      'playwright-report/',
      'src/embed/builtinModel.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node, ...globals.worker } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
    },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests may reach across layers for fixtures and reference files; the product may not.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/devtools/**', 'src/main.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/devtools/*', '!**/lib/devtools.ts'],
              message:
                'Only the composition root (ui/App.tsx) imports devtools/, behind DEVTOOLS, so a production build has no test hooks.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
