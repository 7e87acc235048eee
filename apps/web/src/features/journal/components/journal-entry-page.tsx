import type { JournalEntry } from '@offline-sync/sync-client'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { useJournalEntry } from '../api/use-journal.ts'
import {
  bytesText,
  changeText,
  receivedSummary,
  durationText,
  entityWord,
  sentSummary,
  triggerText,
} from '../api/journal-words.ts'
import { OutcomeBadge } from './outcome-badge.tsx'
import { OverwriteNotices, overwriteText } from '../../../components/overwrite-notice.tsx'

const nameOf = (r: { label: string | null; uid: string | null }) => r.label || r.uid || 'Unnamed'

/** One recorded sync in full: when and why it ran, each record it sent, the ids the server gave, what it refused. */
export function JournalEntryPage({ seq }: { seq: string }) {
  useDocumentTitle('Sync details')
  const entry = useJournalEntry(Number(seq))
  return (
    <>
      <Link className="back-link" to={paths.history()}>
        ← Sync history
      </Link>
      <h1>Sync details</h1>
      {entry === undefined ? <p className="loading">Loading…</p> : null}
      {entry === null ? (
        <p data-testid="journal-missing">
          This sync is no longer in the history (only the last 200 are kept).
        </p>
      ) : null}
      {entry ? <EntryDetails entry={entry} /> : null}
    </>
  )
}

function EntryDetails({ entry }: { entry: JournalEntry }) {
  const received = receivedSummary(entry.received)
  return (
    <div data-testid="journal-details" data-outcome={entry.outcome}>
      <dl className="details">
        <div>
          <dt>Outcome</dt>
          <dd>
            <OutcomeBadge entry={entry} />
            {entry.error ? (
              <span className="journal-error" data-testid="journal-error" data-kind={entry.error.kind}>
                {' '}
                {entry.error.message}
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={entry.startedAt}>{new Date(entry.startedAt).toLocaleString()}</time>, took{' '}
            {durationText(entry.durationMs)}
          </dd>
        </div>
        <div>
          <dt>Started by</dt>
          <dd data-testid="journal-trigger">{triggerText(entry.trigger)}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd data-testid="journal-sent">
            {sentSummary(entry.sent)}
            {entry.resent ? ' (a resend of an unanswered sync)' : ''}
          </dd>
        </div>
        {entry.outcome !== 'failed' ? (
          <div>
            <dt>Received</dt>
            <dd>
              {received || 'No changes from the server'}
              {entry.mode === 'full' ? ' (full refresh)' : ''}
              {entry.replayed ? ' (already applied earlier; answered again)' : ''}
            </dd>
          </div>
        ) : null}
        {entry.bytes ? (
          <div>
            <dt>Data</dt>
            <dd
              data-testid="journal-bytes"
              data-sent={entry.bytes.sent}
              data-received={entry.bytes.received}
              data-received-on-wire={entry.bytes.receivedOnWire}
            >
              {bytesText(entry.bytes.sent)} sent, {bytesText(entry.bytes.received)} received
              {/* Only when it differs: a small answer goes uncompressed, and "752 B (752 B)" says nothing. */}
              {entry.bytes.receivedOnWire !== undefined && entry.bytes.receivedOnWire < entry.bytes.received
                ? ` (${bytesText(entry.bytes.receivedOnWire)} over the network)`
                : ''}
            </dd>
          </div>
        ) : null}
      </dl>

      {entry.rejected.length > 0 ? (
        <section className="section" aria-labelledby="journal-rejected-heading">
          <h2 id="journal-rejected-heading">Refused by the server</h2>
          <ul className="journal-lines" data-testid="journal-rejected">
            {entry.rejected.map((r) => (
              <li key={`${r.entity}:${r.uid}`} data-testid="journal-rejection" data-uid={r.uid}>
                <strong>{nameOf(r)}</strong> ({entityWord(r.entity)}): {r.reason}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {(entry.overwrites ?? []).length > 0 ? (
        <section className="section" aria-labelledby="journal-overwrites-heading">
          <h2 id="journal-overwrites-heading">Values replaced</h2>
          <ul className="journal-lines" data-testid="journal-overwrites">
            {(entry.overwrites ?? []).map((o) => (
              <li key={o.key} data-testid="journal-overwrite" data-uid={o.uid}>
                {o.label ? <strong>{o.label}</strong> : null} {overwriteText(o)}
              </li>
            ))}
          </ul>
          {/* The ones still waiting for an answer, with Keep mine / Use theirs. */}
          <OverwriteNotices keys={(entry.overwrites ?? []).map((o) => o.key)} />
        </section>
      ) : null}

      {entry.remaps.length > 0 ? (
        <section className="section" aria-labelledby="journal-remaps-heading">
          <h2 id="journal-remaps-heading">New ids from the server</h2>
          <ul className="journal-lines" data-testid="journal-remaps">
            {entry.remaps.map((r) => (
              <li
                key={`${r.entity}:${r.localId}`}
                data-testid="journal-remap"
                data-local-id={r.localId}
                data-server-id={r.serverId}
              >
                <strong>{nameOf(r)}</strong> ({entityWord(r.entity)}): {r.localId} → {r.serverId}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="section" aria-labelledby="journal-records-heading">
        <h2 id="journal-records-heading">Records sent</h2>
        {entry.records.length === 0 ? (
          <p>None: this sync only fetched the server's changes.</p>
        ) : (
          <ul className="journal-lines" data-testid="journal-records">
            {entry.records.map((r) => (
              <li key={`${r.entity}:${r.uid}`} data-testid="journal-record" data-change={r.change}>
                <span className={`badge badge--change-${r.change}`}>{changeText(r.change)}</span>{' '}
                {entityWord(r.entity)} <strong>{nameOf(r)}</strong>
              </li>
            ))}
          </ul>
        )}
        {entry.recordsLeftOut > 0 ? <p>…and {entry.recordsLeftOut} more, not listed.</p> : null}
      </section>
    </div>
  )
}
