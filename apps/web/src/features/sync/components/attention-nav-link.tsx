import { Link } from '../../../lib/router/index.ts'
import { paths } from '../../../config/paths.ts'
import { useAttentionItems } from '../api/use-sync-status.ts'

/** The navigation entry to the refused changes, with their count when there are any. */
export function AttentionNavLink({ current }: { current: boolean }) {
  const count = useAttentionItems()?.length ?? 0
  return (
    <Link to={paths.attention()} aria-current={current ? 'page' : undefined} data-testid="nav-attention">
      Needs attention
      {count > 0 ? (
        <span className="nav-count" data-testid="attention-count">
          {count}
        </span>
      ) : null}
    </Link>
  )
}
