/** Values of the `:name` segments of a matched path, URI-decoded. */
export type RouteParams = Record<string, string>

export interface RouteMatch<R> {
  route: R
  params: RouteParams
}

/** `/a/b/` and `/a/b` are the same page; the root stays `/`. */
export function normalizePathname(pathname: string): string {
  const trimmed = pathname.replace(/\/+$/, '')
  return trimmed === '' ? '/' : trimmed
}

function splitPath(path: string): string[] {
  return normalizePathname(path).split('/').filter(Boolean)
}

/**
 * Matches a pattern such as `/companies/:uid/edit` against a pathname.
 * Returns the params, or null when the path does not match (including a malformed %-escape, which no route owns).
 */
export function matchPath(pattern: string, pathname: string): RouteParams | null {
  const want = splitPath(pattern)
  const have = splitPath(pathname)
  if (want.length !== have.length) return null
  const params: RouteParams = {}
  for (let i = 0; i < want.length; i++) {
    const expected = want[i] as string
    const actual = have[i] as string
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual)
      } catch {
        return null
      }
    } else if (expected !== actual) {
      return null
    }
  }
  return params
}

/** The first route whose pattern matches, so list literal routes (`/companies/new`) before `/companies/:uid`. */
export function matchRoute<R extends { path: string }>(
  routes: readonly R[],
  pathname: string,
): RouteMatch<R> | null {
  for (const route of routes) {
    const params = matchPath(route.path, pathname)
    if (params) return { route, params }
  }
  return null
}
