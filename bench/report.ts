/**
 * Turns the medians of one run into Markdown tables (printed, and pasted into docs/performance.md as they are).
 */
import type { Samples } from './measure.ts'
import type { Scales, Target, Ratios } from './ratios.ts'
import type { ApplyBreakdown } from './apply-bench.ts'
import { baseSizes, batchPlan } from './workload.ts'

export const fmtMs = (ms: number): string =>
  !Number.isFinite(ms) ? '—' : ms >= 100 ? `${Math.round(ms).toLocaleString('en')} ms` : `${ms.toFixed(1)} ms`

export const fmtBytes = (n: number): string =>
  !Number.isFinite(n)
    ? '—'
    : n >= 1024 * 1024
      ? `${(n / 1024 / 1024).toFixed(1)} MiB`
      : n >= 1024
        ? `${(n / 1024).toFixed(1)} KiB`
        : `${Math.round(n)} B`

export const fmtRatio = (r: number): string =>
  !Number.isFinite(r) ? '—' : r >= 100 ? `${Math.round(r).toLocaleString('en')}×` : `${r.toFixed(2)}×`

const n = (x: number) => x.toLocaleString('en')

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

export interface ReportInput {
  samples: Samples
  scales: Scales
  ratios: Ratios
  targets: Record<string, Target>
  withClient: boolean
  perRecordScales: number[]
  /** Scale label → one timed apply of ours and of the floor, statements slowest first. */
  breakdowns: Record<string, { ours: ApplyBreakdown; floor: ApplyBreakdown }>
  header: string
}

export function renderReport(input: ReportInput): string {
  const { samples: s, scales, ratios, targets, withClient } = input
  const m = (name: string) => s.median(name)
  const out: string[] = [input.header, '']

  const a = `apply.${scales.apply}x`
  const plan = batchPlan(scales.apply)
  const base = baseSizes(scales.apply)
  out.push(
    `### Apply: ${n(plan.addedCompanies)} companies + ${n(plan.addedContacts)} contacts added, ` +
      `${n(plan.modifiedCompanyIds.length + plan.modifiedContactIds.length)} modified, ` +
      `${n(plan.deletedCompanyIds.length + plan.deletedContactIds.length)} deleted ` +
      `(on ${n(base.companies)} companies / ${n(base.contacts)} contacts)`,
    '',
    table(
      ['contender', 'median', 'vs SQL floor'],
      [
        [
          'hand-written SQL floor (unnest, one statement per list, read all back)',
          fmtMs(m(`${a}.floor`)),
          '1.00×',
        ],
        [
          '**our ServerDataSync**, full mode (reads all back, like the seed)',
          fmtMs(m(`${a}.ours`)),
          fmtRatio(ratios.applyVsFloor),
        ],
        [
          'our ServerDataSync, delta mode (returns only what changed)',
          fmtMs(m(`${a}.oursDelta`)),
          fmtRatio(ratios.applyDeltaVsFloor),
        ],
        [
          'seed, literal: one Prisma call per record',
          fmtMs(m(`${a}.perRecord`)),
          fmtRatio(m(`${a}.perRecord`) / m(`${a}.floor`)),
        ],
        ['(request validation, zod, before the engine)', fmtMs(m(`${a}.parse`)), ''],
      ],
    ),
    '',
  )

  const r = `read.${scales.read}x`
  const rb = baseSizes(scales.read)
  const row = (label: string, k: string) => [
    label,
    fmtMs(m(`${r}.${k}.sync`)),
    fmtMs(m(`${r}.${k}.encode`)),
    fmtBytes(m(`${r}.${k}.bytes`)),
    `${fmtBytes(m(`${r}.${k}.gzipBytes`))} (${fmtMs(m(`${r}.${k}.gzipMs`))})`,
    `${fmtBytes(m(`${r}.${k}.brotliBytes`))} (${fmtMs(m(`${r}.${k}.brotliMs`))})`,
  ]
  out.push(
    `### Syncs that bring data down, on ${n(rb.companies)} companies / ${n(rb.contacts)} contacts (server side)`,
    '',
    table(
      ['sync', 'engine', 'JSON encode', 'raw', 'gzip (time)', 'brotli q4 (time)'],
      [
        row('no-op, full', 'noopFull'),
        row('no-op, delta', 'noopDelta'),
        row('after 10 edits elsewhere, full', 'editsFull'),
        row('after 10 edits elsewhere, delta', 'editsDelta'),
      ],
    ),
    '',
    `The other device's own 10-edit sync (delta mode): ${fmtMs(m(`${r}.editsWrite`))}.`,
    '',
  )

  if (withClient) {
    const c = `client.${scales.read}x`
    out.push(
      `### Client, Chromium headless: full sync of ${n(rb.companies)} + ${n(rb.contacts)} records into a device that holds them`,
      '',
      table(
        ['what', 'median', 'vs same-schema floor'],
        [
          [
            'bare IndexedDB, same stores and indexes: clear + put each record, one transaction',
            fmtMs(m(`${c}.floor.indexed`)),
            '1.00×',
          ],
          [
            'bare IndexedDB, stores without indexes',
            fmtMs(m(`${c}.floor.bare`)),
            fmtRatio(m(`${c}.floor.bare`) / m(`${c}.floor.indexed`)),
          ],
          [
            '**client engine sync()**, whole (collect, validate, replace in Dexie transactions of 2,000)',
            fmtMs(m(`${c}.replace.total`)),
            fmtRatio(ratios.replaceVsIdbFloor),
          ],
          ['… of which collect local changes', fmtMs(m(`${c}.replace.collect`)), ''],
          ['… of which validate the response (zod)', fmtMs(m(`${c}.replace.validate`)), ''],
          [
            '… of which the replace transaction',
            fmtMs(m(`${c}.replace.write`)),
            fmtRatio(ratios.replaceWriteVsIdbFloor),
          ],
          [
            'longest wait of the company list (first 50, read in a loop) during that sync',
            fmtMs(m(`${c}.replace.longestRead`)),
            '',
          ],
          ['(JSON.parse of the body, done by fetch before the engine)', fmtMs(m(`${c}.parse`)), ''],
          ['client engine sync() of the 10-edit delta response', fmtMs(m(`${c}.edits.total`)), ''],
          ['client engine sync() of the no-op delta response', fmtMs(m(`${c}.noop.total`)), ''],
        ],
      ),
      '',
    )
  }

  const growthRows = scales.all.map((scale) => {
    const g = (k: string) => m(`read.${scale}x.${k}`)
    const ap = (k: string) => m(`apply.${scale}x.${k}`)
    const b = baseSizes(scale)
    return [
      `${scale}× (${n(b.companies)} / ${n(b.contacts)})`,
      fmtMs(ap('ours')),
      fmtMs(ap('oursDelta')),
      fmtMs(ap('floor')),
      input.perRecordScales.includes(scale) ? fmtMs(ap('perRecord')) : 'not run',
      `${fmtMs(g('noopFull.server'))} / ${fmtBytes(g('noopFull.bytes'))}`,
      `${fmtMs(g('noopDelta.server'))} / ${fmtBytes(g('noopDelta.bytes'))}`,
      `${fmtMs(g('editsDelta.server'))} / ${fmtBytes(g('editsDelta.bytes'))}`,
      withClient
        ? `${fmtMs(m(`client.${scale}x.replace.total`))} / ${fmtMs(m(`client.${scale}x.floor.indexed`))}`
        : '—',
    ]
  })
  out.push(
    '### Growth (apply batch and data set both scale: 1× adds 100 companies + 1,000 contacts, modifies 100, deletes 50)',
    '',
    table(
      [
        'data (companies / contacts)',
        'apply, ours full',
        'apply, ours delta',
        'apply, SQL floor',
        'apply, seed per-record',
        'no-op full: server / bytes',
        'no-op delta',
        '10 edits, delta',
        'client replace / IDB floor',
      ],
      growthRows,
    ),
    '',
  )

  out.push(
    '### Targets',
    '',
    table(
      ['ratio', 'measured', 'target', ''],
      Object.entries(targets).map(([name, t]) => [
        `\`${name}\``,
        t.value < 10 ? `${t.value.toFixed(3)}×` : fmtRatio(t.value),
        t.target,
        Number.isFinite(t.value) ? (t.met ? 'met' : '**missed**') : 'not measured',
      ]),
    ),
    '',
  )

  for (const [label, { ours, floor }] of Object.entries(input.breakdowns)) {
    out.push(
      `### Where our apply spends its time (${label.replace('x', '×')}, full mode, one extra run per contender)`,
      '',
      `Ours: ${fmtMs(ours.totalMs)} in all, of which ${fmtMs(ours.sqlMs)} waiting for its ${ours.statements.length} ` +
        `statements; the rest is JavaScript (engine and Prisma). SQL floor: ${fmtMs(floor.totalMs)}, of which ` +
        `${fmtMs(floor.sqlMs)} in its ${floor.statements.length} statements.`,
      '',
      table(
        ['our statement (start)', 'calls', 'time', 'share of SQL'],
        ours.statements
          .slice(0, 8)
          .map((x) => [
            `\`${x.statement.replaceAll('|', '\\|')}…\``,
            String(x.calls),
            fmtMs(x.ms),
            `${((100 * x.ms) / ours.sqlMs).toFixed(0)} %`,
          ]),
      ),
      '',
    )
  }
  return out.join('\n')
}
