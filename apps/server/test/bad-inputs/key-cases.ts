import {
  addCompany,
  addContact,
  deleteCompanies,
  newCompany,
  renameKey,
  syncBody,
  type BadInput,
} from './bad-input.ts'

const POLLUTION = { polluted: 'yes', isAdmin: true }
const KEY = 'RENAMED_KEY'

/** Catalogue groups D and E: prototype-pollution keys and unknown keys (docs/bad-inputs.md #52–#65). */
export const keyCases: BadInput[] = [
  {
    no: 52,
    title: '__proto__ at top level',
    call: () => ({ body: renameKey({ ...syncBody(), [KEY]: POLLUTION }, KEY, '__proto__') }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "__proto__"/,
  },
  {
    no: 53,
    title: 'constructor.prototype at top level',
    call: () => ({ body: renameKey({ ...syncBody(), [KEY]: { prototype: POLLUTION } }, KEY, 'constructor') }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "constructor"/,
  },
  {
    no: 54,
    title: 'prototype at top level',
    call: () => ({ body: renameKey({ ...syncBody(), [KEY]: POLLUTION }, KEY, 'prototype') }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "prototype"/,
  },
  {
    no: 55,
    title: '__proto__ inside a change set',
    call: () => ({
      body: renameKey(
        syncBody({ companies: { added: [], modified: [], deleted: [], [KEY]: POLLUTION } }),
        KEY,
        '__proto__',
      ),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies: unknown field "__proto__"/,
  },
  {
    no: 56,
    title: '__proto__ inside an added record',
    call: () => ({ body: renameKey(addCompany({ [KEY]: POLLUTION }), KEY, '__proto__') }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]: unknown field "__proto__"/,
  },
  {
    no: 57,
    title: 'constructor.prototype inside a contact',
    call: () => ({ body: renameKey(addContact({ [KEY]: { prototype: POLLUTION } }), KEY, 'constructor') }),
    status: 400,
    code: 'invalid_request',
    message: /contacts\.added\[0\]: unknown field "constructor"/,
  },
  {
    no: 58,
    title: '__proto__ inside a delete reference',
    call: (ctx) => ({
      body: renameKey(
        deleteCompanies([{ ...ctx.companyA, [KEY]: { id: ctx.companyB.id } }]),
        KEY,
        '__proto__',
      ),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]: unknown field "__proto__"/,
  },
  {
    no: 59,
    title: 'an unknown top-level field (isAdmin)',
    call: () => ({ body: { ...syncBody(), isAdmin: true } }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "isAdmin"/,
  },
  {
    no: 60,
    title: 'an unknown list in a change set (upserted)',
    call: () => ({
      body: syncBody({ companies: { added: [], modified: [], deleted: [], upserted: [newCompany()] } }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies: unknown field "upserted"/,
  },
  {
    no: 61,
    title: 'an unknown column in a record (ownerId)',
    call: () => ({ body: addCompany({ ownerId: 1 }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]: unknown field "ownerId"/,
  },
  {
    no: 62,
    title: 'a field in a delete reference (a delete that also edits)',
    call: (ctx) => ({ body: deleteCompanies([{ ...ctx.companyA, name: 'renamed' }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]: unknown field "name"/,
  },
  {
    no: 63,
    title: '100,000 unknown keys (the message stays short)',
    call: () => {
      const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1]))
      return { body: { ...syncBody(), ...keys } }
    },
    status: 400,
    code: 'invalid_request',
    message: /^The sync request is invalid:\n\(request\): unknown fields "k0", .*"k9" and 99990 more$/,
  },
  {
    no: 64,
    title: 'a megabyte-long key (the message stays short)',
    call: () => ({ body: { ...syncBody(), ['k'.repeat(1024 * 1024)]: 1 } }),
    status: 400,
    code: 'invalid_request',
    message: /^The sync request is invalid:\n\(request\): unknown field "k{64}…"$/,
  },
  {
    no: 65,
    title: 'a key with a NUL byte (name\\u0000)',
    call: () => ({ body: addCompany({ 'name\u0000': 'Shadow' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]: unknown field "name\\u0000"/,
  },
]
