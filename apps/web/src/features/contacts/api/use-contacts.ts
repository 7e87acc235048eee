import { useLiveQuery } from 'dexie-react-hooks'
import { queries, type LocalCompany, type LocalContact } from '../../../lib/db.ts'

/** A company's contacts on the device, live. undefined while loading. */
export function useContacts(companyId: number): LocalContact[] | undefined {
  return useLiveQuery(() => queries.listChildren(companyId), [companyId])
}

/** One contact by uid, live. undefined while loading; null when it is gone or deleted. */
export function useContact(uid: string): LocalContact | null | undefined {
  return useLiveQuery(async () => {
    const contact = await queries.getChild(uid)
    return contact?.isActive ? contact : null
  }, [uid])
}

/** A company by uid (the contact forms need its current id, which changes when it first syncs). */
export function useCompanyOf(uid: string | undefined): LocalCompany | null | undefined {
  return useLiveQuery(async () => {
    const company = uid === undefined ? undefined : await queries.getParent(uid)
    return company?.isActive ? company : null
  }, [uid])
}

/** The company a contact belongs to, by the contact's companyId. */
export function useCompanyById(companyId: number | undefined): LocalCompany | null | undefined {
  return useLiveQuery(async () => {
    const company = companyId === undefined ? undefined : await queries.getParentById(companyId)
    return company?.isActive ? company : null
  }, [companyId])
}
