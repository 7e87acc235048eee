/**
 * The ratios the issue sets targets for, computed from the medians of one run. Names are fixed: other tools
 * read them from bench-results.json.
 */
import { ratio, type Samples } from './measure.ts'

export interface Scales {
  /** The scale whose apply batch is the (1,000 companies + 10,000 contacts…): 10, or 1 with --quick. */
  apply: number
  /** The scale of the full/no-op/small-change figures (10,000 companies / 100,000 contacts): 100, or 1 with --quick. */
  read: number
  /** Every scale measured, smallest first (growth). */
  all: number[]
}

export interface Target {
  /** What the issue asks, as text. */
  target: string
  value: number
  met: boolean
}

export function computeRatios(s: Samples, scales: Scales, withClient: boolean) {
  const a = `apply.${scales.apply}x`
  const r = `read.${scales.read}x`
  const c = `client.${scales.read}x`
  const smallest = `read.${scales.all[0]}x`
  const largest = `read.${scales.all[scales.all.length - 1]}x`
  const m = (name: string) => s.median(name)
  const ratios = {
    /** Our apply (full read-back, like the seed) ÷ the hand-written SQL floor. Target ≤ 1.5. */
    applyVsFloor: ratio(m(`${a}.ours`), m(`${a}.floor`)),
    /** The seed's per-record algorithm ÷ our apply. Target ≥ 20. */
    perRecordVsApply: ratio(m(`${a}.perRecord`), m(`${a}.ours`)),
    /** The client engine's whole full sync (collect, validate, replace) ÷ bare IndexedDB writes of the same records into the same schema. Target ≤ 1.5. */
    replaceVsIdbFloor: withClient ? ratio(m(`${c}.replace.total`), m(`${c}.floor.indexed`)) : Number.NaN,
    /** Server time (engine + JSON) of a no-op full sync ÷ a no-op delta sync. Target ≥ 100. */
    noopFullVsDelta: ratio(m(`${r}.noopFull.server`), m(`${r}.noopDelta.server`)),
    /** Raw JSON bytes ÷ gzip bytes of the full sync. Target ≥ 4. */
    compression: ratio(m(`${r}.noopFull.bytes`), m(`${r}.noopFull.gzipBytes`)),

    // Further figures behind the targets.
    noopFullVsDeltaBytes: ratio(m(`${r}.noopFull.bytes`), m(`${r}.noopDelta.bytes`)),
    smallChangeFullVsDelta: ratio(m(`${r}.editsFull.server`), m(`${r}.editsDelta.server`)),
    smallChangeFullVsDeltaBytes: ratio(m(`${r}.editsFull.bytes`), m(`${r}.editsDelta.bytes`)),
    /** gzip time ÷ server time of the full sync: below 1 means compressing does not double the server's time. */
    compressionTimeShare: ratio(m(`${r}.noopFull.gzipMs`), m(`${r}.noopFull.server`)),
    compressionBrotli: ratio(m(`${r}.noopFull.bytes`), m(`${r}.noopFull.brotliBytes`)),
    brotliTimeShare: ratio(m(`${r}.noopFull.brotliMs`), m(`${r}.noopFull.server`)),
    /** Delta no-op server time at the largest scale ÷ at the smallest: flat means close to 1. */
    noopDeltaGrowth: ratio(m(`${largest}.noopDelta.server`), m(`${smallest}.noopDelta.server`)),
    smallChangeDeltaGrowth: ratio(m(`${largest}.editsDelta.server`), m(`${smallest}.editsDelta.server`)),
    noopFullGrowth: ratio(m(`${largest}.noopFull.server`), m(`${smallest}.noopFull.server`)),
    /** Same replace ÷ bare IndexedDB writes into stores without indexes (the absolute floor). */
    replaceVsBareIdbFloor: withClient ? ratio(m(`${c}.replace.total`), m(`${c}.floor.bare`)) : Number.NaN,
    /** Only the engine's write phase (the Dexie transaction) ÷ the same-schema floor. */
    replaceWriteVsIdbFloor: withClient ? ratio(m(`${c}.replace.write`), m(`${c}.floor.indexed`)) : Number.NaN,
    /** Our apply answering in delta mode ÷ the floor (which reads everything back). */
    applyDeltaVsFloor: ratio(m(`${a}.oursDelta`), m(`${a}.floor`)),
  }

  const at = (value: number, target: string, met: (v: number) => boolean): Target => ({
    target,
    value,
    met: met(value),
  })
  // Flat: a delta sync at 100× data costs at most twice what it costs at 1×.
  const FLAT = 2
  const targets: Record<string, Target> = {
    applyVsFloor: at(ratios.applyVsFloor, '≤ 1.5', (v) => v <= 1.5),
    perRecordVsApply: at(ratios.perRecordVsApply, '≥ 20', (v) => v >= 20),
    replaceVsIdbFloor: at(ratios.replaceVsIdbFloor, '≤ 1.5', (v) => v <= 1.5),
    noopFullVsDelta: at(ratios.noopFullVsDelta, '≥ 100', (v) => v >= 100),
    noopFullVsDeltaBytes: at(ratios.noopFullVsDeltaBytes, '≥ 100', (v) => v >= 100),
    smallChangeFullVsDelta: at(ratios.smallChangeFullVsDelta, '≥ 100', (v) => v >= 100),
    smallChangeFullVsDeltaBytes: at(ratios.smallChangeFullVsDeltaBytes, '≥ 100', (v) => v >= 100),
    noopDeltaGrowth: at(ratios.noopDeltaGrowth, `≤ ${FLAT} (flat)`, (v) => v <= FLAT),
    smallChangeDeltaGrowth: at(ratios.smallChangeDeltaGrowth, `≤ ${FLAT} (flat)`, (v) => v <= FLAT),
    compression: at(ratios.compression, '≥ 4', (v) => v >= 4),
    compressionTimeShare: at(ratios.compressionTimeShare, '< 1 (does not double server time)', (v) => v < 1),
  }
  return { ratios, targets }
}

export type Ratios = ReturnType<typeof computeRatios>['ratios']
