import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useDeviceSafety } from '../api/use-device-safety.ts'

/** A banner on every screen while data on this device is at risk; the device screen says more. */
export function StorageWarning({ onDevicePage }: { onDevicePage: boolean }) {
  const { risks } = useDeviceSafety()
  if (risks.length === 0) return null
  return (
    <section className="storage-warning" aria-label="Data at risk" data-testid="storage-warning">
      <ul>
        {risks.map((risk) => (
          <li key={risk.kind} data-testid="storage-risk" data-kind={risk.kind}>
            {risk.message}
          </li>
        ))}
      </ul>
      {onDevicePage ? null : (
        <Link to={paths.device()} data-testid="storage-warning-link">
          What this means
        </Link>
      )}
    </section>
  )
}
