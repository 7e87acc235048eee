import { useLiveQuery } from 'dexie-react-hooks'
import { queries, type LocalCompany } from '../../../lib/db.ts'

/** One company by uid, live. undefined while loading; null when there is no such company or it was deleted. */
export function useCompany(uid: string): LocalCompany | null | undefined {
  return useLiveQuery(async () => {
    const company = await queries.getParent(uid)
    return company?.isActive ? company : null
  }, [uid])
}

/** How many contacts a company has on the device, live (for the delete warning). */
export function useContactCount(companyId: number | undefined): number | undefined {
  return useLiveQuery(
    async () => (companyId === undefined ? 0 : (await queries.listChildren(companyId)).length),
    [companyId],
  )
}
