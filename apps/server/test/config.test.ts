import { describe, expect, it } from 'vitest'
import { readConfig } from '../src/config.ts'

describe('rate limits from the environment', () => {
  it('uses the defaults when unset', () => {
    expect(readConfig({}).rateLimits).toEqual({
      signIn: { limit: 10, windowSeconds: 900 },
      signInIp: { limit: 100, windowSeconds: 900 },
      signInDevice: { limit: 5, windowSeconds: 900 },
      sync: { limit: 120, windowSeconds: 60 },
      syncAccount: { limit: 240, windowSeconds: 60 },
    })
  })

  it('overrides the count per window', () => {
    const { rateLimits } = readConfig({
      RATE_LIMIT_SIGN_IN: '3',
      RATE_LIMIT_SIGN_IN_IP: '50',
      RATE_LIMIT_SYNC: '1000',
    })
    expect(rateLimits.signIn).toEqual({ limit: 3, windowSeconds: 900 })
    expect(rateLimits.signInIp).toEqual({ limit: 50, windowSeconds: 900 })
    expect(rateLimits.sync).toEqual({ limit: 1000, windowSeconds: 60 })
  })

  it('fails fast on a value that is not a positive whole number', () => {
    for (const value of ['0', '-1', '2.5', 'ten'])
      expect(() => readConfig({ RATE_LIMIT_SYNC: value })).toThrow(/RATE_LIMIT_SYNC must be a whole number/)
  })
})

describe('TRUST_PROXY', () => {
  it('trusts a proxy on loopback only when unset', () => {
    expect(readConfig({}).trustProxy).toEqual(['loopback'])
    expect(readConfig({ TRUST_PROXY: ' ' }).trustProxy).toEqual(['loopback'])
  })

  it('reads false, a hop count, and lists of addresses, subnets and named ranges', () => {
    expect(readConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false)
    expect(readConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(readConfig({ TRUST_PROXY: '172.16.0.0/12, uniquelocal,10.1.2.3,fd00::/8' }).trustProxy).toEqual([
      '172.16.0.0/12',
      'uniquelocal',
      '10.1.2.3',
      'fd00::/8',
    ])
  })

  it('refuses true: every client could then pick its own address and protocol', () => {
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would let any client forge/)
  })

  it('fails fast on entries it does not understand, naming them', () => {
    for (const value of ['proxy.example.com', '10.0.0.0/33', '300.1.1.1', 'loopback,,', '10.0.0.0/8/1', '-1'])
      expect(() => readConfig({ TRUST_PROXY: value }), value).toThrow(/TRUST_PROXY must be false, a number/)
    expect(() => readConfig({ TRUST_PROXY: 'loopback, nginx' })).toThrow(/not understood: "nginx"$/)
  })
})

describe('PUBLIC_URL and ALLOWED_HOSTS', () => {
  it('rule S2: serves the defaults only when unset', () => {
    expect(readConfig({}).allowedHosts).toEqual([])
  })

  it('rule S2: adds the host of PUBLIC_URL and each name of ALLOWED_HOSTS, lower-cased', () => {
    const { allowedHosts } = readConfig({
      PUBLIC_URL: 'https://Contacts.Example.com/app',
      ALLOWED_HOSTS: 'contacts.lan, 10.0.0.5 ,::1,[fe80::1]',
    })
    expect(allowedHosts).toEqual(['contacts.example.com', 'contacts.lan', '10.0.0.5', '::1', 'fe80::1'])
  })

  it('rule S2: fails fast on values that cannot name a host, and on wildcards', () => {
    expect(() => readConfig({ PUBLIC_URL: 'contacts.example.com' })).toThrow(/PUBLIC_URL must be a URL/)
    expect(() => readConfig({ PUBLIC_URL: 'ftp://contacts.example.com' })).toThrow(/http:\/\/ or https:\/\//)
    for (const value of ['*', '*.example.com', 'a b', 'x/y', 'user@host'])
      expect(() => readConfig({ ALLOWED_HOSTS: value }), value).toThrow(/ALLOWED_HOSTS must be/)
  })
})

describe('SIGN_IN_HASHES and SIGN_IN_QUEUE', () => {
  it('rule A8: one hash per core (at most 4) and a queue of twice that by default; overridable', () => {
    const { hashing } = readConfig({})
    expect(hashing.concurrent).toBeGreaterThanOrEqual(1)
    expect(hashing.concurrent).toBeLessThanOrEqual(4)
    expect(hashing.queue).toBe(2 * hashing.concurrent)
    expect(readConfig({ SIGN_IN_HASHES: '3', SIGN_IN_QUEUE: '0' }).hashing).toEqual({
      concurrent: 3,
      queue: 0,
    })
    expect(() => readConfig({ SIGN_IN_HASHES: '0' })).toThrow(/SIGN_IN_HASHES must be a whole number ≥ 1/)
    expect(() => readConfig({ SIGN_IN_QUEUE: '-1' })).toThrow(/SIGN_IN_QUEUE must be a whole number ≥ 0/)
  })
})

describe('full-sync pages (rule G1)', () => {
  it('uses 2,000 records, 200 on the first page and 1 MiB when unset', () => {
    expect(readConfig({}).page).toEqual({ records: 2000, firstRecords: 200, bytes: 1024 * 1024 })
  })

  it('reads SYNC_PAGE_RECORDS, SYNC_FIRST_PAGE_RECORDS and SYNC_PAGE_BYTES', () => {
    const { page } = readConfig({
      SYNC_PAGE_RECORDS: '50',
      SYNC_FIRST_PAGE_RECORDS: '5',
      SYNC_PAGE_BYTES: '4096',
    })
    expect(page).toEqual({ records: 50, firstRecords: 5, bytes: 4096 })
  })

  it('fails fast on a page that cannot work', () => {
    expect(() => readConfig({ SYNC_PAGE_RECORDS: '0' })).toThrow(
      /SYNC_PAGE_RECORDS must be a whole number ≥ 1/,
    )
    expect(() => readConfig({ SYNC_FIRST_PAGE_RECORDS: 'many' })).toThrow(/SYNC_FIRST_PAGE_RECORDS/)
    expect(() => readConfig({ SYNC_PAGE_BYTES: '100' })).toThrow(
      /SYNC_PAGE_BYTES must be a whole number ≥ 1024/,
    )
  })
})
