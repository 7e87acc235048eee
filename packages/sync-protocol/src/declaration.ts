/**
 * A parent/child declaration is all the engines need to know about an app's data.
 * Company/Contact is the first pair; another app declares its own (Order/OrderLine, Site/Visit…)
 * and reuses the protocol, the server engine and the client engine unchanged.
 */

/** A user-editable text column. Every synced field is text today; `null` means "not set". */
export interface TextField {
  readonly kind: 'text'
  /** Required fields must be a non-blank string. */
  readonly required: boolean
  /** Maximum length in UTF-16 code units, enforced identically on client and server. */
  readonly maxLength: number
  /** Optional format check, shared so the form and the server agree. */
  readonly format?: 'email' | 'url' | 'phone'
  /** Label shown by generic UIs and in error messages. */
  readonly label: string
}

export type FieldSpec = TextField

export interface EntitySpec<F extends Record<string, FieldSpec> = Record<string, FieldSpec>> {
  /** Singular, lower camel case: used in `rejected[].entity` and in id-map names (`companyIdMap`). */
  readonly name: string
  /** Key of the entity's change set in a sync request and of its records in a response. */
  readonly plural: string
  /** Database table (the Prisma model name). */
  readonly table: string
  readonly fields: F
}

export interface ChildSpec<
  F extends Record<string, FieldSpec> = Record<string, FieldSpec>,
> extends EntitySpec<F> {
  /** Column holding the parent's id. The server deletes children with their parent (cascade). */
  readonly parentKey: string
}

export interface OneToManySpec<P extends EntitySpec = EntitySpec, C extends ChildSpec = ChildSpec> {
  readonly parent: P
  readonly child: C
}

export const text = (
  label: string,
  maxLength: number,
  options: { required?: boolean; format?: TextField['format'] } = {},
): TextField => ({
  kind: 'text',
  label,
  maxLength,
  required: options.required ?? false,
  ...(options.format ? { format: options.format } : {}),
})

export function defineOneToMany<const P extends EntitySpec, const C extends ChildSpec>(spec: {
  parent: P
  child: C
}): OneToManySpec<P, C> {
  const reserved = new Set(['id', 'uid', 'createdAt', 'updatedAt', 'version', spec.child.parentKey])
  for (const entity of [spec.parent, spec.child]) {
    for (const field of Object.keys(entity.fields)) {
      if (reserved.has(field)) throw new Error(`${entity.name}.${field} is a reserved column name`)
    }
  }
  if (spec.parent.plural === spec.child.plural) throw new Error('parent and child need distinct plurals')
  return spec
}

/** The field names of an entity, in declaration order. */
export const fieldNames = (entity: EntitySpec): string[] => Object.keys(entity.fields)
