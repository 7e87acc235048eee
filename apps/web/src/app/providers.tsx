import type { ReactNode } from 'react'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { SyncProvider } from '../features/sync/components/sync-provider.tsx'

// Reads come from IndexedDB (useLiveQuery), so react-query only runs the sync mutation.
const queryClient = new QueryClient({
  defaultOptions: { mutations: { networkMode: 'always' } },
})

export function Providers({ children }: { children: ReactNode }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SyncProvider>{children}</SyncProvider>
    </QueryClientProvider>
  )
}
