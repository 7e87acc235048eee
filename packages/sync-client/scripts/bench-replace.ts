// Issue 5's yardstick for the full replace: applyResponse vs a bare IndexedDB bulk write of the same records into
// tables with the same indexes, both on fake-indexeddb (absolute times are not a phone's; the ratio is the point).
// Also times the response validation that precedes it. Run: N=100000 npx tsx packages/sync-client/scripts/bench-replace.ts
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { Dexie } from 'dexie'
import { companiesContacts as spec, syncSchemas } from '@offline-sync/sync-protocol'
import { createLocalDatabase } from '../src/local-database.ts'
import { applyResponse } from '../src/apply-response.ts'

const N = Number(process.env.N ?? 100_000)
const now = new Date().toISOString()
const contacts = Array.from({ length: N }, (_, i) => ({
  id: i + 1,
  uid: crypto.randomUUID(),
  companyId: (i % 1000) + 1,
  name: `Contact ${i}`,
  jobTitle: 'Engineer',
  email: `c${i}@example.com`,
  phone: '+1 555 0100',
  createdAt: now,
  updatedAt: now,
  version: String(i + 1),
  isFromServer: true as const,
  isModified: false as const,
  isActive: true as const,
}))
const companies = Array.from({ length: 1000 }, (_, i) => ({
  id: i + 1,
  uid: crypto.randomUUID(),
  name: `Company ${i}`,
  address: null,
  phone: null,
  email: null,
  website: null,
  createdAt: now,
  updatedAt: now,
  version: '1',
  isFromServer: true as const,
  isModified: false as const,
  isActive: true as const,
}))
const response = {
  mode: 'full' as const,
  cursor: '1',
  replayed: false,
  companies,
  contacts,
  removed: { companies: [], contacts: [] },
  companyIdMap: {},
  contactIdMap: {},
  rejected: [],
}

const bare = new Dexie(`bare-${crypto.randomUUID()}`, { indexedDB, IDBKeyRange })
bare.version(1).stores({
  contacts: 'uid, &id, _sort, _pending, companyId, [companyId+_sort]',
  companies: 'uid, &id, _sort, _pending',
})
let t = performance.now()
await bare.transaction('rw', ['contacts', 'companies'], async () => {
  await bare.table('companies').bulkPut(companies)
  await bare.table('contacts').bulkPut(contacts)
})
const bareMs = performance.now() - t

t = performance.now()
const parsed = syncSchemas(spec).response.safeParse(JSON.parse(JSON.stringify(response)))
const zodMs = performance.now() - t

const db = createLocalDatabase(spec, `engine-${crypto.randomUUID()}`, { indexedDB, IDBKeyRange })
await db.outbox.put({ key: 'current', request: { deviceId: 'd', syncId: 's' }, sentRevs: {}, createdAt: now })
t = performance.now()
await applyResponse(
  db,
  spec,
  { key: 'current', request: { deviceId: 'd', syncId: 's' }, sentRevs: {}, createdAt: now },
  parsed.data as never,
  () => {},
)
const applyMs = performance.now() - t
console.log(
  JSON.stringify({
    N,
    bareMs: Math.round(bareMs),
    applyMs: Math.round(applyMs),
    ratio: +(applyMs / bareMs).toFixed(2),
    zodMs: Math.round(zodMs),
    ok: parsed.success,
  }),
)
