import {
  createEventStreamClient,
  createSyncScheduler,
  isNewerCursor,
  type EventStreamState,
  type OpenEventSource,
  type SyncTrigger,
} from '@offline-sync/sync-client'
import { onLocalWrite } from './local-write-signal.ts'
import { syncSettings, type SyncSettingsStore } from './sync-settings.ts'
import { syncTriggers } from './sync-triggers.ts'
import { registerBackgroundSync } from '../pwa/background-sync.ts'

/** Where the server announces that data changed (docs/sync-protocol.md, live updates). */
export const EVENTS_PATH = '/api/sync/events'

/** The triggers a person or the app can ask for; 'retry' is the sync mutation's own. */
export type RequestedTrigger = Exclude<SyncTrigger, 'retry'>

export interface AutoSyncOptions {
  /** Runs one whole sync (its retries included); resolves when it succeeded, rejects when it failed. */
  run: (trigger: RequestedTrigger) => Promise<unknown>
  /** This device's id and the cursor of its last applied sync (from its database's meta). */
  deviceState: () => Promise<{ deviceId: string; cursor: string | null }>
  settings?: SyncSettingsStore
  openEventSource?: OpenEventSource
}

type Listener = () => void
const streamListeners = new Set<Listener>()
let streamState: EventStreamState = 'stopped'

/** The live-updates stream's state, for the settings screen (and the e2e tests that read it there). */
export const liveStream = {
  state: (): EventStreamState => streamState,
  subscribe(listener: Listener): () => void {
    streamListeners.add(listener)
    return () => streamListeners.delete(listener)
  },
}

const pushListeners = new Set<Listener>()
let pushScheduled = false
function setPushScheduled(value: boolean): void {
  if (pushScheduled === value) return
  pushScheduled = value
  pushListeners.forEach((listener) => listener())
}

/** Whether a sync of local writes is waiting for the writes to pause (the sync bar shows it as data, for tests). */
export const autoPush = {
  scheduled: (): boolean => pushScheduled,
  subscribe(listener: Listener): () => void {
    pushListeners.add(listener)
    return () => pushListeners.delete(listener)
  },
}

const browserEventSource: OpenEventSource = (url) => new EventSource(url, { withCredentials: true })

const isVisible = () => document.visibilityState === 'visible'

/**
 * Starts every automatic sync of this page, as the person's settings say: after local writes (debounced), at
 * start and on resume, when back online, every N minutes while in view, and on the server's live notices.
 * All of them, and the Sync button, go through one scheduler: one sync runs, one more may wait. Returns the
 * scheduler's `request` (for the button) and the function that stops it all.
 */
export function startAutoSync(options: AutoSyncOptions): {
  request: (trigger: RequestedTrigger) => void
  stop: () => void
} {
  const settings = options.settings ?? syncSettings
  let deviceId: string | null = null
  let stopped = false
  // Whether a sync has started since this page opened: the startup sync's need is then met.
  let synced = false
  // The newest server cursor a ready stream or a notice announced that no check has compared with the device's yet.
  let announced: string | null = null

  /**
   * Syncs if the device is behind the server's `cursor`. While a sync runs the check waits for its end, so a cold
   * load's startup sync and the stream's ready catch-up are one sync, whichever starts first.
   */
  function catchUp(cursor: string): void {
    if (announced === null || isNewerCursor(cursor, announced)) announced = cursor
    if (!scheduler.state().running) void checkAnnounced(false)
  }

  /** Compares the announced cursor with the device's; `afterSync` is the check at the end of a sync's run. */
  async function checkAnnounced(afterSync: boolean): Promise<void> {
    const cursor = announced
    if (cursor === null) return
    let behind = true
    try {
      behind = isNewerCursor(cursor, (await options.deviceState()).cursor)
    } catch {
      // The device's cursor is unknown: a sync is the safe side.
    }
    // A newer announcement has its own check; a sync that started meanwhile checks at its end.
    if (stopped || announced !== cursor || (!afterSync && scheduler.state().running)) return
    announced = null
    if (behind) scheduler.request('live')
  }

  const stream = createEventStreamClient({
    url: () => `${EVENTS_PATH}?deviceId=${encodeURIComponent(deviceId ?? '')}`,
    open: options.openEventSource ?? browserEventSource,
    // Notices may have been missed while the stream was closed: catch up after every (re)open, unless a sync
    // already brought the device to the cursor the stream opened at.
    onReady: catchUp,
    // A notice the device already has (a sync it ran since) costs nothing.
    onChanged: catchUp,
    onStateChange: (state) => {
      streamState = state
      streamListeners.forEach((listener) => listener())
    },
  })

  const scheduler = createSyncScheduler<RequestedTrigger>({
    run: (trigger) => {
      synced = true
      // Whatever started this sync, it sends every pending change: no push is waiting any more.
      setPushScheduled(false)
      return options.run(trigger).then(
        async () => {
          // A sync that went through proves a session again: a stream the server ended may reopen.
          if (stream.state() === 'ended') stream.allowAfterEnd()
          // A database made before device ids were stored gets one at its first sync.
          if (deviceId === null) deviceId = (await options.deviceState()).deviceId || null
          apply()
          // What was announced during this sync: a catch-up follows only if this sync did not reach it.
          await checkAnnounced(true)
        },
        (err: unknown) => {
          // A failed sync reached nothing: what was announced meanwhile gets one more sync, not a loop of them.
          if (announced !== null) {
            announced = null
            scheduler.request('live')
          }
          throw err
        },
      )
    },
  })

  /** Brings the stream and the periodic timer in line with the settings, the connection and visibility. */
  function apply(): void {
    if (stopped) return
    const current = settings.get()
    const visible = isVisible()
    if (current.live && navigator.onLine && visible && deviceId !== null) stream.start()
    else stream.stop()
    scheduler.setPeriodic(
      visible && current.everyMinutes > 0 ? current.everyMinutes * 60_000 : null,
      'periodic',
    )
    if (!current.afterChanges || !navigator.onLine) {
      scheduler.cancelPending()
      setPushScheduled(false)
    }
  }

  const onVisibility = () => {
    if (isVisible() && settings.get().onOpen && navigator.onLine) scheduler.request('resume')
    apply()
  }
  // A page restored from the back/forward cache fires no visibilitychange.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted) onVisibility()
  }

  const cleanups: Array<() => void> = [
    syncTriggers.watch((trigger) => {
      const current = settings.get()
      if (trigger === 'startup' && !current.onOpen) return
      // A sync since the page opened (the live stream's catch-up, a local change) was this startup sync.
      if (trigger === 'startup' && synced) return
      if (trigger === 'online' && !current.onReconnect) return
      scheduler.request(trigger)
    }),
    onLocalWrite(() => {
      if (!navigator.onLine) {
        // Offline: the service worker sends it when the connection returns, even with the app closed.
        void registerBackgroundSync()
        return
      }
      if (settings.get().afterChanges) {
        scheduler.localChange('local-change')
        setPushScheduled(true)
      }
    }),
    settings.subscribe(apply),
  ]
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('pageshow', onPageShow)
  window.addEventListener('online', apply)
  window.addEventListener('offline', apply)
  cleanups.push(() => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('pageshow', onPageShow)
    window.removeEventListener('online', apply)
    window.removeEventListener('offline', apply)
  })

  void options.deviceState().then(
    (state) => {
      deviceId = state.deviceId === '' ? null : state.deviceId
      apply()
    },
    () => apply(),
  )
  apply()

  return {
    request: (trigger) => scheduler.request(trigger),
    stop() {
      stopped = true
      setPushScheduled(false)
      cleanups.forEach((cleanup) => cleanup())
      scheduler.dispose()
      stream.stop()
    },
  }
}
