import { describe, expect, it } from 'vitest'
import { matchPath, matchRoute, normalizePathname } from './match-route.ts'
import { paths, routePatterns } from '../../config/paths.ts'

const routes = Object.entries(routePatterns).map(([name, path]) => ({ name, path }))
const routeOf = (pathname: string) => matchRoute(routes, pathname)

describe('matchPath', () => {
  it('matches literal paths exactly', () => {
    expect(matchPath('/', '/')).toEqual({})
    expect(matchPath('/attention', '/attention')).toEqual({})
    expect(matchPath('/attention', '/attentions')).toBeNull()
    expect(matchPath('/', '/attention')).toBeNull()
  })

  it('captures named segments, URI-decoded', () => {
    expect(matchPath('/companies/:uid/edit', '/companies/a%20b/edit')).toEqual({ uid: 'a b' })
  })

  it('ignores a trailing slash', () => {
    expect(matchPath('/companies/:uid', '/companies/abc/')).toEqual({ uid: 'abc' })
    expect(normalizePathname('/companies///')).toBe('/companies')
    expect(normalizePathname('')).toBe('/')
  })

  it('does not match when segment counts differ', () => {
    expect(matchPath('/companies/:uid', '/companies')).toBeNull()
    expect(matchPath('/companies/:uid', '/companies/abc/edit')).toBeNull()
  })

  it('refuses a malformed %-escape instead of throwing', () => {
    expect(matchPath('/companies/:uid', '/companies/%E0%A4%A')).toBeNull()
  })
})

describe('app routes', () => {
  it('lists /companies/new before /companies/:uid so "new" is never read as a uid', () => {
    expect(routeOf('/companies/new')?.route.name).toBe('newCompany')
  })

  it('maps every screen to its route', () => {
    const uid = '0b6c7f5e-3d1a-4a53-9a55-2f1e8c9d0a11'
    expect(routeOf('/')?.route.name).toBe('home')
    expect(routeOf(paths.company(uid))).toEqual({
      route: expect.objectContaining({ name: 'company' }),
      params: { uid },
    })
    expect(routeOf(paths.editCompany(uid))?.route.name).toBe('editCompany')
    expect(routeOf(paths.newContact(uid))?.params).toEqual({ uid })
    expect(routeOf(paths.editContact(uid))?.route.name).toBe('editContact')
    expect(routeOf(paths.attention())?.route.name).toBe('attention')
    expect(routeOf('/nowhere')).toBeNull()
  })

  it('addresses records by uid, which survives a record getting its server id', () => {
    const odd = 'a/b?c#d'
    expect(routeOf(paths.company(odd))?.params).toEqual({ uid: odd })
  })
})
