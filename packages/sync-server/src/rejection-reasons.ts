import type { EntitySpec } from '@offline-sync/sync-protocol'

/*
 * Reasons are read by the person holding the phone, next to the record they edited. Each says what happened,
 * that their work is still on the device, and (where there is one) what they can do about it.
 */

/** `company "Acme Ltd"`, or just `company` when the record has no value for its first declared field. */
export function describe(entity: EntitySpec, record?: Readonly<Record<string, unknown>>): string {
  const first = Object.keys(entity.fields)[0]
  const value = first && record ? record[first] : undefined
  return typeof value === 'string' && value.trim() !== '' ? `${entity.name} "${value}"` : entity.name
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export const reasons = {
  modifiedButGone: (entity: EntitySpec, record: Readonly<Record<string, unknown>>) =>
    `${capitalise(describe(entity, record))} was deleted on the server by another device, so your changes to it ` +
    'could not be saved there. Your changes are kept on this device.',

  deletedButGone: (entity: EntitySpec) =>
    `This ${entity.name} had already been deleted on the server (by another device). Nothing else to do.`,

  parentGone: (
    child: EntitySpec,
    record: Readonly<Record<string, unknown>>,
    parent: EntitySpec,
    parentId: number,
    deletedHere: { label: string | null } | undefined,
  ) => {
    const which = deletedHere?.label ? `"${deletedHere.label}" (id ${parentId})` : `(id ${parentId})`
    const how = deletedHere
      ? 'was deleted in this same sync'
      : 'no longer exists on the server; another device deleted it'
    return (
      `${capitalise(describe(child, record))} could not be saved because its ${parent.name} ${which} ${how}. ` +
      `Your changes are kept on this device: move it to another ${parent.name}, or discard it.`
    )
  },
}
