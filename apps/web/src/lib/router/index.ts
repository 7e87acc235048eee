export { matchPath, matchRoute, normalizePathname, type RouteMatch, type RouteParams } from './match-route.ts'
export { currentPath, leaveTo, navigate, subscribe } from './history.ts'
export { usePath } from './use-path.ts'
export { Link, type LinkProps } from './link.tsx'
