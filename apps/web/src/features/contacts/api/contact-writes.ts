import { queries, writes } from '../../../lib/db.ts'
import { recordFieldsOf, type FormValues } from '../../../lib/form-values.ts'

/**
 * Creates a contact of a company (by uid) on the device, pending until synced. The company's id is read at the
 * last moment: it changes when a sync gives a new company its server id. Throws LocalValidationError.
 */
export async function createContact(companyUid: string, values: FormValues) {
  const company = await queries.getParent(companyUid)
  return writes.create('contact', {
    ...recordFieldsOf(values),
    companyId: company?.isActive ? company.id : 0,
  })
}

/** Saves an edit on the device. Throws LocalValidationError. */
export async function updateContact(uid: string, values: FormValues): Promise<void> {
  await writes.update('contact', uid, recordFieldsOf(values))
}

/** Deletes a contact on the device; the server follows at the next sync. */
export async function deleteContact(uid: string): Promise<void> {
  await writes.remove('contact', uid)
}

/** Throws away this device's pending or refused change to a contact. */
export async function discardContactChange(uid: string): Promise<void> {
  await writes.discard('contact', uid)
}
