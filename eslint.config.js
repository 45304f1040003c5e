// Layering as in DESIGN.md: the folder says where code may run, and lint fails the build when a
// file reaches outside its layer. test/unit/architecture/boundaries.test.ts checks the same rules
// independently of ESLint's configuration.
import tseslint from 'typescript-eslint';

const electron = { group: ['electron', 'electron/*'], message: 'Only main/electron and preload may import electron.' };
const nodeBuiltins = { group: ['node:*'], message: 'The renderer runs in a browser sandbox: no Node built-ins.' };
const upward = (layer) => ({ group: ['**/main/*', '**/main/**', '../main/*'], message: `${layer} may not import from main/.` });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'test-results/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, nodeBuiltins, upward('common/')] }] },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [electron, { group: ['**/electron/**', '**/headless/**', '**/host/**', '**/renderer/**'], message: 'main/core is host-agnostic: hosts import the core, never the reverse.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, nodeBuiltins, upward('renderer/')] }] },
  },
  {
    // A sandboxed preload can require only electron: everything else is bundled from common/.
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          nodeBuiltins,
          upward('preload/'),
          { regex: '^(?!electron$|\\.{1,2}/)', message: 'preload/ imports only electron, common/ and its own files; the bundle is loaded by a sandboxed window.' },
        ],
      }],
    },
  },
  {
    // The build scripts run in plain Node; tests load main/electron's pure modules, never electron itself.
    files: ['scripts/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^electron(/|$)', message: electron.message }] }] },
  },
  {
    files: ['main/headless/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [electron, { group: ['**/electron/*', '**/electron/**'], message: 'The headless host runs without the desktop host: it never imports main/electron.' }],
      }],
    },
  },
  {
    files: ['main/host/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [electron, { group: ['**/electron/*', '**/electron/**', '**/headless/*', '**/headless/**'], message: 'main/host is what both hosts share: it imports neither of them.' }],
      }],
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/headless/*', '**/headless/**'], message: 'The desktop host does not depend on the CLI: what both need lives in main/host.' }],
      }],
    },
  },
);
