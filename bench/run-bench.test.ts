import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseArgs, runBench } from './run-bench.ts'

// A smoke run of `npm run bench -- --quick`: checks what it writes, never how fast anything was.
describe('npm run bench --quick', () => {
  let dir: string | undefined
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it(
    'writes every target ratio under its fixed name, with the engine and the IndexedDB floor holding the same records',
    { timeout: 300_000 },
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'bench-'))
      const out = join(dir, 'bench-results.json')
      const { report } = await runBench({ ...parseArgs(['--quick', `--out=${out}`]), log: () => {} })
      const results = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>

      for (const name of [
        'applyVsFloor',
        'perRecordVsApply',
        'replaceVsIdbFloor',
        'noopFullVsDelta',
        'compression',
      ]) {
        expect(results[name], name).toBeTypeOf('number')
        expect(Number.isFinite(results[name]) && (results[name] as number) > 0, name).toBe(true)
      }
      const counts = results.clientCounts as Record<string, Record<string, Record<string, number>>>
      const c = counts['1x']
      expect(c?.engine).toEqual({ companies: 100, contacts: 1000 })
      expect(c?.floor).toEqual(c?.engine)
      expect(c?.bare).toEqual(c?.engine)
      expect(report).toContain('### Targets')
      // The CSV import ran through the app's import code and added every row (issue 15).
      expect(results.importCsv).toEqual([
        expect.objectContaining({ contacts: 1000, errors: 0, companies: 1000 }),
      ])
      expect(report).toContain('### CSV import (issue 15): 1,000 rows')
      // The list kept answering during the chunked full replace, and the wait was measured.
      const samples = results.samples as Record<string, { median: number }>
      expect(samples['client.1x.replace.longestRead']?.median).toBeGreaterThan(0)
      // The search bench ran on the device's data; both contenders find a common word and nothing for a miss.
      const search = results.search as {
        records: unknown
        oursFound: Record<string, number>
        miniFound: Record<string, number>
      }
      expect(search.records).toEqual({ companies: 100, contacts: 1000 })
      expect(search.oursFound['bakery']).toBeGreaterThan(0)
      expect(search.miniFound['bakery']).toBeGreaterThan(0)
      expect(search.oursFound['no such thing']).toBe(0)
      expect(search.miniFound['no such thing']).toBe(0)
      expect(report).toContain('## Search on the device')
    },
  )

  it('refuses an unknown option instead of silently running the long benchmark', () => {
    expect(() => parseArgs(['--quik'])).toThrow(/unknown option --quik/)
  })
})
