import { Providers } from './providers.tsx'
import { Shell } from './shell.tsx'

export function App() {
  return (
    <Providers>
      <Shell />
    </Providers>
  )
}
