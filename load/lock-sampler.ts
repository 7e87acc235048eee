import pg from 'pg'

/** One look at the writers' queue: how many syncs wait for the SyncState row lock, and the longest wait so far. */
export interface LockSample {
  waiting: number
  longestMs: number
}

/**
 * Writing syncs wait for each other on one row (`INSERT INTO "SyncState" … ON CONFLICT DO UPDATE`, R11). A backend
 * queued there shows in pg_stat_activity as waiting on a heavyweight lock (`transactionid` or `tuple`) with that
 * statement as its query. The statement's age (`clock_timestamp() - query_start`) is how long it has waited so far:
 * it does nothing but wait before it gets the row.
 */
export const WRITERS_QUEUE = `
  SELECT count(*)::int AS waiting,
         coalesce(max(extract(epoch FROM clock_timestamp() - query_start) * 1000), 0)::float8 AS "longestMs"
    FROM pg_stat_activity
   WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock'
     AND query LIKE '%"SyncState"%'`

export interface LockSampler {
  /** Takes one sample now (the timer takes them too). */
  sample(): Promise<LockSample>
  /** Stops sampling and resolves every sample taken. Safe to call twice. */
  stop(): Promise<LockSample[]>
}

/** Samples the writers' queue every `everyMs` on its own connection to `databaseUrl`, until stopped. */
export async function startLockSampler(databaseUrl: string, everyMs = 100): Promise<LockSampler> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  // The database may be dropped under a sampler left running by a failed run: that must not crash the process.
  client.on('error', () => {})
  const samples: LockSample[] = []
  let running = true
  let stopped: Promise<LockSample[]> | undefined
  const sample = async () => {
    const { rows } = await client.query<LockSample>(WRITERS_QUEUE)
    const taken = rows[0] ?? { waiting: 0, longestMs: 0 }
    samples.push(taken)
    return taken
  }
  const loop = async () => {
    while (running) {
      await sample()
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  }
  const looping = loop()
  return {
    sample,
    stop() {
      running = false
      stopped ??= (async () => {
        await looping.catch(() => {})
        await client.end()
        return samples
      })()
      return stopped
    },
  }
}

export interface LockFigures {
  samples: number
  /** Mean number of syncs queued on the lock (Little's law: mean wait = mean queue ÷ arrival rate). */
  meanWaiting: number
  maxWaiting: number
  /** Share of samples with at least one sync queued: how often the lock was contended. */
  busyShare: number
  /** The longest wait seen in any sample (a lower bound of the true longest). */
  longestMs: number
}

/** Sums up the samples of one step. */
export function lockFigures(samples: readonly LockSample[]): LockFigures {
  const n = samples.length
  const sum = samples.reduce((total, s) => total + s.waiting, 0)
  return {
    samples: n,
    meanWaiting: n === 0 ? 0 : sum / n,
    maxWaiting: Math.max(0, ...samples.map((s) => s.waiting)),
    busyShare: n === 0 ? 0 : samples.filter((s) => s.waiting > 0).length / n,
    longestMs: Math.max(0, ...samples.map((s) => s.longestMs)),
  }
}
