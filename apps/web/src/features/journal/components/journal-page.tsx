import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { useNow } from '../../../lib/use-now.ts'
import { formatRelativeTime, toEpochMs } from '../../../lib/format/relative-time.ts'
import { useJournalEntries } from '../api/use-journal.ts'
import { receivedSummary, sentSummary, triggerText } from '../api/journal-words.ts'
import { OutcomeBadge } from './outcome-badge.tsx'

/** The recent syncs of this device, newest first; each opens to its details. */
export function JournalPage() {
  useDocumentTitle('Sync history')
  const entries = useJournalEntries()
  const now = useNow(30_000)
  return (
    <>
      <h1>Sync history</h1>
      <p className="lead">
        Every sync of this phone: what it sent, what the server refused and whether it worked. The last 200
        are kept on this phone.
      </p>
      {entries === undefined ? <p className="loading">Loading…</p> : null}
      {entries?.length === 0 ? <p data-testid="journal-empty">No sync has run on this phone yet.</p> : null}
      {entries && entries.length > 0 ? (
        <ul className="list" data-testid="journal-list">
          {entries.map((entry) => {
            const at = toEpochMs(entry.startedAt) ?? now
            return (
              <li
                key={entry.seq}
                className="list-row"
                data-testid="journal-entry"
                data-outcome={entry.outcome}
                data-trigger={entry.trigger}
              >
                <Link className="list-row__link" to={paths.historyEntry(entry.seq ?? 0)}>
                  <span className="list-row__title">
                    <OutcomeBadge entry={entry} /> {triggerText(entry.trigger)}{' '}
                    <time dateTime={entry.startedAt} title={new Date(at).toLocaleString()}>
                      {formatRelativeTime(at, now)}
                    </time>
                  </span>
                  <span className="list-row__detail">
                    <span data-testid="journal-entry-summary">
                      {sentSummary(entry.sent)}
                      {entry.error ? ` · ${entry.error.message}` : ''}
                    </span>
                    {/* What came back, so a run of "Nothing to send" still tells one sync from another. */}
                    {receivedSummary(entry.received) ? (
                      <span data-testid="journal-entry-received">
                        {' · '}
                        {receivedSummary(entry.received)} received
                      </span>
                    ) : null}
                  </span>
                </Link>
              </li>
            )
          })}
        </ul>
      ) : null}
    </>
  )
}
