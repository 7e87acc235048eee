import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestDatabase } from '@offline-sync/db/testing'
import { companiesContacts } from '@offline-sync/sync-protocol'
import { createServerDataSync, parseSyncRequest } from '@offline-sync/sync-server'
import type { Exchange } from '@offline-sync/test-support/node-device'
import { checkServerState } from './load-checks.ts'

const spec = companiesContacts
const empty = () => ({ added: [], modified: [], deleted: [] })

// The load test's checks must be able to fail: here they judge a small history the server engine really applied,
// told truthfully and then falsified.
describe('load checks', () => {
  let close: (() => Promise<void>) | undefined
  afterEach(async () => close?.())

  async function history() {
    const db = await createTestDatabase('postgres')
    close = () => db.close()
    const engine = createServerDataSync(spec, db.sql)
    const exchanges: Exchange[] = []
    const send = async (changes: Record<string, unknown>) => {
      const request = {
        protocolVersion: 3,
        deviceId: randomUUID(),
        syncId: randomUUID(),
        companies: empty(),
        contacts: empty(),
        ...changes,
      }
      const parsed = parseSyncRequest(spec, request)
      if (!parsed.ok) throw new Error(parsed.error.message)
      const response = JSON.parse(JSON.stringify(await engine.sync(parsed.value))) as Exchange['response']
      exchanges.push({ request: request as Exchange['request'], response, ms: 1 })
      return response as unknown as { companyIdMap: Record<string, number> }
    }
    const uid = randomUUID()
    const fields = { name: 'Acme', address: null, phone: null, email: null, website: null }
    const { companyIdMap } = await send({ companies: { ...empty(), added: [{ id: -1, uid, ...fields }] } })
    const id = companyIdMap['-1']!
    await send({ companies: { ...empty(), modified: [{ base: '0', id, uid, ...fields, address: 'first' }] } })
    await send({
      companies: { ...empty(), modified: [{ base: '0', id, uid, ...fields, address: 'second' }] },
    })
    return { db, exchanges, uid, id }
  }

  it('pass a true history', async () => {
    const { db, exchanges } = await history()
    const result = await checkServerState(db.url!, exchanges)
    expect(result.problems).toEqual([])
    expect(result.checkedRecords).toBe(1)
  })

  it('catch a final value that is not the last write by arrival', async () => {
    const { db, exchanges } = await history()
    // Claim the "first" edit arrived after the "second": the server's state now contradicts the order.
    const [, first, second] = exchanges
    ;[first!.response!.cursor, second!.response!.cursor] = [second!.response!.cursor, first!.response!.cursor]
    const { problems } = await checkServerState(db.url!, exchanges)
    expect(problems.join('\n')).toMatch(/last write by arrival/)
  })

  it('catch a record no device added, and an add that got lost', async () => {
    const { db, exchanges, uid } = await history()
    const stranger = await checkServerState(db.url!, exchanges.slice(1))
    expect(stranger.problems.join('\n')).toMatch(/no device's add of it was accepted/)
    await db.sql.query(`DELETE FROM "Company" WHERE uid = $1::uuid`, [uid])
    const lost = await checkServerState(db.url!, exchanges)
    expect(lost.problems.join('\n')).toMatch(/missing on the server \(lost\)/)
  })
})
