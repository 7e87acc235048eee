import type { DBCore, Middleware } from 'dexie'
import type { EntitySpec, OneToManySpec } from '@offline-sync/sync-protocol'
import { recordWords } from './search-words.ts'

/**
 * Two more derived, sparse index keys (like `_sort` and `_pending`, see stored-record.ts), present on ACTIVE
 * records only, so tombstones are never found or listed:
 * - `_words`: the record's search words (search-words.ts), a multi-entry index: a search is a range of it;
 * - `_changed`: orders "recently changed" first: records with a change the server has not seen yet (they are the
 *   newest by definition), then by the server's `updatedAt`; listed newest first with `.reverse()`.
 */
export interface SearchKeys {
  _words?: string[]
  _changed?: string
}

/** The keys for a record about to be written (`_pending` already set by `toStored`). */
export function searchKeys(entity: EntitySpec, record: Record<string, unknown>): SearchKeys {
  if (record.isActive !== true) return {}
  const updatedAt = typeof record.updatedAt === 'string' ? record.updatedAt : ''
  return { _words: recordWords(entity, record), _changed: `${record._pending === 1 ? 1 : 0}|${updatedAt}` }
}

/** The record with its search keys recomputed (stale ones dropped). */
export function withSearchKeys<T extends Record<string, unknown>>(entity: EntitySpec, record: T): T {
  const { _words: _w, _changed: _c, ...plain } = record
  return { ...plain, ...searchKeys(entity, record) } as T
}

/**
 * A Dexie DBCore middleware that recomputes the search keys on every add and put to the two record tables: local
 * writes, applied server rows, rebases and carried changes all pass through here, so the index cannot drift from
 * the fields and no write path has to remember it. It costs one tokenisation per written record and no read.
 */
export function searchIndexMiddleware(spec: OneToManySpec): Middleware<DBCore> {
  const entities: Record<string, EntitySpec> = {
    [spec.parent.plural]: spec.parent,
    [spec.child.plural]: spec.child,
  }
  return {
    stack: 'dbcore',
    name: 'search-index',
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name)
          const entity = entities[name]
          if (!entity) return table
          return {
            ...table,
            mutate(req) {
              if (req.type !== 'add' && req.type !== 'put') return table.mutate(req)
              const values = req.values.map((v: Record<string, unknown>) => withSearchKeys(entity, v))
              return table.mutate({ ...req, values })
            },
          }
        },
      }
    },
  }
}
