import './lib/configure-zod.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/app.tsx'
import { wireOnlineManager } from './lib/sync/online-status.ts'
import { registerServiceWorker } from './lib/pwa/register-sw.ts'
import { requestPersistentStorage } from './lib/storage/request-persistence.ts'
import './styles/app.css'

wireOnlineManager()
registerServiceWorker()
// Unsynced work lives only in IndexedDB: ask the browser not to evict it. Fire and forget; it never throws.
void requestPersistentStorage()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
