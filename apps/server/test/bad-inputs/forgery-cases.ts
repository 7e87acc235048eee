import { randomUUID } from 'node:crypto'
import { addCompany, addContact, syncBody, type BadInput } from './bad-input.ts'

const modifyA = (ctx: { companyA: { id: number; uid: string } }, over: Record<string, unknown>) =>
  syncBody({
    companies: { added: [], modified: [{ base: '0', ...ctx.companyA, name: 'Acme', ...over }], deleted: [] },
  })

/** Catalogue groups G and H: forged server fields, bad deviceId / syncId (docs/bad-inputs.md #83–#95). */
export const forgeryCases: BadInput[] = [
  {
    no: 83,
    title: 'a forged isFromServer on an added record',
    call: () => ({ body: addCompany({ isFromServer: true }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]: unknown field "isFromServer"/,
  },
  {
    no: 84,
    title: 'forged isModified and isActive on a modified record',
    call: (ctx) => ({ body: modifyA(ctx, { isModified: false, isActive: false }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.modified\[0\]: unknown fields "isModified", "isActive"/,
  },
  {
    no: 85,
    title: 'a forged version (to win last-write-wins)',
    call: (ctx) => ({ body: modifyA(ctx, { version: '9223372036854775807' }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.modified\[0\]: unknown field "version"/,
  },
  {
    no: 86,
    title: 'forged createdAt and updatedAt',
    call: () => ({
      body: addContact({ createdAt: '1970-01-01T00:00:00Z', updatedAt: '2999-01-01T00:00:00Z' }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /contacts\.added\[0\]: unknown fields "createdAt", "updatedAt"/,
  },
  {
    no: 87,
    title: 'an added record claiming a server id',
    call: (ctx) => ({ body: addCompany({ id: ctx.companyA.id }) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.added\[0\]\.id: an added company must have a negative local id, got 1/,
  },
  {
    no: 88,
    title: 'response fields in a request (companyIdMap, rejected)',
    call: () => ({ body: { ...syncBody(), companyIdMap: { '-1': 1 }, rejected: [] } }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown fields "companyIdMap", "rejected"/,
  },
  {
    no: 89,
    title: 'a forged mode: "delta"',
    call: () => ({ body: { ...syncBody(), mode: 'delta' } }),
    status: 400,
    code: 'invalid_request',
    message: /\(request\): unknown field "mode"/,
  },
  {
    no: 90,
    title: 'a forged cursor far ahead of the server (answered with a full sync)',
    call: () => ({ body: syncBody({ cursor: '9223372036854775807' }) }),
    status: 200,
    code: 'full',
    message: /./,
    outcome: 'harmless',
  },
  {
    no: 91,
    title: 'a deviceId that is not a UUID',
    call: () => ({ body: syncBody({ deviceId: 'phone-1' }) }),
    status: 400,
    code: 'invalid_request',
    message: /deviceId: deviceId must be a UUID/,
  },
  {
    no: 92,
    title: 'a syncId carrying SQL',
    call: () => ({ body: syncBody({ syncId: `${randomUUID()}'; DROP TABLE "SyncReceipt"; --` }) }),
    status: 400,
    code: 'invalid_request',
    message: /syncId: syncId must be a UUID/,
  },
  {
    no: 93,
    title: 'an empty syncId',
    call: () => ({ body: syncBody({ syncId: '' }) }),
    status: 400,
    code: 'invalid_request',
    message: /syncId: syncId must be a UUID/,
  },
  {
    no: 94,
    title: 'a deviceId with a NUL byte',
    call: () => ({ body: syncBody({ deviceId: `${randomUUID()}\u0000` }) }),
    status: 400,
    code: 'invalid_request',
    message: /deviceId: deviceId must be a UUID/,
  },
  {
    no: 95,
    title: 'a used syncId with a different payload',
    call: (ctx) => {
      // The same attempt with one field changed: a replay must match exactly (rule R7).
      const changed = structuredClone(ctx.appliedSync) as { companies: { added: { name: string }[] } }
      changed.companies.added[0]!.name = 'Acme Holdings'
      return { body: changed }
    },
    status: 409,
    code: 'sync_id_reused',
    message: /was already applied with different changes\. Send new changes under a new syncId/,
  },
]
