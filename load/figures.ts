import type { Exchange } from '@offline-sync/test-support/node-device'
import { statusOf } from './run-scenario.ts'

export interface Figures {
  devices: number
  servers: number
  seconds: number
  syncs: number
  syncsPerSecond: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  /** Answers by HTTP status over the whole run (0 = no answer at all). */
  byStatus: Record<string, number>
  replayed: number
  rejected: number
  records: { companies: number; contacts: number; tombstones: number }
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** Rates and latencies over the timed phase; statuses, replays and rejections over the whole run. */
export function summarise(input: {
  devices: number
  servers: number
  seconds: number
  loadExchanges: Exchange[]
  allExchanges: Exchange[]
  records: Figures['records']
}): Figures {
  const latencies = input.loadExchanges.map((e) => e.ms).sort((a, b) => a - b)
  const byStatus: Record<string, number> = {}
  for (const exchange of input.allExchanges) {
    const status = String(statusOf(exchange))
    byStatus[status] = (byStatus[status] ?? 0) + 1
  }
  const round = (n: number) => Math.round(n * 10) / 10
  return {
    devices: input.devices,
    servers: input.servers,
    seconds: round(input.seconds),
    syncs: input.loadExchanges.length,
    syncsPerSecond: round(input.loadExchanges.length / input.seconds),
    latencyMs: {
      p50: round(quantile(latencies, 0.5)),
      p90: round(quantile(latencies, 0.9)),
      p99: round(quantile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
    byStatus,
    replayed: input.allExchanges.filter((e) => e.response?.replayed).length,
    rejected: input.allExchanges.reduce((n, e) => n + (e.response?.rejected.length ?? 0), 0),
    records: input.records,
  }
}
