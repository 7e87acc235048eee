import { useEffect, useRef } from 'react'
import { Link, normalizePathname, usePath } from '../lib/router/index.ts'
import { paths } from '../config/paths.ts'
import { SyncBar } from '../features/sync/components/sync-bar.tsx'
import { AttentionNavLink } from '../features/sync/components/attention-nav-link.tsx'
import { AccountMenu } from '../features/auth/components/account-menu.tsx'
import { StorageWarning } from '../features/device/components/storage-warning.tsx'
import { AppRoutes } from './routes.tsx'
import { UpdatePrompt } from './update-prompt.tsx'

/** Moves focus to the new screen's heading after in-app navigation, as a page load would for screen readers. */
function useFocusOnNavigate(pathname: string) {
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    window.scrollTo(0, 0)
    // Lazy screens render their heading a moment later; try until it is there (a few frames at most).
    let frames = 0
    let handle = 0
    const focusHeading = () => {
      const heading = document.querySelector<HTMLElement>('main h1')
      if (heading) {
        heading.tabIndex = -1
        heading.focus({ preventScroll: true })
      } else if (frames++ < 30) {
        handle = requestAnimationFrame(focusHeading)
      }
    }
    handle = requestAnimationFrame(focusHeading)
    return () => cancelAnimationFrame(handle)
  }, [pathname])
}

/** The frame of every screen: skip link, header with navigation, the sync bar, and the current screen. */
export function Shell() {
  const pathname = normalizePathname(usePath().split('?')[0] ?? '/')
  useFocusOnNavigate(pathname)
  const onList = pathname === paths.home()
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link className="app-header__brand" to={paths.home()}>
          Companies &amp; Contacts
        </Link>
        <nav className="app-nav" aria-label="Main">
          <ul>
            <li>
              <Link to={paths.home()} aria-current={onList ? 'page' : undefined} data-testid="nav-companies">
                Companies
              </Link>
            </li>
            <li>
              <Link
                to={paths.people()}
                aria-current={pathname === paths.people() ? 'page' : undefined}
                data-testid="nav-people"
              >
                People
              </Link>
            </li>
            <li>
              <AttentionNavLink current={pathname === paths.attention()} />
            </li>
            <li>
              <Link
                to={paths.history()}
                aria-current={pathname.startsWith(paths.history()) ? 'page' : undefined}
                data-testid="nav-history"
              >
                History
              </Link>
            </li>
            <li>
              <Link
                to={paths.device()}
                aria-current={pathname === paths.device() ? 'page' : undefined}
                data-testid="nav-device"
              >
                Device
              </Link>
            </li>
            <li>
              <Link
                to={paths.settings()}
                aria-current={pathname === paths.settings() ? 'page' : undefined}
                data-testid="nav-settings"
              >
                Settings
              </Link>
            </li>
          </ul>
        </nav>
        <AccountMenu />
      </header>
      <SyncBar />
      <StorageWarning onDevicePage={pathname === paths.device()} />
      <main id="main" className="app-main" tabIndex={-1}>
        <AppRoutes pathname={pathname} />
      </main>
      <UpdatePrompt />
    </>
  )
}
