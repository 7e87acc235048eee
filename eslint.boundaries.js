// The import boundaries of decision 013 (issue 12.1), as ESLint flat-config blocks. eslint.config.js applies them
// to the repository; test/lint-boundaries.test.ts lints fixture code with exactly these blocks to show each one
// fails a wrong import.
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import importX, { createNodeResolver } from 'eslint-plugin-import-x'

const root = dirname(fileURLToPath(import.meta.url))

/** The web app's feature folders, read from disk so that a new feature is fenced in without editing this file. */
const features = readdirSync(join(root, 'apps/web/src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)

const code = ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs']

/** Another workspace package's internals: packages export through their package.json `exports` only. */
const deepImports = {
  group: ['@offline-sync/*/src', '@offline-sync/*/src/**', '@offline-sync/*/test', '@offline-sync/*/test/**'],
  message:
    "Another package's src/ or test/ is internal: import what its package.json `exports` offers (decision 013).",
}

/** What an engine must never import: it knows nothing of HTTP, React, Prisma or the apps (docs/architecture.md). */
const engineBans = [
  {
    group: ['express', 'express/**'],
    message: 'An engine knows nothing of HTTP frameworks: the app maps its results to HTTP (decision 013).',
  },
  {
    group: ['react', 'react/**', 'react-dom', 'react-dom/**'],
    message: 'An engine knows nothing of React: the web app wires it to the UI (decision 013).',
  },
  {
    group: ['@prisma/*', '@prisma/*/**'],
    message:
      'An engine reaches the database through its port (SqlDatabase, LocalStore), not Prisma (decision 013).',
  },
  {
    group: ['@offline-sync/server', '@offline-sync/server/**', '@offline-sync/web', '@offline-sync/web/**'],
    message: 'Dependencies flow protocol <- engines <- apps: an engine never imports an app (decision 013).',
  },
  deepImports,
]

export const boundaries = [
  {
    files: code,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver()] },
    rules: {
      // A relative path into another package (../../apps/web/src/...) bypasses its `exports`.
      'import-x/no-relative-packages': 'error',
      'no-restricted-imports': ['error', { patterns: [deepImports] }],
    },
  },
  {
    files: ['packages/sync-server/**', 'packages/sync-client/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: engineBans }] },
  },
  {
    // The engines' own source also stays off the Prisma package; their database tests use it to get a real SQL port.
    files: ['packages/sync-server/src/**', 'packages/sync-client/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...engineBans,
            {
              group: ['@offline-sync/db', '@offline-sync/db/**'],
              message:
                'An engine reaches the database through its port, not the Prisma package (decision 013).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/sync-protocol/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Anything but zod, zod's subpaths and the package's own files (relative paths).
              regex: '^(?!zod$|zod/|\\.{1,2}/)',
              message:
                'The protocol imports zod and its own files only: it runs unchanged in browsers and Node (decision 013).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/web/src/features/**'],
    rules: {
      // bulletproof-react's rule: a feature uses shared code (components, lib, config), never another feature;
      // what two features share moves down to lib/ or components/, and app/ composes the features.
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: features.map((feature) => ({
            target: `apps/web/src/features/${feature}`,
            from: 'apps/web/src/features',
            except: [`./${feature}`],
            message:
              'One web feature never imports another (decision 013): move what they share to lib/ or components/.',
          })),
        },
      ],
    },
  },
]
