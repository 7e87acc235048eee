import { randomUUID } from 'node:crypto'

/** A record the suite created before the cases run; cases aim hostile requests at it. */
export interface SeedRecord {
  id: number
  uid: string
}

/** A signed-in browser: what its requests carry. */
export interface SessionCredentials {
  userId: number
  email: string
  /** The `sid` cookie value. */
  token: string
  csrfToken: string
}

export interface CaseContext {
  companyA: SeedRecord
  companyB: SeedRecord
  /** A contact of companyA. Its id equals companyA's id (both sequences start at 1): a delete must check uid too. */
  contactA1: SeedRecord & { companyId: number }
  /** A request the server applied already; resending its syncId with other changes must be refused. */
  appliedSync: Record<string, unknown>
  /** Absent until the server has accounts. */
  me?: SessionCredentials
  other?: SessionCredentials
  /** A session whose row was moved past its expiry before the case ran. */
  expired?: SessionCredentials
  /** A session that signed out before the case ran. */
  signedOut?: SessionCredentials
  /** The password of `me`, for sign-in cases. */
  password?: string
}

export interface HttpCall {
  method?: string
  /** Default /api/sync. */
  path?: string
  /** A string or Buffer is sent verbatim; anything else as JSON. Default: no body. */
  body?: unknown
  /** Default: content-type application/json when there is a body. Set a header to '' to omit it. */
  headers?: Record<string, string>
  /**
   * Whose session the request carries: 'me' (default once accounts exist: cookie, CSRF token, X-Account-Id),
   * or 'none'. Cases about sessions build their own cookie and CSRF headers and say 'none'.
   */
  as?: 'me' | 'none'
}

export interface BadInput {
  /** The entry's number in docs/bad-inputs.md. */
  no: number
  title: string
  call(ctx: CaseContext): HttpCall
  status: number
  /** The error code; for `outcome: 'rejected'`, the expected `rejected[].code` of every rejection. */
  code: string
  /** Must match the error message (or each rejection's reason): proves the answer names the problem. */
  message: RegExp
  /** When set, `error.details` must match it (toMatchObject): the answer says which input was wrong. */
  details?: unknown
  /**
   * 'refused' (default): a 4xx and not one row of any table changed.
   * 'rejected': a valid request whose hostile change the engine rejects (200, rule R12): no record, contact
   * or tombstone changes; the receipt and the cursor move as for any applied sync.
   * 'harmless': a 200 that writes nothing at all.
   */
  outcome?: 'refused' | 'rejected' | 'harmless'
  /** Needs accounts on the server (contract in /tmp/briefs/auth-contract.md). */
  needsAccounts?: boolean
}

export const emptySet = () => ({ added: [], modified: [], deleted: [] })

/** A valid sync request with fresh ids; `over` replaces top-level keys. */
export const syncBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  protocolVersion: 3,
  deviceId: randomUUID(),
  syncId: randomUUID(),
  companies: emptySet(),
  contacts: emptySet(),
  ...over,
})

export const newCompany = (over: Record<string, unknown> = {}) => ({
  id: -1,
  uid: randomUUID(),
  name: 'Hostile Ltd',
  ...over,
})

/** A request adding one company; `over` replaces fields of that company. */
export const addCompany = (over: Record<string, unknown> = {}) =>
  syncBody({ companies: { added: [newCompany(over)], modified: [], deleted: [] } })

/** A request adding one company and one contact under it; `over` replaces fields of the contact. */
export const addContact = (over: Record<string, unknown> = {}) =>
  syncBody({
    companies: { added: [newCompany()], modified: [], deleted: [] },
    contacts: {
      added: [{ id: -2, uid: randomUUID(), name: 'Eve', companyId: -1, ...over }],
      modified: [],
      deleted: [],
    },
  })

/** A request deleting companies; each object entry without a `base` gets "0" (rule M2), so cases test their own input. */
export const deleteCompanies = (deleted: unknown) =>
  syncBody({
    companies: {
      added: [],
      modified: [],
      deleted: Array.isArray(deleted)
        ? deleted.map((d: unknown) =>
            typeof d === 'object' && d !== null && !Array.isArray(d) && !('base' in d)
              ? { base: '0', ...d }
              : d,
          )
        : deleted,
    },
  })

/**
 * JSON text with a key that an object literal cannot hold as data (`__proto__` would set the prototype): the
 * value is built with `marker` as the key, then the key is renamed in the text.
 */
export function renameKey(value: unknown, marker: string, key: string): string {
  const text = JSON.stringify(value)
  if (!text.includes(`"${marker}"`)) throw new Error(`marker ${marker} not found`)
  return text.replaceAll(`"${marker}"`, JSON.stringify(key))
}
