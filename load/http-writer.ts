import type { Exchange, Session } from '@offline-sync/test-support/node-device'

interface Known {
  id: number
  uid: string
  version: string
}

interface Answer {
  cursor: string
  replayed: boolean
  rejected: { entity: string; uid: string; code: string }[]
  companies: Known[]
  contacts: Known[]
  companyIdMap: Record<string, number>
}

/**
 * A device reduced to its wire: it speaks protocol 3 over HTTP as the app does (cookie, CSRF token, account id,
 * one syncId per attempt, a cursor, `base` on every modify), remembers only each record's id, uid and version
 * from the answers, and stores nothing else. With it the writers scenario measures the servers and Postgres, not
 * fifty fake IndexedDBs applying each other's changes in the load generator's one Node process.
 */
export function createHttpWriter(options: { label: string; baseURL: string; session: Session }) {
  const deviceId = crypto.randomUUID()
  const companies = new Map<string, Known>()
  const contacts = new Map<string, Known>()
  const exchanges: Exchange[] = []
  let cursor: string | null = null
  let nextLocalId = -1

  async function send(changes: { companies?: object; contacts?: object }): Promise<Answer | undefined> {
    const empty = { added: [], modified: [], deleted: [] }
    const request = {
      protocolVersion: 3,
      deviceId,
      syncId: crypto.randomUUID(),
      cursor,
      companies: { ...empty, ...changes.companies },
      contacts: { ...empty, ...changes.contacts },
    }
    const exchange: Exchange = { request: request as unknown as Exchange['request'], ms: 0 }
    exchanges.push(exchange)
    const started = performance.now()
    try {
      const response = await fetch(`${options.baseURL}/api/sync`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: options.session.cookie,
          'x-csrf-token': options.session.csrfToken,
          'x-account-id': String(options.session.userId),
        },
        body: JSON.stringify(request),
      })
      const text = await response.text()
      if (response.status !== 200) {
        exchange.error = Object.assign(new Error(`${response.status}: ${text.slice(0, 200)}`), {
          status: response.status,
        })
        return undefined
      }
      const answer = JSON.parse(text) as Answer
      exchange.response = answer
      for (const r of answer.companies) companies.set(r.uid, { id: r.id, uid: r.uid, version: r.version })
      for (const r of answer.contacts) contacts.set(r.uid, { id: r.id, uid: r.uid, version: r.version })
      cursor = answer.cursor
      return answer
    } catch (err) {
      exchange.error = err
      return undefined
    } finally {
      exchange.ms = performance.now() - started
    }
  }

  return {
    label: options.label,
    exchanges,
    /** A sync that sends nothing: brings cursor and known records up to date. */
    catchUp: () => send({}),

    /** One small write (an edit of a phone, an address or a job title, or an add) and its sync. */
    async writeOnce(tag: string, random: () => number): Promise<void> {
      const pick = <T>(items: T[]): T | undefined => items[Math.floor(random() * items.length)]
      const company = pick([...companies.values()])
      const contact = pick([...contacts.values()])
      const roll = random()
      if (roll < 0.45 && company) {
        const field =
          random() < 0.5 ? { phone: `+1 555 ${tag.replace(/\D+/g, ' ').trim()}` } : { address: tag }
        await send({
          companies: { modified: [{ id: company.id, uid: company.uid, base: company.version, ...field }] },
        })
      } else if (roll < 0.7 && contact) {
        await send({
          contacts: {
            modified: [{ id: contact.id, uid: contact.uid, base: contact.version, jobTitle: tag }],
          },
        })
      } else if (roll < 0.85 || !company) {
        const fields = { name: `Writer ${tag}`, address: null, phone: null, email: null, website: null }
        await send({ companies: { added: [{ id: nextLocalId--, uid: crypto.randomUUID(), ...fields }] } })
      } else {
        const fields = {
          name: `Person ${tag}`,
          jobTitle: null,
          email: null,
          phone: null,
          companyId: company.id,
        }
        await send({ contacts: { added: [{ id: nextLocalId--, uid: crypto.randomUUID(), ...fields }] } })
      }
    },
  }
}

export type HttpWriter = ReturnType<typeof createHttpWriter>
