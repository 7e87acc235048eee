import { isIP } from 'node:net'

/**
 * Which proxies may tell the server a request's client address and protocol (X-Forwarded-For / -Proto / -Host), in
 * the forms Express's `trust proxy` setting takes: `false` (none), a hop count, or addresses, subnets and the names
 * `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = false | number | string[]

/** A proxy on the same host: safe, since only something already on the machine can connect from there. */
export const DEFAULT_TRUST_PROXY: TrustProxy = ['loopback']

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  if (!/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * Reads TRUST_PROXY. Unset: `loopback`. `false`: trust no proxy. A whole number: trust that many hops in front of
 * the server. Otherwise a comma-separated list of addresses, subnets (CIDR) and named ranges. `true` (trust any
 * hop) is refused on purpose: every client could then choose its own address, which the sign-in rate limits key
 * on, and claim https, which the origin check compares.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim()
  if (!value) return DEFAULT_TRUST_PROXY
  if (value === 'false') return false
  if (value === 'true')
    throw new Error(
      'TRUST_PROXY=true would let any client forge its address and protocol: give the proxy address or subnet (e.g. 172.16.0.0/12), or the number of proxies in front of the server',
    )
  if (/^\d+$/.test(value)) return Number(value)
  const entries = value.split(',').map((entry) => entry.trim())
  const bad = entries.filter((entry) => !NAMED_RANGES.has(entry) && !isAddressOrSubnet(entry))
  if (bad.length > 0)
    throw new Error(
      `TRUST_PROXY must be false, a number of hops, or a comma-separated list of addresses, subnets (CIDR), loopback, linklocal or uniquelocal; not understood: ${bad.map((b) => `"${b}"`).join(', ')}`,
    )
  return entries
}
