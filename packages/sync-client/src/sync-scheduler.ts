/**
 * When syncs run by themselves: pure scheduling, no DOM, no I/O. The app hands it a `run` function (one whole
 * sync, retries included) and tells it what happened (a local write, the page came back, a live notice); the
 * scheduler decides when `run` is called. Timers come through a port so tests drive them with fake time.
 */

/** Timers the scheduler uses; the default is the global setTimeout/clearTimeout. */
export interface SchedulerClock {
  setTimeout(task: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface SyncSchedulerOptions<R extends string> {
  /**
   * Runs one sync for `reason` and settles when it is over (retries included). A rejection is swallowed: the
   * app reports failures itself; the scheduler only needs to know the run ended.
   */
  run: (reason: R) => Promise<unknown>
  /** A local write waits this long for the next one before the sync starts (default 1.5 s). */
  debounceMs?: number
  /** ...but a stream of writes never delays the sync longer than this after the first one (default 5 s). */
  maxWaitMs?: number
  clock?: SchedulerClock
}

export interface SyncScheduler<R extends string> {
  /**
   * Asks for a sync now. Coalesced: at most one sync runs and one waits. A request while one runs queues one
   * (a later request replaces the queued reason, the sync is the same); a request with one already queued is
   * absorbed by it.
   */
  request(reason: R): void
  /** A local write happened: a sync for `reason` starts once writes pause (debounce, bounded by maxWait). */
  localChange(reason: R): void
  /** Cancels a pending debounced sync (the setting was turned off, or the device went offline). */
  cancelPending(): void
  /**
   * A sync for `reason` every `everyMs` while enabled; null stops it. The period counts from the end of the
   * last sync of any kind, so a periodic sync never follows another sync closely.
   */
  setPeriodic(everyMs: number | null, reason: R): void
  /** Whether a sync is running / queued / debounced: for tests and diagnostics. */
  state(): { running: boolean; queued: boolean; debounced: boolean; periodic: boolean }
  /** Stops every timer; later requests are ignored. A running sync is left to finish. */
  dispose(): void
}

const globalClock: SchedulerClock = {
  setTimeout: (task, ms) => globalThis.setTimeout(task, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
}

export function createSyncScheduler<R extends string>(options: SyncSchedulerOptions<R>): SyncScheduler<R> {
  const debounceMs = options.debounceMs ?? 1_500
  const maxWaitMs = options.maxWaitMs ?? 5_000
  const clock = options.clock ?? globalClock

  let disposed = false
  let running = false
  let queued: R | null = null

  let debounceTimer: unknown = null
  let maxWaitTimer: unknown = null
  let debouncedReason: R | null = null

  let periodicTimer: unknown = null
  let periodic: { everyMs: number; reason: R } | null = null

  function clearDebounce(): void {
    if (debounceTimer !== null) clock.clearTimeout(debounceTimer)
    if (maxWaitTimer !== null) clock.clearTimeout(maxWaitTimer)
    debounceTimer = maxWaitTimer = null
    debouncedReason = null
  }

  function armPeriodic(): void {
    if (periodicTimer !== null) clock.clearTimeout(periodicTimer)
    periodicTimer = null
    if (disposed || periodic === null) return
    const { everyMs, reason } = periodic
    periodicTimer = clock.setTimeout(() => {
      periodicTimer = null
      request(reason)
    }, everyMs)
  }

  function start(reason: R): void {
    running = true
    // While a sync runs the periodic timer waits: it restarts from the end of this one.
    if (periodicTimer !== null) clock.clearTimeout(periodicTimer)
    periodicTimer = null
    let settled: Promise<unknown>
    try {
      settled = options.run(reason)
    } catch (err) {
      settled = Promise.reject(err)
    }
    void settled
      .catch(() => undefined)
      .then(() => {
        running = false
        if (disposed) return
        const next = queued
        queued = null
        if (next !== null) start(next)
        else armPeriodic()
      })
  }

  function request(reason: R): void {
    if (disposed) return
    // Whatever was debounced is covered by this sync (it sends every pending change).
    clearDebounce()
    if (running) queued = reason
    else start(reason)
  }

  return {
    request,
    localChange(reason) {
      if (disposed) return
      debouncedReason = reason
      if (debounceTimer !== null) clock.clearTimeout(debounceTimer)
      const fire = () => {
        const due = debouncedReason ?? reason
        request(due)
      }
      debounceTimer = clock.setTimeout(fire, debounceMs)
      if (maxWaitTimer === null) maxWaitTimer = clock.setTimeout(fire, maxWaitMs)
    },
    cancelPending: clearDebounce,
    setPeriodic(everyMs, reason) {
      periodic = everyMs === null || !(everyMs > 0) ? null : { everyMs, reason }
      if (running) {
        if (periodicTimer !== null) clock.clearTimeout(periodicTimer)
        periodicTimer = null
      } else armPeriodic()
    },
    state: () => ({
      running,
      queued: queued !== null,
      debounced: debounceTimer !== null,
      periodic: periodicTimer !== null,
    }),
    dispose() {
      disposed = true
      clearDebounce()
      if (periodicTimer !== null) clock.clearTimeout(periodicTimer)
      periodicTimer = null
      periodic = null
      queued = null
    },
  }
}
