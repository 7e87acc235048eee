import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { countRecords, useAttentionEntries } from './attention-store.ts'

/** The navigation entry to the attention list, with the number of records waiting there when there are any. */
export function AttentionNavLink({ current }: { current: boolean }) {
  const entries = useAttentionEntries()
  const count = entries ? countRecords(entries) : 0
  return (
    <Link to={paths.attention()} aria-current={current ? 'page' : undefined} data-testid="nav-attention">
      Attention
      {count > 0 ? (
        <span className="nav-count" data-testid="attention-count">
          {count}
        </span>
      ) : null}
    </Link>
  )
}
