/** The channels live updates listen on (docs/sync-protocol.md rules L6 and L8). */
export const CHANGE_CHANNEL = 'sync_changes'
export const SESSION_ENDED_CHANNEL = 'session_ended'

const CURSOR = /^[0-9]{1,19}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `'<cursor>:<deviceId>'` as the sync engine sends it, or null for anything else (ignored, never trusted). */
export function parseChangeNotice(payload: string): { cursor: string; deviceId: string } | null {
  const [cursor, deviceId, extra] = payload.split(':')
  if (extra !== undefined || !cursor || !deviceId || !CURSOR.test(cursor) || !UUID.test(deviceId)) return null
  return { cursor, deviceId: deviceId.toLowerCase() }
}

/** `'<tokenHash>:<reason>'` as the Session delete trigger sends it, or null. */
export function parseSessionEnded(
  payload: string,
): { tokenHash: string; reason: 'signed_out' | 'session_expired' } | null {
  const [tokenHash, reason, extra] = payload.split(':')
  if (extra !== undefined || !tokenHash || (reason !== 'signed_out' && reason !== 'session_expired'))
    return null
  return { tokenHash, reason }
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value)
