import type { OrphansEntry, RefusedEntry } from './attention-store.ts'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`
const quoted = (name: string | null | undefined) => (name ? `“${name}”` : 'this company')

/** What happened to a refused record and what the user can do, in plain words. */
export function refusedReason(entry: RefusedEntry): string {
  const error = entry.record.syncError
  const noun = entry.entity
  if (error?.code === 'invalid') {
    return `The server did not accept this ${noun}: ${error.reason} Fix it and it is sent again at the next sync.`
  }
  if (error?.code === 'not_found') {
    return (
      `Another device deleted this ${noun} on the server after you changed it here. Your changes are still on ` +
      `this phone: send it again as a new ${noun}, or discard it.`
    )
  }
  return error?.reason ?? `The server refused this ${noun}.`
}

/** Why these contacts cannot be sent, in plain words. */
export function orphansReason(entry: OrphansEntry): string {
  const contacts = plural(entry.children.length, 'contact')
  const { parent } = entry
  if (!parent) {
    const one = entry.children.length === 1
    return (
      `Another device deleted the company of ${one ? 'this contact' : `these ${contacts}`} on the server. ` +
      `Nothing is lost: ${one ? 'it is' : 'they are'} still on this phone. Move ${one ? 'it' : 'them'} to ` +
      `another company, re-create the company, or discard ${one ? 'it' : 'them'}.`
    )
  }
  if (parent.syncError?.code === 'not_found' && !parent.isModified) {
    return (
      `Another device deleted ${quoted(parent.name)} on the server while you had ${contacts} added or moved ` +
      'under it here. Nothing is lost: re-create the company as it was, move the contacts, or discard them.'
    )
  }
  if (parent.syncError?.code === 'not_found') {
    const kids = entry.children.length > 0 ? ` and ${contacts} you added or changed under it` : ''
    return (
      `Another device deleted ${quoted(parent.name)} on the server while you had changes to it here${kids}. ` +
      'Nothing is lost: re-create the company with your changes, move its contacts, or discard.'
    )
  }
  if (parent.syncError) {
    return (
      `${contacts} wait for ${quoted(parent.name)}, which the server refused. Fix the company and they are sent ` +
      'with it, or move them to another company.'
    )
  }
  return (
    `The server refused ${contacts} because their company was missing at the time. Move them to a company ` +
    'to send them again, or discard them.'
  )
}

/** The list of names for a confirmation: "Ann, Bob and 3 more". */
export function namesOf(records: { name?: string | null }[]): string {
  const names = records.map((r) => r.name || 'unnamed')
  if (names.length <= 3) return names.join(', ')
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
}
