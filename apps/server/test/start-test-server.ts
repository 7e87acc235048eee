import type { AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:http'
import { createTestDatabase } from '@offline-sync/db/testing'
import { createApp } from '../src/create-app.ts'

export interface TestServer {
  url: string
  db: Awaited<ReturnType<typeof createTestDatabase>>
  /** Row counts of every synced table, to prove a refused request changed nothing. */
  snapshot(): Promise<{ companies: number; contacts: number; receipts: number; cursor: string }>
  close(): Promise<void>
}

/** The real app on a throwaway, migrated database, listening on a random loopback port. */
export async function startTestServer(kind: 'postgres' | 'pglite'): Promise<TestServer> {
  const db = await createTestDatabase(kind)
  const server: Server = createServer(createApp({ db }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    async snapshot() {
      const [row] = await db.sql.query<{
        companies: string
        contacts: string
        receipts: string
        cursor: string
      }>(
        `SELECT (SELECT count(*) FROM "Company")::text AS companies, (SELECT count(*) FROM "Contact")::text AS contacts,
                (SELECT count(*) FROM "SyncReceipt")::text AS receipts,
                COALESCE((SELECT cursor FROM "SyncState" WHERE id = 1), 0)::text AS cursor`,
      )
      return {
        companies: Number(row?.companies),
        contacts: Number(row?.contacts),
        receipts: Number(row?.receipts),
        cursor: String(row?.cursor),
      }
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}
