import { fieldNames, type EntitySpec } from '@offline-sync/sync-protocol'
import { isoText, quoteIdent as q, quoteLiteral as literal } from './identifiers.ts'
import { pageSql } from './page-sql.ts'

/**
 * The statements the engine runs against one entity's table, built once from the declaration.
 * Every list is fed as ONE json parameter ($1) and unpacked with json_to_recordset, so a list of any length
 * is one statement (rule R14). Values only ever travel as parameters; identifiers only from the declaration.
 */
export interface EntitySql {
  /**
   * Inserts the added records; a record whose uid exists already (a retry whose response was lost) updates
   * that row instead (rule R10), without drawing a new id (rule S1). $1 = [{ ord, uid, ...fields, parentKey? }], $2 = version. Returns every row
   * as { id, uid } — RETURNING order is not guaranteed, so callers map by uid.
   */
  readonly upsertAdded: string
  /**
   * The rows a list of modifies names (matching BOTH id and uid), with their version and field versions, for
   * the field-level merge (rules M1–M4). $1 = [{ id, uid }]. Returns { id, uid, version, fieldVersions, ...writable }.
   */
  readonly selectForMerge: string
  /**
   * Writes only the fields each row's patch names (rule M1) and stamps them in fieldVersions.
   * $1 = [{ id, p: { field: value }, fv: { field: { v, d } } }] (jsonb), $2 = version. Returns { id }.
   */
  readonly mergeModified: string
  /** Deletes rows matching both id and uid. $1 = [{ id, uid }]. Returns { id, label, version, fieldVersions } as they were. */
  readonly deleteByRef: string
  /** Which of the given ids exist. $1 = [id, …]. Returns { id }. */
  readonly existingIds: string
  /** One page of a full download in wire shape (rules G1–G3); see page-sql.ts for its parameters and columns. */
  readonly selectPage: string
  /** A JSON array (ordered by id, wire shape) of the rows written after a cursor, as a scalar subquery. $1 = cursor. */
  readonly changedSinceJson: string
  /**
   * Rule G7: as changedSinceJson, less the rows acknowledged instead: $2 = the writing sync's version, $3 = the ids
   * (JSON array) it may acknowledge. A listed row another sync wrote since (version ≠ $2) is sent in full.
   */
  readonly changedSinceUnackedJson: string
  /** Rule G7: { id, uid, createdAt, updatedAt, version } of the listed rows ($1, JSON array of ids) still at version $2. */
  readonly selectAcks: string
  /** A JSON array of the ids deleted after a cursor that do not exist (any more), as a scalar subquery. $1 = cursor. */
  readonly removedSinceJson: string
}

export function entitySql(entity: EntitySpec, parentKey?: string): EntitySql {
  const table = q(entity.table)
  const fields = fieldNames(entity).map(q)
  const writableNames = parentKey ? [...fieldNames(entity), parentKey] : fieldNames(entity)
  // Parent key is written like a declared field (a modify may move a child to another parent).
  const writable = parentKey ? [...fields, q(parentKey)] : fields
  const recordset = (extra: string[]) =>
    `json_to_recordset($1::json) AS x(${[...extra, ...fields.map((f) => `${f} text`), ...(parentKey ? [`${q(parentKey)} int`] : [])].join(', ')})`
  const label = fields[0] ? `t.${fields[0]}` : 'NULL::text'

  const columns = [
    't.id',
    't.uid::text AS uid',
    ...writable.map((f) => `t.${f}`),
    `${isoText('t."createdAt"')} AS "createdAt"`,
    `${isoText('t."updatedAt"')} AS "updatedAt"`,
    't.version::text AS version',
    // Rule R15's flags come from SQL: adding them per row in JavaScript cost more than the query at 100k rows.
    'true AS "isFromServer"',
    'false AS "isModified"',
    'true AS "isActive"',
  ].join(', ')

  return {
    // Two parts in one statement, both reading the table as it was before it: uids that exist are updated, and
    // only the others are inserted. INSERT … ON CONFLICT would draw a sequence value for every row, existing or
    // not, so retried re-adds would use up the id range (rule S1). Writers are serialised (R11), so no other
    // sync can insert one of these uids between the two parts.
    upsertAdded:
      `WITH x AS (SELECT * FROM ${recordset(['ord int', 'uid uuid'])}), ` +
      `updated AS (UPDATE ${table} AS t SET ${writable.map((f) => `${f} = x.${f}`).join(', ')}, ` +
      `"updatedAt" = now(), version = $2::bigint FROM x WHERE t.uid = x.uid RETURNING t.id, t.uid), ` +
      `inserted AS (INSERT INTO ${table} (uid, ${writable.join(', ')}, version) ` +
      `SELECT x.uid, ${writable.map((f) => `x.${f}`).join(', ')}, $2::bigint FROM x ` +
      `WHERE NOT EXISTS (SELECT 1 FROM ${table} AS e WHERE e.uid = x.uid) ORDER BY x.ord RETURNING id, uid) ` +
      `SELECT id, uid::text AS uid FROM updated UNION ALL SELECT id, uid::text AS uid FROM inserted`,
    selectForMerge:
      `SELECT t.id, t.uid::text AS uid, t.version::text AS version, t."fieldVersions" AS "fieldVersions", ` +
      `${writable.map((f) => `t.${f}`).join(', ')} FROM ${table} AS t ` +
      `JOIN json_to_recordset($1::json) AS x(id int, uid uuid) ON t.id = x.id AND t.uid = x.uid`,
    mergeModified:
      `UPDATE ${table} AS t SET ${writableNames.map((name) => `${q(name)} = CASE WHEN x.p ? ${literal(name)} THEN (x.p->>${literal(name)})${name === parentKey ? '::int' : ''} ELSE t.${q(name)} END`).join(', ')}, ` +
      `"fieldVersions" = t."fieldVersions" || x.fv, "updatedAt" = now(), version = $2::bigint ` +
      `FROM jsonb_to_recordset($1::jsonb) AS x(id int, p jsonb, fv jsonb) WHERE t.id = x.id RETURNING t.id`,
    deleteByRef:
      `DELETE FROM ${table} AS t USING json_to_recordset($1::json) AS x(id int, uid uuid) ` +
      `WHERE t.id = x.id AND t.uid = x.uid RETURNING t.id, ${label} AS label, t.version::text AS version, t."fieldVersions" AS "fieldVersions"`,
    existingIds: `SELECT t.id FROM ${table} AS t JOIN json_array_elements_text($1::json) AS x(id) ON t.id = x.id::int`,
    selectPage: pageSql(entity, columns, parentKey ? 'by-id' : 'by-sort-key'),
    // json (not jsonb) keeps the column order; the port returns it parsed. Both use the index on version.
    changedSinceJson:
      `(SELECT COALESCE(json_agg(r ORDER BY r.id), '[]'::json) FROM ` +
      `(SELECT ${columns} FROM ${table} AS t WHERE t.version > $1::bigint) AS r)`,
    changedSinceUnackedJson:
      `(SELECT COALESCE(json_agg(r ORDER BY r.id), '[]'::json) FROM ` +
      `(SELECT ${columns} FROM ${table} AS t WHERE t.version > $1::bigint AND NOT (t.version = $2::bigint ` +
      `AND t.id IN (SELECT a.id::int FROM json_array_elements_text($3::json) AS a(id)))) AS r)`,
    selectAcks:
      `SELECT t.id, t.uid::text AS uid, ${isoText('t."createdAt"')} AS "createdAt", ${isoText('t."updatedAt"')} AS "updatedAt", ` +
      `t.version::text AS version FROM ${table} AS t JOIN json_array_elements_text($1::json) AS a(id) ON t.id = a.id::int ` +
      `WHERE t.version = $2::bigint ORDER BY t.id`,
    removedSinceJson:
      `(SELECT COALESCE(json_agg(g.id ORDER BY g.id), '[]'::json) FROM ` +
      `(SELECT DISTINCT d."recordId" AS id FROM "Tombstone" AS d WHERE d.entity = ${literal(entity.table)} ` +
      `AND d.version > $1::bigint AND NOT EXISTS (SELECT 1 FROM ${table} AS t WHERE t.id = d."recordId")) AS g)`,
  }
}

/**
 * Deletes the children of the given parents explicitly, before the parents, so each child leaves a tombstone
 * (the database's ON DELETE CASCADE would remove them silently). $1 = [{ id, uid }] of parents. Returns { id }.
 */
export function deleteChildrenOfSql(parent: EntitySpec, child: EntitySpec, parentKey: string): string {
  return (
    `DELETE FROM ${q(child.table)} AS c USING ${q(parent.table)} AS p, json_to_recordset($1::json) AS x(id int, uid uuid) ` +
    `WHERE c.${q(parentKey)} = p.id AND p.id = x.id AND p.uid = x.uid RETURNING c.id`
  )
}
