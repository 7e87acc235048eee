import { describe, expect, it } from 'vitest'
import { issueSentence } from './record-issue-words.ts'

const serverRecord = { isFromServer: true, isModified: false, isActive: true }
const refused = (code: string, reason = 'its company (id 1) no longer exists') => ({ code, reason })

describe('issueSentence', () => {
  it('says a company deleted elsewhere, never changed here, is kept for the contacts under it, by name', () => {
    const text = issueSentence({
      noun: 'company',
      record: {
        ...serverRecord,
        name: 'Night Owl Bakery',
        syncError: refused('not_found', 'deleted on the server by someone else'),
      },
    })
    expect(text).toBe(
      'Another device deleted “Night Owl Bakery” on the server. It is still shown here because of contacts you ' +
        'added or changed under it: re-create it, move those contacts to another company, or discard them.',
    )
  })

  it('names the contact and its company instead of the server’s internal id', () => {
    const text = issueSentence({
      noun: 'contact',
      parentName: 'Night Owl Bakery',
      record: {
        isFromServer: false,
        isModified: false,
        isActive: true,
        name: 'Ada',
        syncError: refused('parent_not_found'),
      },
    })
    expect(text).toContain(
      '“Ada” could not be saved on the server because another device deleted its company “Night Owl Bakery”.',
    )
    expect(text).not.toMatch(/id \d/)
  })

  it('keeps the server’s reason for a broken field rule, and says a changed record deleted elsewhere kept the changes', () => {
    expect(
      issueSentence({
        noun: 'company',
        record: {
          ...serverRecord,
          isModified: true,
          name: 'Acme',
          syncError: refused('invalid', 'Email must be an email address like name@example.com'),
        },
      }),
    ).toBe(
      'The server did not accept your change to “Acme”: Email must be an email address like name@example.com',
    )
    expect(
      issueSentence({
        noun: 'company',
        record: { ...serverRecord, isModified: true, name: 'Acme', syncError: refused('not_found') },
      }),
    ).toContain('after you changed it here. Your changes are still on this phone')
  })

  it('says nothing for a record without a refusal', () => {
    expect(issueSentence({ noun: 'company', record: { ...serverRecord, syncError: null } })).toBe('')
  })
})
