// Decision 013: each import boundary is a lint rule that fails. These lint fixture code, placed at real paths of
// the repository, with exactly the blocks eslint.config.js applies (eslint.boundaries.js), and check which rule
// reports it. The whole repository passing `npm run lint` shows the other half: today's code keeps the rules.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { boundaries } from '../eslint.boundaries.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser } },
    ...boundaries,
  ],
})

/** The rules that report `code` saved as `path` (relative to the repository; the file need not exist). */
async function reports(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  if (!result) throw new Error('ESLint returned no result')
  const fatal = result.messages.find((message) => message.fatal)
  if (fatal) throw new Error(`fixture does not parse: ${fatal.message}`)
  return result.messages.map((message) => message.ruleId ?? 'unknown')
}

describe('decision 013: the import boundaries fail npm run lint', () => {
  describe('an engine imports no HTTP framework, React, Prisma or app', () => {
    it.each([
      ['packages/sync-server/src/fixture.ts', "import express from 'express'"],
      ['packages/sync-server/src/fixture.ts', "import { Router } from 'express/lib/router'"],
      ['packages/sync-client/src/fixture.ts', "import { useState } from 'react'"],
      ['packages/sync-client/src/fixture.ts', "import { createRoot } from 'react-dom/client'"],
      ['packages/sync-server/src/fixture.ts', "import { PrismaPg } from '@prisma/adapter-pg'"],
      ['packages/sync-server/test/fixture.ts', "import { PrismaClient } from '@prisma/client'"],
      ['packages/sync-server/src/fixture.ts', "import { PrismaClient } from '@offline-sync/db'"],
      ['packages/sync-client/src/fixture.ts', "import '@offline-sync/web'"],
      ['packages/sync-server/test/fixture.ts', "import '@offline-sync/server'"],
    ])('%s: %s', async (path, code) => {
      expect(await reports(path, code)).toEqual(['no-restricted-imports'])
    })

    it('a relative path into an app is reported too', async () => {
      expect(
        await reports(
          'packages/sync-client/src/fixture.ts',
          "import { db } from '../../../apps/web/src/lib/db.ts'",
        ),
      ).toEqual(['import-x/no-relative-packages'])
    })

    it("the engines' database tests may use the Prisma package's test databases", async () => {
      const code = "import { createTestDatabase } from '@offline-sync/db/testing'"
      expect(await reports('packages/sync-server/test/fixture.ts', code)).toEqual([])
      expect(await reports('packages/sync-client/test/fixture.ts', code)).toEqual([])
    })

    it('an engine imports the protocol and its own files', async () => {
      const code =
        "import { companiesContacts } from '@offline-sync/sync-protocol'\nimport { run } from './sync-engine.ts'"
      expect(await reports('packages/sync-client/src/fixture.ts', code)).toEqual([])
    })
  })

  describe('the protocol imports zod and its own files only', () => {
    it.each([
      "import Dexie from 'dexie'",
      "import { createHash } from 'node:crypto'",
      "import { createServerDataSync } from '@offline-sync/sync-server'",
    ])('%s', async (code) => {
      expect(await reports('packages/sync-protocol/src/fixture.ts', code)).toEqual(['no-restricted-imports'])
    })

    it('zod, its subpaths and relative files pass', async () => {
      const code =
        "import { z } from 'zod'\nimport * as core from 'zod/v4/core'\nimport { LIMITS } from './codes.ts'"
      expect(await reports('packages/sync-protocol/src/fixture.ts', code)).toEqual([])
    })
  })

  describe('one web feature never imports another', () => {
    it('companies importing from contacts is reported', async () => {
      const code = "import { useContacts } from '../../contacts/api/use-contacts.ts'"
      expect(await reports('apps/web/src/features/companies/components/fixture.tsx', code)).toEqual([
        'import-x/no-restricted-paths',
      ])
    })

    it('a feature importing shared code or its own files passes', async () => {
      const code =
        "import { queries } from '../../../lib/db.ts'\nimport { useCompany } from '../api/use-company.ts'"
      expect(await reports('apps/web/src/features/companies/components/fixture.tsx', code)).toEqual([])
    })
  })

  describe("nothing imports another package's src/ or test/", () => {
    it('a deep import through the package name is reported', async () => {
      for (const code of [
        "import { createSyncEngine } from '@offline-sync/sync-client/src/sync-engine.ts'",
        "import { spec } from '@offline-sync/sync-client/test/helpers.ts'",
      ])
        expect(await reports('apps/server/test/fixture.ts', code)).toEqual(['no-restricted-imports'])
    })

    it('a relative path into another package is reported', async () => {
      for (const [path, code] of [
        [
          'apps/server/test/fixture.ts',
          "import { spec } from '../../../packages/sync-client/test/helpers.ts'",
        ],
        ['e2e/support/fixture.ts', "import { readConfig } from '../../apps/server/src/config.ts'"],
        ['load/fixture.ts', "import { createApp } from '../apps/server/src/create-app.ts'"],
      ] as const)
        expect(await reports(path, code)).toEqual(['import-x/no-relative-packages'])
    })

    it("a package's exports pass", async () => {
      const code = "import { createThrowawayDatabase } from '@offline-sync/test-support/throwaway-database'"
      expect(await reports('e2e/support/fixture.ts', code)).toEqual([])
    })
  })
})
