import type { NodeDevice } from '@offline-sync/test-support/node-device'

/**
 * One simulated person on one device: a few local writes (adds, edits of records every device sees, deletes),
 * then a sync, over and over until `until`. Every edit writes a value tagged `d<device>-s<seq>`, unique in the
 * whole run, so the final state on the server can be traced back to the write that produced it.
 */
export async function runWorkload(
  device: NodeDevice,
  deviceIndex: number,
  until: number,
  random: () => number = Math.random,
): Promise<void> {
  let seq = 0
  const tag = () => `d${deviceIndex}-s${seq++}`
  const pickFrom = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)]

  while (Date.now() < until) {
    const writes = 1 + Math.floor(random() * 3)
    for (let i = 0; i < writes; i++) await oneWrite()
    await device.sync()
    await settleRefusals(device)
    // A little think time, so that devices interleave rather than march in step.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 50)))
  }

  async function oneWrite(): Promise<void> {
    const companies = (await device.db.parents.toArray()).filter((r) => r.isActive && !r.syncError)
    const contacts = (await device.db.children.toArray()).filter((r) => r.isActive && !r.syncError)
    const synced = companies.filter((r) => r.id > 0)
    const roll = random()
    if (roll < 0.3 && synced.length > 0) {
      // Edits concentrate on the shared companies: the contention last-write-wins has to settle.
      const shared = synced.filter((r) => String(r.name).startsWith('Shared'))
      const target = pickFrom(random() < 0.7 && shared.length > 0 ? shared : synced)!
      await device.writes.update('company', target.uid, { address: tag(), phone: `+1 555 ${deviceIndex}` })
    } else if (roll < 0.45 && contacts.length > 0) {
      const target = pickFrom(contacts)!
      await device.writes.update('contact', target.uid, { jobTitle: tag() })
    } else if (roll < 0.65) {
      const company = await device.writes.create('company', { name: `Load ${tag()}`, address: tag() })
      const children = Math.floor(random() * 3)
      for (let i = 0; i < children; i++)
        await device.writes.create('contact', { name: `Person ${tag()}`, companyId: company.id })
    } else if (roll < 0.8 && companies.length > 0) {
      const parent = pickFrom(companies)!
      await device.writes.create('contact', { name: `Person ${tag()}`, companyId: parent.id })
    } else if (roll < 0.9) {
      // Deletes spare the shared core, so that edits keep meeting each other there all run long.
      const target = pickFrom(synced.filter((r) => !String(r.name).startsWith('Shared')))
      if (target) await device.writes.remove('company', target.uid)
    } else {
      const target = pickFrom(contacts.filter((r) => r.id > 0))
      if (target) await device.writes.remove('contact', target.uid)
    }
  }
}

/**
 * What a person does with the "needs attention" list: a change the server refused (the record was deleted by
 * someone else meanwhile) is discarded, and children left under a deleted parent go with it.
 */
export async function settleRefusals(device: NodeDevice): Promise<number> {
  let settled = 0
  for (const entry of await device.attention.list()) {
    if (entry.kind === 'refused') await device.writes.discard(entry.entity, entry.record.uid)
    else await device.attention.discardOrphans(entry.parentId)
    settled++
  }
  return settled
}

/**
 * After the run: syncs until nothing is left to send (refusals settled as above). Throws when a device cannot get
 * there in `rounds` syncs.
 */
export async function drain(device: NodeDevice, rounds = 8): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await settleRefusals(device)
    const report = await device.sync()
    if (report.outcome === 'failed') continue
    await settleRefusals(device)
    if ((await device.pending()).length === 0 && (await device.outbox()).length === 0) return
  }
  throw new Error(`${device.label} still has changes to send after ${rounds} syncs`)
}
