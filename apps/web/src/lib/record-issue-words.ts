import type { SyncFlags } from './record-status.ts'

export interface IssueSubject {
  record: SyncFlags & { name?: unknown }
  /** "company", "contact". */
  noun: string
  /** For a contact: its company's name, when this phone still has it. */
  parentName?: string | null
}

const quoted = (name: unknown, fallback: string) =>
  typeof name === 'string' && name.trim() !== '' ? `“${name}”` : fallback

/**
 * What happened to a record the server refused, in full sentences, by name and never by id: the server's own
 * reason is written for its log and may name internal ids, so it is shown only for `invalid` (a field rule, which
 * reads well and says what to fix).
 */
export function issueSentence({ record, noun, parentName }: IssueSubject): string {
  const error = record.syncError
  if (!error) return ''
  const name = quoted(record.name, `This ${noun}`)
  switch (error.code) {
    case 'invalid':
      return `The server did not accept your change to ${name}: ${error.reason}`
    case 'not_found':
      if (!record.isFromServer || record.isModified || !record.isActive) {
        return (
          `Another device deleted ${name} on the server after you changed it here. Your changes are still on ` +
          `this phone: send it again as a new ${noun}, or discard them.`
        )
      }
      // A company kept on this phone only for the contacts under it (nothing of it was changed here).
      return (
        `Another device deleted ${name} on the server. It is still shown here because of contacts you added ` +
        `or changed under it: re-create it, move those contacts to another company, or discard them.`
      )
    case 'parent_not_found':
      return (
        `${name} could not be saved on the server because another device deleted its company` +
        `${parentName ? ` ${quoted(parentName, '')}` : ''}. It is still on this phone: move it to another ` +
        'company, re-create the company, or discard it.'
      )
    case 'already_deleted':
      return `Another device had already deleted ${name} on the server. Nothing else to do.`
    default:
      return `The server did not accept your change to ${name}. It is still on this phone.`
  }
}
