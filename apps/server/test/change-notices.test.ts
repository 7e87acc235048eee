import { describe, expect, it } from 'vitest'
import { parseChangeNotice, parseSessionEnded } from '../src/live/change-notices.ts'

describe('change notices', () => {
  it("rule L6: a '<cursor>:<deviceId>' notice is read back; device ids compare in lower case", () => {
    expect(parseChangeNotice('42:7D1E0C8A-1B2C-4D3E-8F90-0A1B2C3D4E5F')).toEqual({
      cursor: '42',
      deviceId: '7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
    })
  })

  it('rule L6: any other payload on the channel is ignored, never trusted', () => {
    for (const payload of [
      '',
      '42',
      '42:',
      ':7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
      '-1:7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
      '4.2:7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
      '1e3:7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
      '99999999999999999999:7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f',
      '42:not-a-uuid',
      '42:7d1e0c8a-1b2c-4d3e-8f90-0a1b2c3d4e5f:extra',
      '{"cursor":"42"}',
    ])
      expect(parseChangeNotice(payload), payload).toBeNull()
  })

  it('rule L8: a session-ended notice names the token hash and one of the two reasons', () => {
    expect(parseSessionEnded('abc:signed_out')).toEqual({ tokenHash: 'abc', reason: 'signed_out' })
    expect(parseSessionEnded('abc:session_expired')).toEqual({ tokenHash: 'abc', reason: 'session_expired' })
    for (const payload of ['abc', 'abc:bored', ':signed_out', 'abc:signed_out:x'])
      expect(parseSessionEnded(payload), payload).toBeNull()
  })
})
