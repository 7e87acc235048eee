import { randomUUID } from 'node:crypto'
import { companiesContacts, LIMITS, type TextField } from '@offline-sync/sync-protocol'
import { addCompany, addContact, syncBody, type BadInput } from './bad-input.ts'

/** A value one character over the limit that would pass the field's format check, so only the length fails. */
function overLong(field: TextField): string {
  const n = field.maxLength + 1
  switch (field.format) {
    case 'email':
      return `${'a'.repeat(n - '@example.test'.length)}@example.test`
    case 'url':
      return `https://example.test/${'a'.repeat(n - 'https://example.test/'.length)}`
    case 'phone':
      return '1'.repeat(n)
    default:
      return 'x'.repeat(n)
  }
}

const { parent, child } = companiesContacts
/** One case per declared field, from the declaration itself: a new field gets its case without editing here. */
const fieldCases: BadInput[] = [
  ...Object.entries(parent.fields).map(([name, field]) => ({ entity: 'company', name, field })),
  ...Object.entries(child.fields).map(([name, field]) => ({ entity: 'contact', name, field })),
].map(({ entity, name, field }, index) => ({
  no: 37 + index,
  title: `${entity}.${name} one character over ${field.maxLength}`,
  call: () => ({
    body:
      entity === 'company'
        ? addCompany({ [name]: overLong(field) })
        : addContact({ [name]: overLong(field) }),
  }),
  status: 400,
  code: 'invalid_request',
  message: new RegExp(
    `${entity === 'company' ? 'companies' : 'contacts'}\\.added\\[0\\]\\.${name}: ${field.label} must be at most ${field.maxLength} characters`,
  ),
}))
if (fieldCases.length !== 9)
  throw new Error('docs/bad-inputs.md numbers 9 field-limit entries (#37–#45); renumber both')

/** Catalogue group C: oversized fields, field rules, oversized bodies (docs/bad-inputs.md #37–#51). */
export const sizeCases: BadInput[] = [
  ...fieldCases,
  {
    no: 46,
    title: 'an over-long name in a modified record',
    call: (ctx) => ({
      body: syncBody({
        companies: {
          added: [],
          modified: [{ base: '0', ...ctx.companyA, name: 'x'.repeat(201) }],
          deleted: [],
        },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.modified\[0\]\.name: Name must be at most 200 characters/,
  },
  {
    no: 47,
    title: 'a required name made of blanks',
    call: () => ({ body: addCompany({ name: ' \t ' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.name: Name is required/,
  },
  {
    no: 48,
    title: 'a javascript: URL as website',
    call: () => ({ body: addCompany({ website: 'javascript:alert(document.cookie)' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.website: Website must be a web address starting with http/,
  },
  {
    no: 49,
    title: 'an email field holding a header injection',
    call: () => ({ body: addContact({ email: 'eve@example.test\r\nBcc: all@example.test' }) }),
    status: 400,
    code: 'invalid_request',
    message: /contacts\.added\[0\]\.email: Email must be an email address/,
  },
  {
    no: 50,
    title: `a body over ${LIMITS.maxBodyBytes} bytes`,
    call: () => ({ body: JSON.stringify(addCompany({ address: 'x'.repeat(LIMITS.maxBodyBytes) })) }),
    status: 413,
    code: 'payload_too_large',
    message: /larger than the 16777216 bytes this route accepts; send the changes in several syncs/,
  },
  {
    no: 51,
    title: `${LIMITS.maxRecordsPerRequest + 1} records across both entities`,
    call: () => {
      const half = Math.ceil((LIMITS.maxRecordsPerRequest + 1) / 2)
      const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, uid: randomUUID() }))
      return {
        body: syncBody({
          companies: { added: [], modified: [], deleted: refs(half) },
          contacts: { added: [], modified: [], deleted: refs(LIMITS.maxRecordsPerRequest + 1 - half) },
        }),
      }
    },
    status: 413,
    code: 'too_many_records',
    message: /carries 20001 records; at most 20000 are accepted per sync/,
  },
]
