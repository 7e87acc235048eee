import { randomUUID } from 'node:crypto'
import type { Page } from 'playwright-core'
import { PROTOCOL_VERSION } from '@offline-sync/sync-protocol'

/** The records the audits open by uid: a company with contacts, and one of those contacts. */
export interface SeededData {
  companyUid: string
  contactUid: string
}

export const AUDIT_ACCOUNT = { email: 'audit@example.com', password: 'audit-password-1' }

/** What the server says about accounts. `absent`: a server without accounts (issue 4 not landed yet). */
export type AccountMode = 'absent' | 'setup-needed' | 'ready'

export async function accountMode(baseURL: string): Promise<AccountMode> {
  const response = await fetch(`${baseURL}/api/setup`)
  if (!response.ok) return 'absent'
  const body = (await response.json()) as { needed?: unknown }
  return body.needed === true ? 'setup-needed' : 'ready'
}

/**
 * Signs this browser profile in (creating the first account when the server needs one), from inside the page so
 * the session cookie lands where the app and Lighthouse will use it. Returns the CSRF token, or null without
 * accounts. `page` must already be on the app's origin.
 */
export async function signIn(page: Page, mode: AccountMode): Promise<string | null> {
  if (mode === 'absent') return null
  const path = mode === 'setup-needed' ? '/api/setup' : '/api/auth/sign-in'
  const answer = await page.evaluate(
    async ({ path, account }) => {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(account),
      })
      return { status: response.status, body: await response.text() }
    },
    { path, account: AUDIT_ACCOUNT },
  )
  if (answer.status !== 200 && answer.status !== 201)
    throw new Error(`POST ${path} answered ${answer.status}: ${answer.body}`)
  return (JSON.parse(answer.body) as { csrfToken: string }).csrfToken
}

const company = (id: number, name: string, extra: Record<string, string | null> = {}) => ({
  id,
  uid: randomUUID(),
  name,
  address: null,
  phone: null,
  email: null,
  website: null,
  ...extra,
})

/**
 * Puts a dozen companies and a few contacts on the server with one sync from the page (session cookie and CSRF
 * token included), so the audited screens show real content.
 */
export async function seedServer(page: Page, csrfToken: string | null): Promise<SeededData> {
  const names = ['Acme Logistics', 'Birch & Sons', 'Coastal Freight', 'Delta Storage', 'Evergreen Farms']
  const companies = Array.from({ length: 12 }, (_, i) =>
    company(-(i + 1), `${names[i % names.length]} ${i + 1}`, {
      address: `${10 + i} Harbour Road, Leith`,
      phone: `+44 131 496 ${String(1000 + i)}`,
    }),
  )
  const first = companies[0]!
  const contacts = ['Ana Silva', 'Ben Okafor', 'Chloé Martin'].map((name, i) => ({
    id: -(100 + i),
    uid: randomUUID(),
    companyId: first.id,
    name,
    jobTitle: i === 0 ? 'Warehouse manager' : 'Driver',
    email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
    phone: null,
  }))
  const body = {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: randomUUID(),
    syncId: randomUUID(),
    companies: { added: companies, modified: [], deleted: [] },
    contacts: { added: contacts, modified: [], deleted: [] },
  }
  const answer = await page.evaluate(
    async ({ body, csrfToken }) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (csrfToken) headers['x-csrf-token'] = csrfToken
      const response = await fetch('/api/sync', { method: 'POST', headers, body: JSON.stringify(body) })
      return { status: response.status, body: await response.text() }
    },
    { body, csrfToken },
  )
  if (answer.status !== 200)
    throw new Error(`seeding: POST /api/sync answered ${answer.status}: ${answer.body}`)
  return { companyUid: first.uid, contactUid: contacts[0]!.uid }
}
