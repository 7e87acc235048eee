/**
 * The new-phone figures of one scale, and issue 16's targets for them. Printed as met/MISSED; never an exit code.
 */

/** Milliseconds from the sign-in answer (downloads) or from the tap on Sync (syncs); NaN when not reached. */
export interface NewPhoneFigures {
  scale: number
  companies: number
  contacts: number
  /** Sign-in: from the tap to the end of its answer (not part of the figures below). */
  signInMs: number
  first50Ms: number
  firstScreenMs: number
  allDataMs: number
  /** Growth of the server's resident memory (process tree) over its level before the download, at its peak. */
  serverPeakGrowthBytes: number
  /** Encoded bytes (gzip as sent, headers included) of the sync requests' answers during the download. */
  downloadWireBytes: number
  downloadRequests: number
  noopSyncMs: number
  editsSyncMs: number
  /** First upload of records made offline: from the tap on Sync until nothing is pending, and until all is stored. */
  upload: {
    companies: number
    contacts: number
    makeMs: number
    acknowledgedMs: number
    syncedMs: number
    wireUpBytes: number
    wireDownBytes: number
    requests: number
  }
  /** Load average (1 min) before and after this scale, as `uptime` shows it. */
  load: [number, number]
}

export interface TargetRow {
  what: string
  measured: string
  target: string
  verdict: 'met' | 'MISSED' | 'not comparable'
}

const MiB = 1024 * 1024

/** The targets, at 100× (10,000 companies + 100,000 contacts) on this machine. */
export const TARGETS = {
  first50Ms: 300,
  firstScreenMs: 1_000,
  allDataMs: 10_000,
  memoryGrowthBytes: 100 * MiB,
  /** Flat from 10× to 100×: the 100× growth exceeds the 10× growth by at most this much. */
  memoryFlatSlackBytes: 20 * MiB,
  /** 1,000 companies + 10,000 contacts made offline, until nothing is pending. */
  uploadMs: 4_000,
  uploadRecords: { companies: 1_000, contacts: 10_000 },
} as const

/** The scale the targets are set at. */
export const TARGET_SCALE = 100

const ms = (x: number) => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en')} ms` : '—')
const mib = (x: number) => (Number.isFinite(x) ? `${(x / MiB).toFixed(1)} MiB` : '—')

function verdict(value: number, limit: number, comparable: boolean): TargetRow['verdict'] {
  if (!comparable) return 'not comparable'
  return Number.isFinite(value) && value <= limit ? 'met' : 'MISSED'
}

/**
 * One row per target. Times and memory are judged at 100× only (other scales print "not comparable"); flatness
 * needs both 10× and 100×. A figure that was never reached (NaN) is MISSED, not skipped.
 */
export function judge(all: readonly NewPhoneFigures[]): TargetRow[] {
  const at = all.find((f) => f.scale === TARGET_SCALE)
  const ten = all.find((f) => f.scale === 10)
  const rows: TargetRow[] = []
  const timed = (what: string, value: number | undefined, limit: number) =>
    rows.push({
      what,
      measured: ms(value ?? Number.NaN),
      target: `≤ ${ms(limit)} at ${TARGET_SCALE}×`,
      verdict: verdict(value ?? Number.NaN, limit, at !== undefined),
    })
  timed('first 50 companies readable in IndexedDB', at?.first50Ms, TARGETS.first50Ms)
  timed("the app's first screen shows company rows", at?.firstScreenMs, TARGETS.firstScreenMs)
  timed('all data stored (download finished)', at?.allDataMs, TARGETS.allDataMs)
  rows.push({
    what: 'server peak memory growth during the download',
    measured: mib(at?.serverPeakGrowthBytes ?? Number.NaN),
    target: `≤ ${mib(TARGETS.memoryGrowthBytes)} at ${TARGET_SCALE}×`,
    verdict: verdict(at?.serverPeakGrowthBytes ?? Number.NaN, TARGETS.memoryGrowthBytes, at !== undefined),
  })
  const flatBy = at && ten ? at.serverPeakGrowthBytes - ten.serverPeakGrowthBytes : Number.NaN
  rows.push({
    what: 'server memory growth flat from 10× to 100×',
    measured: at && ten ? `${mib(ten.serverPeakGrowthBytes)} → ${mib(at.serverPeakGrowthBytes)}` : '—',
    target: `100× ≤ 10× + ${mib(TARGETS.memoryFlatSlackBytes)}`,
    verdict: verdict(flatBy, TARGETS.memoryFlatSlackBytes, at !== undefined && ten !== undefined),
  })
  const fullUpload =
    at !== undefined &&
    at.upload.companies === TARGETS.uploadRecords.companies &&
    at.upload.contacts === TARGETS.uploadRecords.contacts
  rows.push({
    what: `first upload of ${at?.upload.companies.toLocaleString('en') ?? '?'} companies + ${at?.upload.contacts.toLocaleString('en') ?? '?'} contacts made offline, until nothing is pending`,
    measured: ms(at?.upload.acknowledgedMs ?? Number.NaN),
    target: `≤ ${ms(TARGETS.uploadMs)} (1,000 + 10,000 at ${TARGET_SCALE}×)`,
    verdict: verdict(at?.upload.acknowledgedMs ?? Number.NaN, TARGETS.uploadMs, fullUpload),
  })
  return rows
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

/** The Markdown `npm run bench` prints for this section: the figures by scale, then the targets. */
export function newPhoneReport(all: readonly NewPhoneFigures[], header: string): string {
  const n = (x: number) => x.toLocaleString('en')
  const byScale = (label: string, cell: (f: NewPhoneFigures) => string) => [label, ...all.map(cell)]
  const figures = table(
    ['', ...all.map((f) => `${f.scale}× (${n(f.companies)} + ${n(f.contacts)})`)],
    [
      byScale(
        'load average (1 min) before / after',
        (f) => `${f.load[0].toFixed(2)} / ${f.load[1].toFixed(2)}`,
      ),
      byScale('sign-in (tap to answer; not counted below)', (f) => ms(f.signInMs)),
      byScale('first 50 companies readable in IndexedDB', (f) => ms(f.first50Ms)),
      byScale("app's first screen shows company rows", (f) => ms(f.firstScreenMs)),
      byScale('all data stored (download finished)', (f) => ms(f.allDataMs)),
      byScale('server peak memory growth (RSS, process tree)', (f) => mib(f.serverPeakGrowthBytes)),
      byScale(
        'bytes on the wire, download (encoded; sync requests)',
        (f) => `${mib(f.downloadWireBytes)} in ${f.downloadRequests}`,
      ),
      byScale('no-op sync afterwards (tap to applied)', (f) => ms(f.noopSyncMs)),
      byScale('sync after 10 edits on another device', (f) => ms(f.editsSyncMs)),
      byScale(
        'first upload: records made offline (import code)',
        (f) => `${n(f.upload.companies)} + ${n(f.upload.contacts)} in ${ms(f.upload.makeMs)}`,
      ),
      byScale('first upload: tap to nothing pending', (f) => ms(f.upload.acknowledgedMs)),
      byScale('first upload: tap to all data stored', (f) => ms(f.upload.syncedMs)),
      byScale(
        'first upload: bytes up / down (encoded), requests',
        (f) => `${mib(f.upload.wireUpBytes)} / ${mib(f.upload.wireDownBytes)}, ${f.upload.requests}`,
      ),
    ],
  )
  const targets = table(
    ['target (issue 16)', 'measured', 'target', ''],
    judge(all).map((r) => [r.what, r.measured, r.target, r.verdict]),
  )
  return [
    '## A new phone signs in (issue 16)',
    '',
    header,
    '',
    figures,
    '',
    'Times from the end of the sign-in answer (downloads) or from the tap on Sync (syncs), on the page clock; ' +
      'IndexedDB is polled every 20 ms. One run per scale.',
    '',
    targets,
  ].join('\n')
}
