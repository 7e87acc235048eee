import { describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { parseSyncRequest } from '../src/index.ts'
import { body, newCompany, newContact, spec } from './helpers.ts'

const company = newCompany(-1)
const withCompanies = (added: unknown[], extra: Record<string, unknown> = {}) => ({
  ...body(),
  companies: { added, modified: [], deleted: [] },
  ...extra,
})
const withContacts = (added: unknown[], modified: unknown[] = []) => ({
  ...body({ companies: { added: [company] } }),
  contacts: { added, modified, deleted: [] },
})

const badInputs: [string, unknown, RegExp][] = [
  ['a JSON array', [], /must be a JSON object, got an array/],
  ['null', null, /must be a JSON object, got null/],
  ['a string', 'sync please', /must be a JSON object, got string/],
  ['a missing deviceId', { ...body(), deviceId: undefined }, /deviceId: deviceId is missing/],
  ['a deviceId that is not a UUID', { ...body(), deviceId: 'phone-1' }, /deviceId: deviceId must be a UUID/],
  [
    'a missing change set',
    { protocolVersion: 3, deviceId: randomUUID(), syncId: randomUUID(), companies: body().companies },
    /contacts: contacts is missing/,
  ],
  [
    'a number where text belongs',
    withCompanies([{ ...company, name: 42 }]),
    /companies\.added\[0\]\.name: Name must be text or null, got a number/,
  ],
  [
    'an unknown field',
    withCompanies([{ ...company, isModified: true }]),
    /companies\.added\[0\]: unknown field "isModified"/,
  ],
  ['an unknown top-level field', { ...body(), hello: 1 }, /\(request\): unknown field "hello"/],
  [
    'a record without an id',
    withCompanies([{ uid: randomUUID(), name: 'x' }]),
    /companies\.added\[0\]\.id: id is missing/,
  ],
  [
    'a positive id in added',
    withCompanies([newCompany(5)]),
    /companies\.added\[0\]\.id: an added company must have a negative local id, got 5/,
  ],
  [
    'a negative id in modified',
    { ...body(), companies: { added: [], modified: [newCompany(-4)], deleted: [] } },
    /companies\.modified\[0\]\.id: a modified company must carry its server id .*got -4/,
  ],
  [
    'a missing required name',
    withCompanies([{ ...company, name: '  ' }]),
    /companies\.added\[0\]\.name: Name is required/,
  ],
  [
    'an over-long name',
    withCompanies([{ ...company, name: 'x'.repeat(201) }]),
    /Name must be at most 200 characters/,
  ],
  [
    'a NUL byte',
    withCompanies([{ ...company, address: 'a\u0000b' }]),
    /Address must not contain NUL characters/,
  ],
  ['a bad email', withCompanies([{ ...company, email: 'nope' }]), /Email must be an email address/],
  [
    'a uid that is not a UUID',
    withCompanies([{ ...company, uid: '123' }]),
    /companies\.added\[0\]\.uid: uid must be a UUID/,
  ],
  [
    'a contact pointing at an unknown local company',
    withContacts([newContact(-2, -99)]),
    /contacts\.added\[0\]\.companyId: .*-99.*not among the added companies/,
  ],
  [
    'a modified contact pointing at an unknown local company',
    withContacts([], [{ ...newContact(7, -42), base: '1' }]),
    /contacts\.modified\[0\]\.companyId: .*-42/,
  ],
  ['the same id twice', withCompanies([company, newCompany(-1)]), /company id -1 appears twice/],
  [
    'the same uid twice',
    withCompanies([company, { ...newCompany(-2), uid: company.uid.toUpperCase() }]),
    /company uid .* appears twice/,
  ],
  [
    'a malformed cursor',
    { ...body(), cursor: 'yesterday' },
    /cursor: cursor must be a cursor returned by the server/,
  ],
]

describe('parseSyncRequest', () => {
  it.each(badInputs)('refuses %s with a message naming the problem', (_, input, message) => {
    const result = parseSyncRequest(spec, input)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('invalid_request')
    expect(result.error.message).toMatch(/^The sync request is invalid:\n/)
    expect(result.error.message).toMatch(message)
    expect(result.error.details).toEqual(
      expect.arrayContaining([{ path: expect.any(String), message: expect.any(String) }]),
    )
  })

  it('accepts a valid request and normalises empty fields to null', () => {
    const result = parseSyncRequest(spec, withCompanies([{ ...company, address: '', phone: undefined }]))
    expect(result.ok && result.value.companies.added[0]).toMatchObject({ address: null, phone: null })
  })

  it('keeps a long list of problems readable', () => {
    const many = withCompanies(Array.from({ length: 500 }, (_, i) => ({ ...newCompany(-1 - i), name: '' })))
    const result = parseSyncRequest(spec, many)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.message.split('\n')).toHaveLength(22) // heading + 20 lines + "…and N more"
    expect(result.error.message).toContain('…and 480 more problems')
  })
})

describe('protocol version (rules P1, P2)', () => {
  it('rule P1: a request carrying the current protocolVersion parses', () => {
    expect(parseSyncRequest(spec, body()).ok).toBe(true)
  })

  it.each([
    ['missing (a version-1 build)', undefined, /carries none \(version 1\)/],
    ['1', 1, /carries 1\b/],
    ['2 (one answer for a whole full read)', 2, /carries 2\b/],
    ['a future 4', 4, /carries 4\b/],
    ['a string "3"', '3', /carries "3"/],
  ])('rule P2: a protocolVersion %s is refused with version_not_supported', (_label, version, message) => {
    const result = parseSyncRequest(spec, { ...body(), protocolVersion: version })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('version_not_supported')
    expect(result.error.message).toMatch(message)
    expect(result.error.details).toEqual({ supported: [3] })
  })

  it('rule P2: a version-1 whole-record modify is refused before any field is read', () => {
    const v1 = {
      ...body(),
      companies: { added: [], modified: [{ id: 5, uid: randomUUID(), name: 'x' }], deleted: [] },
    }
    delete (v1 as { protocolVersion?: number }).protocolVersion
    const result = parseSyncRequest(spec, v1)
    expect(result.ok || result.error.code).toBe('version_not_supported')
  })

  it('rule M2: a modify or delete without a base is invalid', () => {
    const wire = {
      ...body(),
      companies: { added: [], modified: [{ id: 5, uid: randomUUID(), name: 'x' }], deleted: [] },
    }
    const result = parseSyncRequest(spec, wire)
    expect(result.ok || result.error.message).toMatch(/companies\.modified\[0\]\.base: base is missing/)
  })

  it('rule M1: a modify that leaves a field out keeps it out (unchanged), and a required field may be left out', () => {
    const uid = randomUUID()
    const wire = {
      ...body(),
      companies: { added: [], modified: [{ id: 5, uid, base: '3', phone: '' }], deleted: [] },
    }
    const result = parseSyncRequest(spec, wire)
    if (!result.ok) throw new Error(result.error.message)
    expect(result.value.companies.modified).toEqual([{ id: 5, uid, base: '3', phone: null }])
  })
})
