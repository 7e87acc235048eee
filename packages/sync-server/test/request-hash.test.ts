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
})
