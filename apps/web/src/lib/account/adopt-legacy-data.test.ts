import { afterEach, describe, expect, it } from 'vitest'
import { IDBKeyRange, indexedDB } from 'fake-indexeddb'
import { companiesContacts } from '@offline-sync/protocol'
import { createLocalDatabase, createLocalQueries, createLocalWrites } from '@offline-sync/client-engine'
import { adoptLegacyData, LEGACY_DATABASE_NAME } from './adopt-legacy-data.ts'
import { localDatabaseName } from './stored-account.ts'

const deps = { indexedDB, IDBKeyRange }
const names = async () => (await indexedDB.databases()).map((info) => info.name)
const open = (name: string) => createLocalDatabase(companiesContacts, name, deps)

afterEach(async () => {
  for (const name of await names()) if (name) await open(name).delete()
})

describe('adoptLegacyData', () => {
  it("moves the pre-accounts database, unsent changes and device id included, to the first account's", async () => {
    const legacy = open(LEGACY_DATABASE_NAME)
    await createLocalWrites(legacy, companiesContacts).create('company', { name: 'Made Before Accounts' })
    const deviceId = (await legacy.meta.get('deviceId'))?.value
    legacy.close()

    expect(await adoptLegacyData(5, deps)).toBe(true)

    const adopted = open(localDatabaseName(5))
    const queries = createLocalQueries(adopted, companiesContacts)
    expect(await queries.pendingCount()).toBe(1)
    expect((await adopted.parents.toArray()).map((record) => record.name)).toEqual(['Made Before Accounts'])
    expect((await adopted.meta.get('deviceId'))?.value).toBe(deviceId)
    adopted.close()
    await expect.poll(names).not.toContain(LEGACY_DATABASE_NAME)

    // The next account finds nothing to adopt.
    expect(await adoptLegacyData(6, deps)).toBe(false)
  })

  it('does nothing without a legacy database, or when the account already has its own', async () => {
    expect(await adoptLegacyData(5, deps)).toBe(false)
    expect(await names()).toEqual([])

    const own = open(localDatabaseName(5))
    await own.open()
    own.close()
    const legacy = open(LEGACY_DATABASE_NAME)
    await createLocalWrites(legacy, companiesContacts).create('company', { name: 'Not Merged' })
    legacy.close()
    expect(await adoptLegacyData(5, deps)).toBe(false)
    expect(await names()).toContain(LEGACY_DATABASE_NAME)
  })
})
