import { addCompany, addContact, newCompany, syncBody, type BadInput } from './bad-input.ts'

const PLACEHOLDER = 'NESTING_GOES_HERE'

/** JSON text of `value` with `"NESTING_GOES_HERE"` replaced by `depth` nested arrays. */
const nestedAt = (value: unknown, depth: number) =>
  JSON.stringify(value).replace(`"${PLACEHOLDER}"`, '['.repeat(depth) + ']'.repeat(depth))

/** Catalogue groups I, J and K: unicode, deep nesting and volume, method and route confusion (docs/bad-inputs.md #96–#109). */
export const encodingCases: BadInput[] = [
  {
    no: 96,
    title: 'a lone high surrogate in a name',
    call: () => ({ body: addCompany({ name: 'Emoji \ud83d half' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.name: Name contains an invalid character/,
  },
  {
    no: 97,
    title: 'a lone low surrogate, escaped in the JSON text',
    call: () => ({ body: JSON.stringify(addContact({ jobTitle: 'LONE' })).replace('"LONE"', '"\\udc00"') }),
    status: 400,
    code: 'invalid_request',
    message: /contacts\.added\[0\]\.jobTitle: Job title contains an invalid character/,
  },
  {
    no: 98,
    title: 'a NUL byte in a name',
    call: () => ({ body: addCompany({ name: 'Acme\u0000Ltd' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.name: Name must not contain NUL characters/,
  },
  {
    no: 99,
    title: 'a NUL byte in an email',
    call: () => ({ body: addContact({ email: 'eve@example.test\u0000.evil' }) }),
    status: 400,
    code: 'invalid_request',
    message: /contacts\.added\[0\]\.email: Email must not contain NUL characters/,
  },
  {
    no: 100,
    title: 'UTF-8 bytes labelled UTF-16',
    call: () => ({
      body: JSON.stringify(syncBody()),
      headers: { 'content-type': 'application/json; charset=utf-16' },
    }),
    status: 400,
    code: 'invalid_json',
    message: /not valid JSON/,
  },
  {
    no: 101,
    title: 'a body nested 1,000,000 arrays deep',
    call: () => ({ body: '['.repeat(1_000_000) + ']'.repeat(1_000_000) }),
    status: 400,
    code: 'invalid_request',
    message: /must be a JSON object, got an array/,
  },
  {
    no: 102,
    title: 'an unknown key holding 100,000 nested objects',
    call: () => ({
      body: JSON.stringify(syncBody()).replace(
        /}$/,
        `,"deep":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`,
      ),
    }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "deep"/,
  },
  {
    no: 103,
    title: 'a text field holding 500,000 nested arrays',
    call: () => ({ body: nestedAt(addCompany({ address: PLACEHOLDER }), 500_000) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.address: Address must be text or null, got a list/,
  },
  {
    no: 104,
    title: '20,000 invalid records (the message lists 20 and counts the rest)',
    call: () => ({
      body: syncBody({
        companies: {
          added: Array.from({ length: 20_000 }, (_, i) => newCompany({ id: -(i + 1), name: 42 })),
          modified: [],
          deleted: [],
        },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message:
      /^The sync request is invalid:\n(companies\.added\[\d+\]\.name: Name must be text or null, got a number\n){20}…and 19980 more problems$/,
  },
  {
    no: 105,
    title: 'GET /api/sync',
    call: () => ({ method: 'GET' }),
    status: 404,
    code: 'not_found',
    message: /No API route GET/,
  },
  {
    no: 106,
    title: 'PUT /api/sync with a valid body',
    call: () => ({ method: 'PUT', body: addCompany() }),
    status: 404,
    code: 'not_found',
    message: /No API route PUT/,
  },
  {
    no: 107,
    title: 'DELETE /api/sync',
    call: () => ({ method: 'DELETE' }),
    status: 404,
    code: 'not_found',
    message: /No API route DELETE/,
  },
  {
    no: 108,
    title: 'POST to an unknown /api route',
    call: () => ({ path: '/api/companies', body: addCompany() }),
    status: 404,
    code: 'not_found',
    message: /No API route POST/,
  },
  {
    no: 109,
    title: 'a method override header on GET',
    call: () => ({ method: 'GET', headers: { 'x-http-method-override': 'POST' } }),
    status: 404,
    code: 'not_found',
    message: /No API route GET/,
  },
]
