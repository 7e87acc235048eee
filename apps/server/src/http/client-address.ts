import { isIP } from 'node:net'
import type { Request } from 'express'

/**
 * The client's IP address, for rate-limit keys. `req.ip` is what a trusted proxy put in X-Forwarded-For, taken as
 * it came: a value that is not an IP address (a name, 6,000 characters of anything) is ignored, and the address
 * of the connecting peer (the proxy) counts instead, so such a request is limited with everything else that proxy
 * forwards rather than in a bucket of its own choosing.
 */
export function clientAddress(req: Request): string {
  const forwarded = req.ip
  if (forwarded !== undefined && isIP(forwarded) !== 0) return forwarded
  return req.socket.remoteAddress ?? 'unknown'
}
