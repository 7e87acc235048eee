import { syncBody, type BadInput } from './bad-input.ts'

/** N. Protocol version and bases (issue 14, rules P2 and M2). */
export const versionCases: BadInput[] = [
  {
    no: 152,
    title: 'a version-1 request (no protocolVersion) from a cached old build',
    call: (ctx) => {
      const body = syncBody({
        companies: { added: [], modified: [{ ...ctx.companyA, name: 'Whole record' }], deleted: [] },
      })
      delete body.protocolVersion
      return { body }
    },
    status: 400,
    code: 'version_not_supported',
    message: /speaks sync protocol version 3; the request carries none \(version 1\)/,
    details: { supported: [3] },
  },
  {
    no: 153,
    title: 'a protocolVersion from the future',
    call: () => ({ body: syncBody({ protocolVersion: 4 }) }),
    status: 400,
    code: 'version_not_supported',
    message: /carries 4\. Update the app/,
  },
  {
    no: 154,
    title: 'a modify without a base',
    call: (ctx) => ({
      body: syncBody({ companies: { added: [], modified: [{ ...ctx.companyA, name: 'X' }], deleted: [] } }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.modified\[0\]\.base: base is missing/,
  },
  {
    no: 155,
    title: "a base newer than the server's record",
    call: (ctx) => ({
      body: syncBody({
        companies: { added: [], modified: [{ ...ctx.companyA, base: '999999999', name: 'X' }], deleted: [] },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.modified\[0\]\.base: base 999999999 is newer than the server's record/,
  },
]
