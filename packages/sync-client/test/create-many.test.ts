import { afterEach, describe, expect, it } from 'vitest'
import { LocalValidationError } from '../src/local-writes.ts'
import { makeDevice, spec } from './helpers.ts'
import { listSendable } from '../src/pending-changes.ts'

const devices: ReturnType<typeof makeDevice>[] = []
const device = () => {
  const d = makeDevice('create-many')
  devices.push(d)
  return d
}
afterEach(async () => {
  for (const d of devices.splice(0)) await d.db.delete()
})

describe('createMany (an import)', () => {
  it('adds many records as create does: negative ids from the one counter, pending adds, in name order', async () => {
    const d = device()
    const single = await d.writes.create('company', { name: 'Zed' })
    const many = await d.writes.createMany('company', [
      { name: 'Beta' },
      { name: 'Alpha', phone: '+1 555 0100' },
    ])
    expect(many.map((r) => r.id)).toEqual([single.id - 1, single.id - 2])
    expect(many.every((r) => !r.isFromServer && r.isActive && r.rev === 1 && r.syncError === null)).toBe(true)
    const next = await d.writes.create('company', { name: 'After' })
    expect(next.id).toBe(single.id - 3)
    expect((await d.queries.listParents({})).map((c) => c.name)).toEqual(['After', 'Alpha', 'Beta', 'Zed'])
    expect(await d.queries.pendingCount()).toBe(4)
    const contacts = await d.writes.createMany('contact', [
      { name: 'Ann', companyId: many[0]?.id },
      { name: 'Bob', companyId: many[1]?.id },
    ])
    const sendable = await listSendable(d.db, spec)
    expect(sendable.children.map((c) => [c.name, c.companyId])).toEqual(
      expect.arrayContaining([
        ['Ann', many[0]?.id],
        ['Bob', many[1]?.id],
      ]),
    )
    expect(contacts).toHaveLength(2)
  })

  it('writes nothing when one record breaks a field rule or names a company that is not here', async () => {
    const d = device()
    const acme = await d.writes.create('company', { name: 'Acme' })
    await expect(d.writes.createMany('company', [{ name: 'Good' }, { name: '' }])).rejects.toMatchObject({
      fieldErrors: { name: 'Name is required', _index: '1' },
    })
    await expect(
      d.writes.createMany('contact', [
        { name: 'Ann', companyId: acme.id },
        { name: 'Bob', companyId: -999 },
      ]),
    ).rejects.toBeInstanceOf(LocalValidationError)
    expect(await d.db.parents.count()).toBe(1)
    expect(await d.db.children.count()).toBe(0)
    expect((await d.db.meta.get('nextLocalId'))?.value).toBe(acme.id - 1)
  })
})
