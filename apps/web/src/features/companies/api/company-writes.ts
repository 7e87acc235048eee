import { writes } from '../../../lib/db.ts'
import { recordFieldsOf, type FormValues } from '../../../lib/form-values.ts'

/** Creates a company on the device (pending until synced). Throws LocalValidationError. */
export async function createCompany(values: FormValues) {
  return writes.create('company', recordFieldsOf(values))
}

/** Saves an edit on the device. Throws LocalValidationError. */
export async function updateCompany(uid: string, values: FormValues): Promise<void> {
  await writes.update('company', uid, recordFieldsOf(values))
}

/** Deletes a company and its contacts on the device; the server follows at the next sync. */
export async function deleteCompany(uid: string): Promise<void> {
  await writes.remove('company', uid)
}

/** Throws away this device's pending or refused change to a company. */
export async function discardCompanyChange(uid: string): Promise<void> {
  await writes.discard('company', uid)
}
