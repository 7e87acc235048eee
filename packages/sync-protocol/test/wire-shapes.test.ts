import { describe, expect, it } from 'vitest'
import {
  buildResponse,
  companiesContacts,
  idMapKey,
  requestChanges,
  responseParts,
  syncSchemas,
} from '../src/index.ts'

const uid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

describe('wire shapes: the typed crossing between a declaration and the engines', () => {
  it('names id maps after the entity', () => {
    expect(idMapKey(companiesContacts.parent.name)).toBe('companyIdMap')
    expect(idMapKey(companiesContacts.child.name)).toBe('contactIdMap')
  })

  it('a response built from its parts passes the schema and reads back as the same parts', () => {
    const meta = {
      createdAt: 'c',
      updatedAt: 'u',
      version: '3',
      isFromServer: true,
      isModified: false,
      isActive: true,
    }
    const parts = {
      mode: 'delta' as const,
      cursor: '3',
      replayed: false,
      parents: [
        { id: 1, uid: uid(1), name: 'Acme', phone: null, email: null, website: null, address: null, ...meta },
      ],
      children: [],
      removed: { parents: [7], children: [8, 9] },
      parentIdMap: { '-1': 1 },
      childIdMap: {},
      rejected: [],
      overwrites: [
        {
          entity: 'company',
          id: 1,
          uid: uid(1),
          field: 'name',
          replaced: 'Acme Ltd',
          written: 'Acme',
          byDevice: uid(5),
          version: '3',
        },
      ],
      overwritten: [],
      page: null,
      written: {
        parents: [{ id: 1, uid: uid(1), createdAt: 'c', updatedAt: 'u', version: '3' }],
        children: [],
      },
    }
    const response = buildResponse(companiesContacts, parts)
    expect(response.companyIdMap).toEqual({ '-1': 1 })
    expect(response.removed).toEqual({ companies: [7], contacts: [8, 9] })
    const checked = syncSchemas(companiesContacts).response.safeParse(response)
    expect(checked.success ? [] : checked.error.issues).toEqual([])
    expect(responseParts(companiesContacts, response)).toEqual(parts)
  })

  it("reads a request's change sets by role, and a missing set as undefined", () => {
    const companies = { added: [{ id: -1, uid: uid(2), name: 'New' }], modified: [], deleted: [] }
    const request = { deviceId: uid(3), syncId: uid(4), companies }
    expect(requestChanges(companiesContacts, request)).toEqual({ parents: companies, children: undefined })
  })
})
