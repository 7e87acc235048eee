import { randomUUID } from 'node:crypto'
import {
  PROTOCOL_VERSION,
  type ChangeSet,
  type CompaniesContacts,
  type ParentRecord,
  type ChildRecord,
  type SyncResponse,
} from '@offline-sync/sync-protocol'
import { e2eAccount, type Credentials } from './accounts.ts'

// `name` is required by the declaration, so the server never returns it null.
export type ServerCompany = SyncResponse<CompaniesContacts>['companies'][number] & { name: string }
export type ServerContact = SyncResponse<CompaniesContacts>['contacts'][number] & { name: string }
type CompanyFields = Partial<Omit<ParentRecord<CompaniesContacts>, 'id' | 'uid'>> & { name: string }
type ContactFields = Partial<Omit<ChildRecord<CompaniesContacts>, 'id' | 'uid' | 'companyId'>> & {
  name: string
}

const empty = <R>(): ChangeSet<R> => ({ added: [], modified: [], deleted: [] })

/**
 * A second installation talking to the same server over plain HTTP, as a phone would: arranges server data for
 * the journeys and reads the server's truth back. Every call is one sync attempt with a fresh syncId.
 */
export class AnotherDevice {
  readonly deviceId = randomUUID()
  private nextLocalId = -1
  private session: Promise<{ cookie: string; csrfToken: string; userId: number }> | undefined

  constructor(
    private readonly baseURL: string,
    private readonly credentials: Credentials = e2eAccount(),
  ) {}

  /** Signs in once (its own session, as a separate phone has): the cookie and CSRF token for every sync. */
  private signIn() {
    this.session ??= (async () => {
      const response = await fetch(`${this.baseURL}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.credentials),
      })
      const text = await response.text()
      if (response.status !== 200)
        throw new Error(`POST /api/auth/sign-in answered ${response.status}: ${text}`)
      const sid = response.headers
        .getSetCookie()
        .map((header) => header.split(';')[0] ?? '')
        .find((pair) => pair.startsWith('sid='))
      if (!sid) throw new Error('the sign-in answer set no sid cookie')
      const body = JSON.parse(text) as { user: { id: number }; csrfToken: string }
      return { cookie: sid, csrfToken: body.csrfToken, userId: body.user.id }
    })()
    return this.session
  }

  /** One POST /api/sync. Throws on any non-200 answer, with the server's error envelope in the message. */
  async sync(changes: {
    companies?: Partial<ChangeSet<ParentRecord<CompaniesContacts>>>
    contacts?: Partial<ChangeSet<ChildRecord<CompaniesContacts>>>
  }): Promise<SyncResponse<CompaniesContacts>> {
    const body = {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: this.deviceId,
      syncId: randomUUID(),
      companies: { ...empty(), ...changes.companies },
      contacts: { ...empty(), ...changes.contacts },
    }
    return (await this.post(body)) as SyncResponse<CompaniesContacts>
  }

  /** Rule G4: the page `token` of a download, asked for with no cursor and no changes. */
  private async nextPage(token: string): Promise<SyncResponse<CompaniesContacts>> {
    const body = {
      protocolVersion: PROTOCOL_VERSION,
      deviceId: this.deviceId,
      syncId: randomUUID(),
      cursor: null,
      page: token,
      companies: empty(),
      contacts: empty(),
    }
    return (await this.post(body)) as SyncResponse<CompaniesContacts>
  }

  /**
   * Sends one whole sync request under this device's session and resolves the parsed 200 body: also the transport
   * of a client engine run in Node, so an "old install" can be built by real syncs (support/database-image.ts).
   */
  readonly post = async (body: object): Promise<unknown> => {
    const session = await this.signIn()
    const response = await fetch(`${this.baseURL}/api/sync`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrfToken,
        'x-account-id': String(session.userId),
      },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`POST /api/sync answered ${response.status}: ${text}`)
    return JSON.parse(text) as unknown
  }

  /**
   * Everything the server holds at one snapshot: a no-op sync without a cursor starts a download (R15, G1), whose
   * pages are followed to the last (G4). Every page is pinned to the first page's cursor (G2), so together they are
   * the server's records at that cursor, each exactly once; a page with another cursor starts a new download (G6).
   */
  async readAll(): Promise<{ companies: ServerCompany[]; contacts: ServerContact[] }> {
    let answer = await this.sync({})
    let snapshot = answer.cursor
    let companies: ServerCompany[] = []
    let contacts: ServerContact[] = []
    for (let pages = 1; ; pages++) {
      if (answer.cursor !== snapshot) {
        snapshot = answer.cursor
        companies = []
        contacts = []
      }
      companies.push(...(answer.companies as ServerCompany[]))
      contacts.push(...(answer.contacts as ServerContact[]))
      const next = answer.page?.next ?? null
      if (next === null) break
      // A server that keeps answering pages would hang the journey; fail it with what was seen instead.
      if (pages >= 10_000) throw new Error(`the download did not end after ${pages} pages`)
      answer = await this.nextPage(next)
    }
    const page = answer.page
    if (page && (page.total.companies !== companies.length || page.total.contacts !== contacts.length))
      throw new Error(
        `the download held ${companies.length} companies and ${contacts.length} contacts; its pages announced ${JSON.stringify(page.total)}`,
      )
    for (const records of [companies, contacts])
      if (new Set(records.map((record) => record.uid)).size !== records.length)
        throw new Error('the download held a record twice')
    return { companies, contacts }
  }

  /** The server's companies called `name`, each with its contacts (normally zero or one company). */
  async companiesNamed(name: string): Promise<{ company: ServerCompany; contacts: ServerContact[] }[]> {
    const { companies, contacts } = await this.readAll()
    return companies
      .filter((company) => company.name === name)
      .map((company) => ({
        company,
        contacts: contacts.filter((contact) => contact.companyId === company.id),
      }))
  }

  /** Creates a company (and optionally its contacts) on the server; returns the server's records. */
  async addCompany(
    fields: CompanyFields,
    contacts: ContactFields[] = [],
  ): Promise<{ company: ServerCompany; contacts: ServerContact[] }> {
    const companyId = this.nextLocalId--
    const company = { id: companyId, uid: randomUUID(), ...fields } as ParentRecord<CompaniesContacts>
    const added = contacts.map(
      (contact) =>
        ({
          id: this.nextLocalId--,
          uid: randomUUID(),
          companyId,
          ...contact,
        }) as ChildRecord<CompaniesContacts>,
    )
    const response = await this.sync({ companies: { added: [company] }, contacts: { added } })
    if (response.rejected.length > 0)
      throw new Error(`the server rejected: ${JSON.stringify(response.rejected)}`)
    // A write is acknowledged without its echo (G7, G8): the records as stored are read back from the server.
    const uids = new Set([company.uid, ...added.map((contact) => contact.uid)])
    const acknowledged = [...response.written.companies, ...response.written.contacts].filter((ack) =>
      uids.has(ack.uid),
    )
    if (acknowledged.length !== uids.size)
      throw new Error(`the server acknowledged ${acknowledged.length} of the ${uids.size} records it created`)
    const all = await this.readAll()
    const serverCompany = all.companies.find((record) => record.uid === company.uid)
    if (!serverCompany) throw new Error('the server does not hold the company it just created')
    return { company: serverCompany, contacts: all.contacts.filter((record) => uids.has(record.uid)) }
  }

  /**
   * Edits a company on the server from the version `company` holds (rules M1, M2): only `changes` are sent, so
   * fields others changed since stay; a field changed since by another device is overwritten and reported.
   */
  async editCompany(
    company: ServerCompany,
    changes: Partial<CompanyFields>,
  ): Promise<SyncResponse<CompaniesContacts>> {
    const modified = { id: company.id, uid: company.uid, base: company.version, ...changes }
    const response = await this.sync({ companies: { modified: [modified] } })
    if (response.rejected.length > 0)
      throw new Error(`the server rejected: ${JSON.stringify(response.rejected)}`)
    return response
  }

  /** Deletes a company (and, by the server's cascade, its contacts) as another phone would. */
  async deleteCompany(company: ServerCompany): Promise<void> {
    const response = await this.sync({
      companies: { deleted: [{ id: company.id, uid: company.uid, base: company.version }] },
    })
    if (response.rejected.length > 0)
      throw new Error(`the server rejected: ${JSON.stringify(response.rejected)}`)
  }

  /** Adds a contact under an existing server company. */
  async addContact(companyId: number, fields: ContactFields): Promise<void> {
    const contact = {
      id: this.nextLocalId--,
      uid: randomUUID(),
      companyId,
      ...fields,
    } as ChildRecord<CompaniesContacts>
    const response = await this.sync({ contacts: { added: [contact] } })
    if (response.rejected.length > 0)
      throw new Error(`the server rejected: ${JSON.stringify(response.rejected)}`)
  }
}
