import { randomUUID } from 'node:crypto'
import { deleteCompanies, syncBody, type BadInput } from './bad-input.ts'

/**
 * Catalogue group F: ids that would widen a delete (docs/bad-inputs.md #66–#82). The engine deletes rows that
 * match id AND uid (one jsonb parameter, never SQL text), so the last four are valid requests whose hostile
 * change is rejected (rule R12) rather than refused.
 */
export const deleteCases: BadInput[] = [
  {
    no: 66,
    title: 'an array of ids in one delete reference',
    call: (ctx) => ({
      body: deleteCompanies([{ id: [ctx.companyA.id, ctx.companyB.id], uid: ctx.companyA.uid }]),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.id: /,
  },
  {
    no: 67,
    title: 'the id "1 OR 1=1"',
    call: (ctx) => ({ body: deleteCompanies([{ id: '1 OR 1=1', uid: ctx.companyA.uid }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.id: /,
  },
  {
    no: 68,
    title: "the uid \"' OR ''='\"",
    call: (ctx) => ({ body: deleteCompanies([{ id: ctx.companyA.id, uid: "' OR ''='" }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.uid: uid must be a UUID/,
  },
  {
    no: 69,
    title: 'a uid with a LIKE wildcard',
    call: (ctx) => ({ body: deleteCompanies([{ id: ctx.companyA.id, uid: '%' }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.uid: uid must be a UUID/,
  },
  {
    no: 70,
    title: 'a negative id in deleted',
    call: (ctx) => ({ body: deleteCompanies([{ id: -ctx.companyA.id, uid: ctx.companyA.uid }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.id: a deleted company must carry its server id .*got -1/,
  },
  {
    no: 71,
    title: 'id 0 in deleted',
    call: (ctx) => ({ body: deleteCompanies([{ id: 0, uid: ctx.companyA.uid }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.id: a deleted company must carry its server id .*got 0/,
  },
  {
    no: 72,
    title: 'the same delete twice',
    call: (ctx) => ({ body: deleteCompanies([ctx.companyA, ctx.companyA]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[1\]\.id: company id 1 appears twice/,
  },
  {
    no: 73,
    title: 'one uid under two ids',
    call: (ctx) => ({
      body: deleteCompanies([ctx.companyA, { id: ctx.companyB.id, uid: ctx.companyA.uid }]),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[1\]\.uid: company uid .* appears twice/,
  },
  {
    no: 74,
    title: 'a delete reference without uid (would match by id alone)',
    call: (ctx) => ({ body: deleteCompanies([{ id: ctx.companyA.id }]) }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.uid: uid is missing/,
  },
  {
    no: 75,
    title: 'deleted as a wildcard string',
    call: () => ({ body: deleteCompanies('*') }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted: /,
  },
  {
    no: 76,
    title: 'the same company modified and deleted in one request',
    call: (ctx) => ({
      body: syncBody({
        companies: {
          added: [],
          modified: [{ base: '0', ...ctx.companyA, name: 'Kept?' }],
          deleted: [{ ...ctx.companyA, base: '0' }],
        },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[0\]\.id: company id 1 appears twice \(also in modified\[0\]\)/,
  },
  {
    no: 77,
    title: 'one uid twice, in upper and lower case',
    call: (ctx) => ({
      body: deleteCompanies([ctx.companyA, { id: ctx.companyB.id, uid: ctx.companyA.uid.toUpperCase() }]),
    }),
    status: 400,
    code: 'invalid_request',
    message: /companies\.deleted\[1\]\.uid: company uid .* appears twice/,
  },
  {
    no: 78,
    title: 'a contact pointing at a local company id not in the request',
    call: () => ({
      body: syncBody({
        contacts: {
          added: [{ id: -2, uid: randomUUID(), name: 'Stray', companyId: -99 }],
          modified: [],
          deleted: [],
        },
      }),
    }),
    status: 400,
    code: 'invalid_request',
    message:
      /contacts\.added\[0\]\.companyId: contact points at company -99, a local id that is not among the added companies/,
  },
  {
    no: 79,
    title: 'deleting a company by its contact’s id and uid',
    call: (ctx) => ({ body: deleteCompanies([{ id: ctx.contactA1.id, uid: ctx.contactA1.uid }]) }),
    status: 200,
    code: 'already_deleted',
    message: /already/,
    outcome: 'rejected',
  },
  {
    no: 80,
    title: 'deleting company A by its id with company B’s uid',
    call: (ctx) => ({ body: deleteCompanies([{ id: ctx.companyA.id, uid: ctx.companyB.uid }]) }),
    status: 200,
    code: 'already_deleted',
    message: /already/,
    outcome: 'rejected',
  },
  {
    no: 81,
    title: 'modifying company A by its id with company B’s uid',
    call: (ctx) => ({
      body: syncBody({
        companies: {
          added: [],
          modified: [{ base: '0', id: ctx.companyA.id, uid: ctx.companyB.uid, name: 'Hijacked' }],
          deleted: [],
        },
      }),
    }),
    status: 200,
    code: 'not_found',
    message: /was deleted on the server by another device/,
    outcome: 'rejected',
  },
  {
    no: 82,
    title: 'a contact added under a company id that does not exist',
    call: () => ({
      body: syncBody({
        contacts: {
          added: [{ id: -1, uid: randomUUID(), name: 'Orphan', companyId: 2_147_483_647 }],
          modified: [],
          deleted: [],
        },
      }),
    }),
    status: 200,
    code: 'parent_not_found',
    message: /could not be saved because its company \(id 2147483647\) no longer exists/,
    outcome: 'rejected',
  },
]
