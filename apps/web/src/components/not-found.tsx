import { Link } from '../lib/router/index.ts'
import { useDocumentTitle } from '../lib/use-document-title.ts'

/** Shown for unknown URLs and for records that are gone (deleted here, or by a sync). */
export function NotFound({
  title = 'Page not found',
  children,
}: {
  title?: string
  children?: React.ReactNode
}) {
  useDocumentTitle(title)
  return (
    <>
      <h1>{title}</h1>
      {children ?? <p>There is nothing at this address.</p>}
      <p>
        <Link to="/">Back to all companies</Link>
      </p>
    </>
  )
}
