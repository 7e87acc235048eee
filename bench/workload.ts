/**
 * Deterministic data for the benchmark: the same scale always yields the same records, so every contender
 * and every repetition works on identical input, and response sizes are comparable between runs.
 *
 * Scale `s`: the server holds `100·s` companies and `1,000·s` contacts (10 per company, ids 1…n in order).
 * The apply batch at scale `s` adds as many again (`100·s` companies, `1,000·s` contacts: 9 under each new
 * company, 1 under an existing one), modifies `100·s` records (10 % companies, 90 % contacts) and deletes
 * `50·s` (5 companies, whose contacts go with them, and 45 contacts). At s = 10 that is the apply
 * workload: 1,000 companies + 10,000 contacts added, 1,000 modified, 500 deleted.
 */
import {
  companiesContacts,
  PROTOCOL_VERSION,
  type CompaniesContacts,
  type SyncRequest,
} from '@offline-sync/sync-protocol'

export interface CompanyRow {
  id: number
  uid: string
  name: string
  address: string | null
  phone: string | null
  email: string | null
  website: string | null
}

export interface ContactRow {
  id: number
  uid: string
  companyId: number
  name: string
  jobTitle: string | null
  email: string | null
  phone: string | null
}

export type WireRequest = SyncRequest<CompaniesContacts>

export const spec = companiesContacts

export interface Sizes {
  companies: number
  contacts: number
}

/** Records on the server at scale `s` (1× = 100 companies / 1,000 contacts). */
export const baseSizes = (scale: number): Sizes => ({ companies: 100 * scale, contacts: 1000 * scale })

/** Contacts per company in the base data set. */
const PER_COMPANY = 10

// --- deterministic pseudo-random values --------------------------------------------------------------

/** mulberry32: tiny, fast, good enough to make varied but reproducible text. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const seedOf = (kind: number, n: number) => Math.imul(kind + 1, 0x9e3779b1) ^ Math.imul(n, 0x85ebca6b)

/**
 * A version-4-shaped UUID: random-looking first half, then (kind, n) spelled out in the last group, so two
 * records can never share one (seeds of different kinds may collide; the last group cannot).
 */
function uuidFrom(random: () => number, kind: number, n: number): string {
  const hex = (count: number) =>
    Array.from({ length: count }, () => Math.floor(random() * 16).toString(16)).join('')
  const tail = kind.toString(16).padStart(2, '0') + n.toString(16).padStart(10, '0')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)] ?? '8'}${hex(3)}-${tail}`
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T
const digits = (random: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(random() * 10)).join('')

const WORDS = [
  'North',
  'Blue',
  'Silver',
  'Oak',
  'Harbour',
  'Summit',
  'Maple',
  'River',
  'Granite',
  'Cedar',
  'Atlas',
  'Bright',
  'Copper',
  'Eagle',
  'Falcon',
  'Golden',
]
const TRADES = [
  'Logistics',
  'Builders',
  'Dental',
  'Foods',
  'Engineering',
  'Farms',
  'Consulting',
  'Motors',
  'Printing',
  'Textiles',
  'Software',
  'Plumbing',
  'Pharmacy',
  'Electrics',
]
const SUFFIXES = ['Ltd', 'GmbH', 'S.A.', 'Inc.', 'BV', 'Lda', 'Oy', 'AB']
const STREETS = [
  'High',
  'Station',
  'Church',
  'Mill',
  'Park',
  'Victoria',
  'Bridge',
  'Market',
  'King',
  'Queen',
  'School',
  'Green',
]
const STREET_TYPES = ['Street', 'Road', 'Lane', 'Avenue', 'Way', 'Close']
const CITIES = [
  'Leeds',
  'Porto',
  'Lyon',
  'Utrecht',
  'Tampere',
  'Graz',
  'Bilbao',
  'Cork',
  'Malmö',
  'Brno',
  'Gdańsk',
  'Turin',
]
const FIRST = [
  'Ana',
  'Ben',
  'Chloé',
  'David',
  'Eva',
  'Farid',
  'Greta',
  'Hugo',
  'Inês',
  'Jonas',
  'Kofi',
  'Lena',
  'Mateo',
  'Nora',
  'Omar',
  'Pia',
  'Rui',
  'Sofia',
  'Tomasz',
  'Yuki',
]
const LAST = [
  'Almeida',
  'Berg',
  'Costa',
  'Dubois',
  'Evans',
  'Fischer',
  'García',
  'Hansen',
  'Ivanova',
  'Jansen',
  'Kowalski',
  'Larsen',
  'Moreau',
  'Novak',
  'Okafor',
  'Pereira',
  'Rossi',
  'Schmidt',
]
const TITLES = [
  'Owner',
  'Site manager',
  'Buyer',
  'Accountant',
  'Head of operations',
  'Receptionist',
  'Sales lead',
  'Technician',
  'Office manager',
  null,
  null,
]

const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '')

function companyValues(random: () => number, id: number): Omit<CompanyRow, 'id' | 'uid'> {
  const name = `${pick(random, WORDS)} ${pick(random, TRADES)} ${id} ${pick(random, SUFFIXES)}`
  const domain = `${slug(name)}.example`
  return {
    name,
    address:
      random() < 0.8
        ? `${1 + Math.floor(random() * 240)} ${pick(random, STREETS)} ${pick(random, STREET_TYPES)}, ${pick(random, CITIES)}`
        : null,
    phone: random() < 0.9 ? `+44 ${digits(random, 2)} ${digits(random, 4)} ${digits(random, 4)}` : null,
    email: random() < 0.7 ? `info@${domain}` : null,
    website: random() < 0.6 ? `https://www.${domain}/` : null,
  }
}

function contactValues(random: () => number, id: number): Omit<ContactRow, 'id' | 'uid' | 'companyId'> {
  const first = pick(random, FIRST)
  const last = pick(random, LAST)
  return {
    name: `${first} ${last}`,
    jobTitle: pick(random, TITLES),
    email: random() < 0.8 ? `${slug(first)}.${slug(last)}${id}@mail.example` : null,
    phone: random() < 0.7 ? `+351 9${digits(random, 2)} ${digits(random, 3)} ${digits(random, 3)}` : null,
  }
}

const KIND = { company: 1, contact: 2, addedCompany: 3, addedContact: 4 } as const

/** Base company `id` (1-based) exactly as seeded. */
export function baseCompany(id: number): CompanyRow {
  const random = prng(seedOf(KIND.company, id))
  return { id, uid: uuidFrom(random, KIND.company, id), ...companyValues(random, id) }
}

/** Base contact `id` (1-based): contacts 1–10 belong to company 1, 11–20 to company 2, and so on. */
export function baseContact(id: number): ContactRow {
  const random = prng(seedOf(KIND.contact, id))
  return {
    id,
    uid: uuidFrom(random, KIND.contact, id),
    companyId: Math.ceil(id / PER_COMPANY),
    ...contactValues(random, id),
  }
}

export function baseData(scale: number): { companies: CompanyRow[]; contacts: ContactRow[] } {
  const sizes = baseSizes(scale)
  return {
    companies: Array.from({ length: sizes.companies }, (_, i) => baseCompany(i + 1)),
    contacts: Array.from({ length: sizes.contacts }, (_, i) => baseContact(i + 1)),
  }
}

/** The same record with every field rewritten, as a device sends a modify (whole record, rule R6). */
/** The version the seed stamps on every row: seed-base.ts's SEEDED_CURSOR (that file imports this one). */
const SEED_BASE = '1'

/** A v2 modify (rules M1, M2): the base the seed wrote and the one field changed. */
const edited = <T extends { id: number; uid: string; name: string }>(row: T, tag: string) => ({
  id: row.id,
  uid: row.uid,
  base: SEED_BASE,
  name: `${row.name} (${tag})`,
})

/** What the apply batch at scale `s` touches, by base id; shared by the request builder and the checks. */
export function batchPlan(scale: number) {
  const { companies, contacts } = baseSizes(scale)
  const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)
  return {
    addedCompanies: 100 * scale,
    addedContacts: 1000 * scale,
    modifiedCompanyIds: range(1, 10 * scale),
    modifiedContactIds: range(1, 90 * scale),
    /** Contacts of companies 9s+1 … 13.5s: neither modified nor under a deleted company. */
    deletedContactIds: range(90 * scale + 1, 45 * scale),
    /** The last companies; their 50·s contacts go with them. */
    deletedCompanyIds: range(companies - 5 * scale + 1, 5 * scale),
    /** Existing companies that receive one added contact in ten (ids 11 … 11 + 40·s). */
    firstExistingParent: 10 * scale + 1,
    existingParents: 40 * scale,
    contactsTotal: contacts,
  }
}

/**
 * The apply batch at scale `s` as a device would send it (before parsing). `cursor` null = full mode
 * (the seed's "retrieve all"), or a cursor string for delta mode.
 */
export function applyRequest(scale: number, cursor: string | null = null): WireRequest {
  const plan = batchPlan(scale)
  const addedCompanies = Array.from({ length: plan.addedCompanies }, (_, i) => {
    const random = prng(seedOf(KIND.addedCompany, i + 1))
    const uid = uuidFrom(random, KIND.addedCompany, i + 1)
    return { id: -(i + 1), uid, ...companyValues(random, 1_000_000 + i) }
  })
  const addedContacts = Array.from({ length: plan.addedContacts }, (_, i) => {
    const random = prng(seedOf(KIND.addedContact, i + 1))
    const uid = uuidFrom(random, KIND.addedContact, i + 1)
    const group = Math.floor(i / PER_COMPANY)
    // One in ten goes under an existing company (a server id), the rest under the new ones (local ids).
    const companyId =
      i % PER_COMPANY === PER_COMPANY - 1
        ? plan.firstExistingParent + (group % plan.existingParents)
        : -(group + 1)
    return { id: -(i + 1), uid, companyId, ...contactValues(random, 1_000_000 + i) }
  })
  return {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: '00000000-0000-4000-8000-00000000000a',
    syncId: '00000000-0000-4000-8000-0000000000a1',
    cursor,
    companies: {
      added: addedCompanies,
      modified: plan.modifiedCompanyIds.map((id) => edited(baseCompany(id), 'edited')),
      deleted: plan.deletedCompanyIds.map((id) => ({ id, uid: baseCompany(id).uid, base: SEED_BASE })),
    },
    contacts: {
      added: addedContacts,
      modified: plan.modifiedContactIds.map((id) => edited(baseContact(id), 'edited')),
      deleted: plan.deletedContactIds.map((id) => ({ id, uid: baseContact(id).uid, base: SEED_BASE })),
    },
  } as WireRequest
}

/** `count` contact edits spread over the data set, sent by another device. */
export function editsRequest(scale: number, count: number, round: number): WireRequest {
  const { contacts } = baseSizes(scale)
  const step = Math.max(1, Math.floor(contacts / count))
  const ids = Array.from({ length: count }, (_, i) => 1 + i * step)
  return {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: '00000000-0000-4000-8000-00000000000b',
    syncId: `00000000-0000-4000-8000-${String(round).padStart(12, '0')}`,
    cursor: null,
    companies: { added: [], modified: [], deleted: [] },
    contacts: { added: [], modified: ids.map((id) => edited(baseContact(id), `edit ${round}`)), deleted: [] },
  } as WireRequest
}

/** A request that changes nothing, from the device being measured. */
export function noChangeRequest(syncNumber: number, cursor: string | null): WireRequest {
  return {
    protocolVersion: PROTOCOL_VERSION,
    deviceId: '00000000-0000-4000-8000-00000000000c',
    syncId: `00000000-0000-4000-8000-${String(syncNumber).padStart(12, '0')}`,
    cursor,
    companies: { added: [], modified: [], deleted: [] },
    contacts: { added: [], modified: [], deleted: [] },
  } as WireRequest
}

/** Rows left on the server after the apply batch, for checking that every contender did the same thing. */
export function expectedAfterApply(scale: number): Sizes {
  const plan = batchPlan(scale)
  const base = baseSizes(scale)
  return {
    companies: base.companies + plan.addedCompanies - plan.deletedCompanyIds.length,
    contacts:
      base.contacts +
      plan.addedContacts -
      plan.deletedContactIds.length -
      plan.deletedCompanyIds.length * PER_COMPANY,
  }
}
