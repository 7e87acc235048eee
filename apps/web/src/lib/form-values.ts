import type { EntitySpec } from '@offline-sync/sync-protocol'

/** Form values as typed: every declared field as a string ('' = not set). */
export type FormValues = Record<string, string>

/** Empty form values for an entity, or the values of an existing record (null → ''). */
export function formValuesOf(entity: EntitySpec, record?: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    Object.keys(entity.fields).map((name) => {
      const value = record?.[name]
      return [name, typeof value === 'string' ? value : '']
    }),
  )
}

/** What a form hands to the local writes: blank optional fields become null, as the server stores them. */
export function recordFieldsOf(values: FormValues): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, value.trim() === '' ? null : value]),
  )
}
