import { StrictMode, startTransition, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { wireOnlineManager } from '../lib/sync/online-status.ts'
import { registerServiceWorker } from '../lib/pwa/register-sw.ts'
import { requestPersistentStorage } from '../lib/storage/request-persistence.ts'
import { authApi } from '../lib/account/auth-api.ts'
import { decideStartup } from '../lib/account/startup.ts'
import { readStoredAccount, storeAccount, type Account } from '../lib/account/stored-account.ts'
import { AuthScreen } from '../features/auth/components/auth-screen.tsx'

/*
 * The app's start, loaded by main.tsx once the static header has painted: wires the browser, then opens the stored
 * account's data or the sign-in screen.
 */
wireOnlineManager()
registerServiceWorker()
// Unsynced work lives only in IndexedDB: ask the browser not to evict it. Fire and forget; it never throws.
void requestPersistentStorage()

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root element')
const root = createRoot(container)
/*
 * A transition lets React render in slices of a few milliseconds and yield in between, instead of one long task
 * that holds the main thread (and the person's first tap) while the whole first screen renders.
 */
const render = (node: ReactNode) => startTransition(() => root.render(<StrictMode>{node}</StrictMode>))

/**
 * Opens the app on `account`'s local database. The app is imported only now: lib/db.ts names its database after
 * the stored account when it loads, so it must never load before one is chosen.
 */
async function openApp(account: Account): Promise<void> {
  storeAccount(account)
  const { adoptOrFallBack } = await import('../lib/account/adopt-legacy-data.ts')
  // Unsent work of the pre-accounts app must not vanish with the upgrade. A failed copy leaves the old database
  // untouched and this page opens it directly: the person keeps working on their data, and the next start retries.
  await adoptOrFallBack(account.id)
  const { App } = await import('./app.tsx')
  render(<App />)
}

const first = await decideStartup({
  storedAccount: () => readStoredAccount(),
  isOnline: () => navigator.onLine,
  session: () => authApi.session(),
  setupNeeded: () => authApi.setupNeeded(),
})
if (first.screen === 'app') await openApp(first.account)
else render(<AuthScreen initial={first} onSignedIn={(account) => void openApp(account)} />)
