import { useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { formatRelativeTime } from '../../../lib/format/relative-time.ts'
import { askToPersist, formatBytes } from '../../../lib/storage/storage-status.ts'
import { QUOTA_WARNING_RATIO } from '../../../lib/storage/storage-risks.ts'
import { useDeviceSafety } from '../api/use-device-safety.ts'
import { ThemePicker } from './theme-picker.tsx'

function persistenceText(persisted: boolean | null | undefined): string {
  if (persisted === true) return 'Kept: the browser will not delete this app’s data to free space.'
  if (persisted === false)
    return 'Not kept: the browser may delete this app’s data when the phone runs low on space.'
  return 'This browser does not say whether it keeps this app’s data.'
}

/** "This device": whether the browser keeps our data, the space it takes and has left, and what is unsynced. */
export function DevicePage() {
  useDocumentTitle('This device')
  const { status, pending, lastSyncedAt, risks, refresh } = useDeviceSafety()
  const [asked, setAsked] = useState<boolean | null>(null)

  const usage = status?.usage ?? null
  const quota = status?.quota ?? null
  const ratio = usage !== null && quota !== null ? usage / quota : null

  return (
    <>
      <h1>This device</h1>
      {risks.length > 0 ? (
        <section
          className="storage-warning storage-warning--full"
          aria-label="Data at risk"
          data-testid="device-risks"
        >
          <ul>
            {risks.map((risk) => (
              <li key={risk.kind} data-testid="device-risk" data-kind={risk.kind}>
                {risk.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <dl className="device-facts" data-testid="device-status">
        <div>
          <dt>Unsynced changes</dt>
          <dd data-testid="device-pending">{pending === undefined ? '…' : pending}</dd>
        </div>
        <div>
          <dt>Last sync</dt>
          <dd>{lastSyncedAt === null ? 'Never' : formatRelativeTime(lastSyncedAt, Date.now())}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd data-testid="device-persisted" data-persisted={String(status?.persisted ?? 'unknown')}>
            {status === undefined ? '…' : persistenceText(status.persisted)}
          </dd>
        </div>
        <div>
          <dt>Space used</dt>
          <dd data-testid="device-usage" data-usage={usage ?? ''} data-quota={quota ?? ''}>
            {usage === null || quota === null
              ? 'Not reported by this browser'
              : `${formatBytes(usage)} of ${formatBytes(quota)} (${formatBytes(Math.max(0, quota - usage))} left)`}
          </dd>
        </div>
      </dl>
      {ratio !== null ? (
        <meter
          className="device-meter"
          aria-label="Share of storage used"
          min={0}
          max={1}
          high={QUOTA_WARNING_RATIO}
          value={ratio}
        />
      ) : null}
      {status?.persisted === false ? (
        <div className="device-actions">
          <button
            type="button"
            className="button"
            data-testid="persist-button"
            onClick={() =>
              void askToPersist().then((granted) => {
                setAsked(granted)
                refresh()
              })
            }
          >
            Ask the browser to keep the data
          </button>
          {asked === false ? (
            <p className="device-note" role="status" data-testid="persist-refused">
              The browser said no. Installing the app to the home screen usually helps; until then, sync
              often.
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="device-note">
        Changes you make are saved on this phone first. Until a sync sends them to the server, this phone
        holds the only copy.
      </p>
      <ThemePicker />
      <section className="section" aria-labelledby="device-data">
        <h2 id="device-data">Your data</h2>
        <div className="actions">
          <Link className="button" to={paths.exportData()} data-testid="nav-export">
            Export
          </Link>
          <Link className="button" to={paths.importData()} data-testid="nav-import">
            Import
          </Link>
        </div>
      </section>
    </>
  )
}
