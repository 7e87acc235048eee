import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, requestHash } from '../src/index.ts'

describe('requestHash', () => {
  it('ignores key order and the cursor, but not the changes', () => {
    const a = { deviceId: 'd', syncId: 's', companies: { added: [{ id: -1, name: 'A' }] } }
    const b = { companies: { added: [{ name: 'A', id: -1 }] }, syncId: 's', deviceId: 'd', cursor: '7' }
    expect(requestHash(a)).toBe(requestHash(b))
    expect(requestHash({ ...a, companies: { added: [{ id: -1, name: 'B' }] } })).not.toBe(requestHash(a))
  })

  it('keeps array order, which decides the order of inserts', () => {
    expect(canonicalJson([1, { b: 1, a: null }])).toBe('[1,{"a":null,"b":1}]')
    expect(requestHash({ list: [1, 2] })).not.toBe(requestHash({ list: [2, 1] }))
  })

  it('writes JSON data exactly as the original per-object sort did, so stored receipt hashes still match', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(referenceCanonicalJson(value))
      }),
      { numRuns: 500 },
    )
    const nested = { z: [{ b: undefined, a: [undefined, 'x'] }], '': 1, Z: { é: true, e: -0 } }
    expect(canonicalJson(nested)).toBe('{"":1,"Z":{"e":0,"é":true},"z":[{"a":[null,"x"]}]}')
    expect(canonicalJson(undefined)).toBe('null')
  })

  it('writes a "__proto__" key only where an object owns one (fast-check found the inherited one written)', () => {
    const value = JSON.parse('[[{}],{"__proto__":""},{"a":{"__proto__":{"b":1}}}]') as unknown
    expect(canonicalJson(value)).toBe('[[{}],{"__proto__":""},{"a":{"__proto__":{"b":1}}}]')
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value))
  })

  it('hashes a known request to the same value as before', () => {
    const request = {
      deviceId: '6f1c2b1e-8d7a-4c0e-9a51-3b2f7d9e0a11',
      syncId: '0b7e6a52-1f3c-4d8e-b6a9-5c4d3e2f1a00',
      cursor: '12',
      companies: { added: [{ id: -1, uid: 'u', name: 'Acme', phone: null }], modified: [], deleted: [] },
      contacts: { added: [], modified: [{ id: 4, uid: 'v', companyId: -1, name: 'Ann' }], deleted: [] },
    }
    expect(requestHash(request)).toBe(
      createHash('sha256')
        .update(referenceCanonicalJson({ ...request, cursor: undefined }))
        .digest('hex'),
    )
  })
})

/** The first implementation (sort each object's entries, recurse), kept as the oracle the fast one must match. */
function referenceCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value ?? null)
}
