import { useState } from 'react'
import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDeviceSafety } from '../api/use-device-safety.ts'
import { readDismissed, risksToShow, shortRiskText, writeDismissed } from '../api/risk-notice.ts'

/**
 * A one-line notice on every screen while data on this device is at risk. It can be dismissed, and comes back
 * only when a different risk appears (risk-notice.ts). The Device page has the full text and shows no notice.
 */
export function StorageWarning({ onDevicePage }: { onDevicePage: boolean }) {
  const { risks } = useDeviceSafety()
  const [dismissed, setDismissed] = useState(readDismissed)
  const shown = risksToShow(risks, dismissed)
  if (onDevicePage || shown.length === 0) return null
  return (
    <section className="storage-warning" aria-label="Data at risk" data-testid="storage-warning">
      <p className="storage-warning__text">
        {shown.map((risk, i) => (
          <span key={risk.kind} data-testid="storage-risk" data-kind={risk.kind}>
            {i > 0 ? '; ' : ''}
            {shortRiskText[risk.kind]}
          </span>
        ))}
        .{' '}
        <Link to={paths.device()} data-testid="storage-warning-link">
          What this means
        </Link>
      </p>
      <button
        type="button"
        className="storage-warning__dismiss"
        data-testid="storage-warning-dismiss"
        onClick={() => setDismissed(writeDismissed(shown.map((r) => r.kind)))}
      >
        Dismiss
      </button>
    </section>
  )
}
