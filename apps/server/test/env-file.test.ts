import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'
import { loadEnvFile } from '../src/env-file.ts'

const names = ['ENV_FILE_TEST_PORT', 'ENV_FILE_TEST_KEPT'] as const

describe('.env (issue 12.6): read when present, never over the environment', () => {
  afterEach(() => {
    for (const name of names) delete process.env[name]
  })

  it('reads the variables of an existing file; a variable already set keeps its value', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'env-file-')), '.env')
    writeFileSync(file, 'ENV_FILE_TEST_PORT=4123\nENV_FILE_TEST_KEPT=from-file\n')
    process.env.ENV_FILE_TEST_KEPT = 'from-environment'
    expect(loadEnvFile(file)).toBe(true)
    expect(process.env.ENV_FILE_TEST_PORT).toBe('4123')
    expect(process.env.ENV_FILE_TEST_KEPT).toBe('from-environment')
    expect(readConfig({ PORT: process.env.ENV_FILE_TEST_PORT }).port).toBe(4123)
  })

  it('a missing file is no error and changes nothing', () => {
    expect(loadEnvFile(join(tmpdir(), 'no-such-dir-for-env-file', '.env'))).toBe(false)
    expect(process.env.ENV_FILE_TEST_PORT).toBeUndefined()
  })

  it('.env.example parses, and the server starts from its values', () => {
    const example = parseEnv(readFileSync(join(import.meta.dirname, '../../../.env.example'), 'utf8'))
    expect(Object.keys(example).sort()).toEqual(['LOG_LEVEL', 'PORT'])
    const config = readConfig(example)
    expect(config.port).toBe(3000)
    expect(config.databaseUrl).toBeUndefined()
  })
})
