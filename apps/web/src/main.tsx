import './styles/app.css'
import { applyTheme, readTheme } from './lib/theme/theme.ts'

// Before the first paint: a device set to dark never flashes the light screen.
applyTheme(readTheme())

/**
 * Resolves once the browser has painted the static header of index.html, or after a short wait when it does not
 * paint at all (a hidden tab runs no animation frames). Starting React only then keeps the first paint from waiting
 * for ~130 KB of JavaScript to be evaluated: the person sees the app's frame at once.
 */
function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0))
    setTimeout(resolve, 100)
  })
}

await afterFirstPaint()
// Preloaded from the HTML (vite.config.ts), so this import waits for no download on the usual start.
await import('./app/start.tsx')
