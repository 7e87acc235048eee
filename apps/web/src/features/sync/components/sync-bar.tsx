import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { onSignedInAgain, requestSignIn } from '../../../lib/account/sign-in-requests.ts'
import { paths } from '../../../config/paths.ts'
import { useOnline } from '../../../lib/sync/online-status.ts'
import { autoPush } from '../../../lib/sync/auto-sync.ts'
import { useNow } from '../../../lib/use-now.ts'
import { formatRelativeTime, toEpochMs } from '../../../lib/format/relative-time.ts'
import { useSync } from '../api/sync-context.ts'
import { describeSyncError } from '../api/describe-sync-error.ts'
import { describeProgress, downloadProgress } from '../api/describe-progress.ts'
import { usePendingCount, useSyncProgress, useSyncState } from '../api/use-sync-status.ts'
import { countRecords, useAttentionEntries } from './attention-store.ts'
import { formatNumber } from '../../../lib/format/locale-format.ts'

// Not needed for the first screen: loaded when the user asks to review a sync.
const SyncPreviewDialog = lazy(() =>
  import('./sync-preview-dialog.tsx').then((m) => ({ default: m.SyncPreviewDialog })),
)

function pendingText(count: number | undefined): string {
  if (count === undefined) return ' '
  if (count === 0) return 'All changes synced'
  return `${formatNumber(count)} ${count === 1 ? 'change' : 'changes'} to sync`
}

/**
 * Always on screen: online or offline, how many changes wait, sync progress, when the last sync was, the last
 * error in words, and the Sync button. A polite live region, so screen readers hear what changes.
 */
export function SyncBar() {
  const online = useOnline()
  const pending = usePendingCount()
  // The same count as the header's Attention link: refused records and the contacts held by a deleted company.
  const entries = useAttentionEntries()
  const attention = entries ? countRecords(entries) : 0
  const state = useSyncState()
  const progress = useSyncProgress()
  const download = downloadProgress(progress)
  const sync = useSync()
  const pushScheduled = useSyncExternalStore(autoPush.subscribe, autoPush.scheduled, autoPush.scheduled)
  const now = useNow(30_000)

  const lastSyncedAt = toEpochMs(state?.lastSyncedAt)
  const waiting = sync.busy && !sync.running
  const retryInSeconds = sync.nextRetryAt
    ? Math.max(1, Math.round((sync.nextRetryAt - Date.now()) / 1000))
    : null
  const otherTab = !sync.busy && sync.lastReport?.outcome === 'busy'
  const signedOut = sync.error?.kind === 'unauthorized' && !sync.busy
  const { requestSync } = sync
  // A sync tried offline: said in a few words in place of the last-sync time, so the bar keeps to two lines.
  const offlineNote = sync.error?.kind === 'offline' && !online && !sync.running
  const [reviewing, setReviewing] = useState(false)

  // Signed in again as the account whose data is open: what waited for the session goes at once.
  useEffect(() => onSignedInAgain(() => requestSync('manual')), [requestSync])

  return (
    <>
      <div
        className="sync-bar"
        role="status"
        aria-live="polite"
        data-testid="sync-bar"
        data-state={sync.running ? 'syncing' : waiting ? 'waiting' : sync.error ? 'error' : 'idle'}
        data-push-scheduled={String(pushScheduled)}
      >
        <div className="sync-bar__info">
          <p className="sync-bar__line">
            <span className="sync-bar__online" data-testid="online-status" data-online={online}>
              {online ? 'Online' : 'Offline'}
            </span>
            <span data-testid="pending-count" data-count={pending ?? ''}>
              {pendingText(pending)}
            </span>
            {attention > 0 ? (
              <Link to={paths.attention()} data-testid="attention-link">
                {attention === 1 ? '1 needs attention' : `${attention} need attention`}
              </Link>
            ) : null}
          </p>
          {/* One line for "what is happening": progress while syncing, otherwise when the last sync was. Same
            height either way, so the page does not jump at every sync. */}
          <p className="sync-bar__line sync-bar__muted">
            {sync.running && download ? (
              // A full download in pages (a new phone, or a long time offline): the lists fill as it goes.
              <span className="sync-bar__progress sync-bar__download" data-testid="sync-progress">
                <progress
                  aria-label="Downloading records"
                  value={download.done}
                  max={download.total}
                  data-testid="download-progress"
                />
                <span>{download.text}</span>
              </span>
            ) : sync.running ? (
              <span className="sync-bar__progress" data-testid="sync-progress">
                {describeProgress(progress)}
              </span>
            ) : null}
            {/* The relative time ticks by itself; aria-live="off" keeps that from being announced every minute. */}
            {offlineNote ? (
              <span data-testid="sync-error" data-kind="offline">
                Syncs when back online.
              </span>
            ) : null}
            <span data-testid="last-synced" aria-live="off" hidden={sync.running || offlineNote}>
              {/* "Synced just now" beside changes still to sync, or while offline, would read as if everything
                were on the server: then it says when the last sync was. The first line already says Offline. */}
              {lastSyncedAt === null ? (
                'Never synced'
              ) : (
                <>
                  {online && pending === 0 ? 'Synced' : 'Last synced'}{' '}
                  <time dateTime={new Date(lastSyncedAt).toISOString()}>
                    {formatRelativeTime(lastSyncedAt, now)}
                  </time>
                </>
              )}
            </span>
            {otherTab ? (
              <span data-testid="sync-other-tab">Another window of this app is syncing.</span>
            ) : null}
          </p>
          {sync.error && !sync.running && !offlineNote ? (
            <p
              className={sync.error.kind === 'offline' ? 'sync-bar__note' : 'sync-bar__error'}
              data-testid="sync-error"
              data-kind={sync.error.kind}
            >
              {describeSyncError(sync.error)}
              {waiting && retryInSeconds !== null ? ` Trying again in about ${retryInSeconds} s.` : ''}
            </p>
          ) : null}
        </div>
        {signedOut ? (
          <button
            type="button"
            className="button button--primary"
            onClick={requestSignIn}
            data-testid="sign-in-again"
          >
            Sign in again
          </button>
        ) : (
          <div className="sync-bar__actions">
            {/* Sync stays one tap; Review shows what it will send first (and what others changed meanwhile). */}
            {/* The review asks the server what it would do: not offered offline, where it cannot work. */}
            {pending && online ? (
              <button
                type="button"
                className="button"
                onClick={() => setReviewing(true)}
                disabled={sync.busy}
                data-testid="sync-review-button"
              >
                Review
              </button>
            ) : null}
            <button
              type="button"
              // Offline a sync can only wait for the connection: not the screen's bright main action then.
              className={online ? 'button button--primary' : 'button sync-bar__offline-sync'}
              onClick={() => sync.requestSync('manual')}
              disabled={sync.busy}
              data-testid="sync-button"
            >
              {sync.running ? 'Syncing…' : waiting ? 'Waiting…' : 'Sync'}
            </button>
          </div>
        )}
      </div>
      {/* Outside the bar's live region: the dialog is read as a dialog, not as a status update. */}
      {reviewing ? (
        <Suspense fallback={null}>
          <SyncPreviewDialog
            onSync={() => {
              setReviewing(false)
              requestSync('manual')
            }}
            onClose={() => setReviewing(false)}
          />
        </Suspense>
      ) : null}
    </>
  )
}
