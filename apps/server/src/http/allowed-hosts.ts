import { hostname as machineName, networkInterfaces } from 'node:os'
import type { RequestHandler } from 'express'
import { HttpError } from './http-error.ts'

/**
 * Host names the server answers to, whatever the configuration: a page on another name (DNS rebinding: an
 * attacker's name made to resolve to this machine) must not reach setup or sign-in. An IP literal or `localhost`
 * cannot be an attacker's page, and a browser sends the page's own name as Host.
 */
const ALWAYS = ['localhost', '127.0.0.1', '::1']

/** A host name or IP address as it may appear in a Host header, without the port. */
const NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** `Host` → its name, lower-cased, without port, brackets or a trailing dot; null when it is no host name at all. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(header)
  if (bracketed) return bracketed[1]!.toLowerCase()
  const plain = /^([^:]+?)\.?(?::\d{1,5})?$/.exec(header)
  const name = plain?.[1]?.toLowerCase()
  return name !== undefined && name.length <= 253 && NAME.test(name) ? name : null
}

/** The machine's own addresses: a phone on the LAN opens http://192.168.1.20:3000. */
function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((entry) => entry.address.toLowerCase().replace(/%.*$/, ''))
}

/**
 * Reads PUBLIC_URL (the address people open, behind a proxy: its host name is served) and ALLOWED_HOSTS (more
 * names, comma-separated). Throws on a value that cannot be a host, so a typo fails at start, not at sign-in.
 */
export function parseAllowedHosts(env: { PUBLIC_URL?: string; ALLOWED_HOSTS?: string }): string[] {
  const hosts: string[] = []
  const publicUrl = env.PUBLIC_URL?.trim()
  if (publicUrl) {
    let url: URL
    try {
      url = new URL(publicUrl)
    } catch {
      throw new Error(`PUBLIC_URL must be a URL like https://contacts.example.com, got "${publicUrl}"`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error(`PUBLIC_URL must start with http:// or https://, got "${publicUrl}"`)
    hosts.push(url.hostname.replace(/^\[|\]$/g, '').toLowerCase())
  }
  for (const entry of (env.ALLOWED_HOSTS ?? '').split(',').map((e) => e.trim())) {
    if (entry === '') continue
    const name = hostName(entry.includes(':') && !entry.startsWith('[') ? `[${entry}]` : entry)
    if (name === null)
      throw new Error(
        `ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses (no wildcards), not understood: "${entry}"`,
      )
    hosts.push(name)
  }
  return hosts
}

/**
 * Refuses (421) any request whose Host (or X-Forwarded-Host from a trusted proxy) is not a name this server
 * serves: `configured` names, localhost, the loopback addresses, the machine's name and its interface addresses.
 * Interfaces are read again before a refusal, so an address DHCP handed out after start is served too.
 */
export function allowedHostsOnly(configured: readonly string[]): RequestHandler {
  const fixed = new Set([...ALWAYS, machineName().toLowerCase(), ...configured])
  let addresses = new Set(interfaceAddresses())
  const served = (name: string) => fixed.has(name) || addresses.has(name)
  return (req, _res, next) => {
    const name = hostName(req.host)
    if (name !== null && served(name)) return next()
    if (name !== null) {
      addresses = new Set(interfaceAddresses())
      if (served(name)) return next()
    }
    throw new HttpError(
      421,
      'forbidden',
      name === null
        ? 'The request has no usable Host header'
        : `This server does not serve the host "${name}"; its operator can add it with PUBLIC_URL or ALLOWED_HOSTS`,
    )
  }
}
