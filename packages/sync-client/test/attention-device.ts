import { afterEach } from 'vitest'
import { createAttentionActions } from '../src/attention-actions.ts'
import type { LocalRecord } from '../src/local-database.ts'
import { toStored } from '../src/stored-record.ts'
import { makeDevice, spec } from './helpers.ts'

/** A fresh device with its attention actions; every one made in a test file is deleted after each test. */
export function attentionDevices(label: string) {
  const devices: ReturnType<typeof makeDevice>[] = []
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.db.delete()
  })
  return () => {
    const d = makeDevice(label)
    devices.push(d)
    return { ...d, actions: createAttentionActions(d.db, spec) }
  }
}

export type AttentionDevice = ReturnType<ReturnType<typeof attentionDevices>>

/** Writes a record straight into a table in any sync state, as a sync would leave it. */
export async function putRecord(
  d: AttentionDevice,
  entity: 'company' | 'contact',
  record: Partial<LocalRecord> & { id: number },
): Promise<LocalRecord> {
  const full: LocalRecord = {
    uid: crypto.randomUUID(),
    name: `${entity} ${record.id}`,
    isFromServer: record.id > 0,
    isModified: false,
    isActive: true,
    rev: 0,
    syncError: null,
    ...record,
  }
  await d.db.tableOf(entity).put(toStored(full, 'name'))
  return full
}
