import { describe, expect, it } from 'vitest'
import { parseSyncRequest } from '@offline-sync/sync-server'
import {
  applyRequest,
  baseData,
  batchPlan,
  editsRequest,
  expectedAfterApply,
  noChangeRequest,
  spec,
} from './workload.ts'

describe('bench workload', () => {
  it('is the same on every call, so every contender and repetition gets identical input', () => {
    expect(applyRequest(1)).toEqual(applyRequest(1))
    expect(baseData(1)).toEqual(baseData(1))
  })

  it('gives every record a distinct uid (rule R1), across base data and the batch', () => {
    const { companies, contacts } = baseData(10)
    const batch = applyRequest(10)
    const uids = [...companies, ...contacts, ...batch.companies.added, ...batch.contacts.added].map(
      (r) => r.uid,
    )
    expect(new Set(uids).size).toBe(uids.length)
  })

  it('builds requests the protocol accepts (every id, parent key and field valid)', () => {
    for (const request of [
      applyRequest(1),
      applyRequest(1, '1'),
      editsRequest(1, 10, 1),
      noChangeRequest(1, null),
    ]) {
      const parsed = parseSyncRequest(spec, JSON.parse(JSON.stringify(request)))
      expect(parsed.ok ? 'ok' : parsed.error.message).toBe('ok')
    }
  })

  it('at 10× is the issue apply workload: 1,000 + 10,000 added, 1,000 modified, 500 deleted', () => {
    const request = applyRequest(10)
    expect(request.companies.added).toHaveLength(1000)
    expect(request.contacts.added).toHaveLength(10_000)
    expect(request.companies.modified.length + request.contacts.modified.length).toBe(1000)
    expect(request.companies.deleted.length + request.contacts.deleted.length).toBe(500)
  })

  it('never modifies or deletes a record that the same batch deletes with its company', () => {
    const plan = batchPlan(10)
    const deletedCompanies = new Set(plan.deletedCompanyIds)
    const companyOf = (contactId: number) => Math.ceil(contactId / 10)
    for (const id of [...plan.modifiedContactIds, ...plan.deletedContactIds])
      expect(deletedCompanies.has(companyOf(id))).toBe(false)
    for (const contact of applyRequest(10).contacts.added)
      expect(deletedCompanies.has(contact.companyId)).toBe(false)
    expect(expectedAfterApply(10)).toEqual({ companies: 1950, contacts: 19_050 })
  })
})
