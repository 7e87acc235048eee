import { syncBody, type BadInput } from './bad-input.ts'

// A token as this server writes it (format 1, parents, C = 1, totals 1/1, start): base64url of 22 bytes.
const header = (bytes: number[]) => Buffer.from([...bytes, ...new Array<number>(22 - bytes.length).fill(0)])
const wellFormed = header([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]).toString('base64url')

/** N. Page tokens of a paged full sync (issue 16, rule G4): a token the server cannot read changes nothing. */
export const pageCases: BadInput[] = [
  {
    no: 156,
    title: 'a page token that is not base64url',
    call: () => ({ body: syncBody({ page: 'not a token!' }) }),
    status: 400,
    code: 'invalid_request',
    message: /page: page must be a page token returned by the server/,
  },
  {
    no: 157,
    title: 'a page token too short to hold a position',
    call: () => ({ body: syncBody({ page: 'AQAA' }) }),
    status: 400,
    code: 'invalid_request',
    message: /page is not a page token of this server \(too short\)/,
  },
  {
    no: 158,
    title: 'a page token of an unknown format',
    call: () => ({ body: syncBody({ page: header([9]).toString('base64url') }) }),
    status: 400,
    code: 'invalid_request',
    message: /\(unknown format\)/,
  },
  {
    no: 159,
    title: 'a page token naming an unknown entity',
    call: () => ({ body: syncBody({ page: header([1, 5]).toString('base64url') }) }),
    status: 400,
    code: 'invalid_request',
    message: /\(unknown entity\)/,
  },
  {
    no: 160,
    title: 'a page token whose cursor is out of range',
    call: () => ({
      body: syncBody({
        page: header([1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).toString('base64url'),
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /\(cursor out of range\)/,
  },
  {
    no: 161,
    title: 'a page token whose sort key is not UTF-8',
    call: () => ({
      body: syncBody({
        page: Buffer.concat([
          header([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 7]),
          Buffer.from([0xc3]),
        ]).toString('base64url'),
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /\(sort key is not UTF-8\)/,
  },
  {
    no: 162,
    title: 'a page token with stray trailing bits (not canonical)',
    call: () => ({ body: syncBody({ page: `${wellFormed.slice(0, -1)}B` }) }),
    status: 400,
    code: 'invalid_request',
    message: /\(not canonical base64url\)/,
  },
  {
    no: 163,
    title: 'a next page asked for together with changes',
    call: () => ({
      body: syncBody({
        page: wellFormed,
        companies: {
          added: [{ id: -1, uid: crypto.randomUUID(), name: 'Sneaked in' }],
          modified: [],
          deleted: [],
        },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /page: a next page is asked for with no cursor and no changes/,
  },
  {
    no: 164,
    title: 'a next page asked for together with a cursor',
    call: () => ({ body: syncBody({ page: wellFormed, cursor: '1' }) }),
    status: 400,
    code: 'invalid_request',
    message: /page: a next page is asked for with no cursor and no changes/,
  },
]
