/** Timing helpers. Every figure the benchmark reports is the median of its repetitions. */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

export const now = (): number => performance.now()

/** Collects garbage, then runs `fn` and returns its result with the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  collectGarbage()
  const start = now()
  const value = await fn()
  return { ms: now() - start, value }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Collects samples under names and reduces them to medians. */
export class Samples {
  private readonly values = new Map<string, number[]>()

  add(name: string, value: number): void {
    const list = this.values.get(name) ?? []
    list.push(value)
    this.values.set(name, list)
  }

  median(name: string): number {
    return median(this.values.get(name) ?? [])
  }

  /** name → { median, samples } for the results file. */
  toJSON(): Record<string, { median: number; samples: number[] }> {
    return Object.fromEntries(
      [...this.values].map(([name, list]) => [name, { median: median(list), samples: list }]),
    )
  }
}

/** a / b, or NaN when either is missing; rounded for printing elsewhere. */
export const ratio = (a: number, b: number): number => (b > 0 && Number.isFinite(a) ? a / b : Number.NaN)

// A full garbage collection before each timed section, so one measurement does not pay for the garbage of the
// one before it (a full sync leaves tens of MiB behind). `--expose-gc` set at run time: `npm run bench` stays
// a plain `tsx` command.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/** Collects garbage now; call it right before starting a timer. */
export function collectGarbage(): void {
  gc()
}
