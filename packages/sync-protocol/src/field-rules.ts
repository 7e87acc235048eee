import type { EntitySpec, FieldSpec } from './declaration.ts'

// Deliberately permissive: the goal is to catch typos in the field, not to police RFC 5322.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^[+(]?[0-9][0-9 ().\-/x]*$/
// Half of a surrogate pair: valid in a JS string, not in UTF-8, so Postgres would refuse it (a 500, not a 400).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Checks one field value. Returns a message a person can read, or null when valid.
 * Used by the zod schemas (server) and by the forms (client), so both say the same thing.
 */
export function checkField(spec: FieldSpec, value: unknown): string | null {
  if (value === null || value === undefined || value === '') {
    return spec.required ? `${spec.label} is required` : null
  }
  if (typeof value !== 'string') return `${spec.label} must be text`
  if (value.includes('\u0000')) return `${spec.label} must not contain NUL characters`
  if (LONE_SURROGATE.test(value))
    return `${spec.label} contains an invalid character (half of an emoji or symbol)`
  if (spec.required && value.trim() === '') return `${spec.label} is required`
  if (value.length > spec.maxLength) return `${spec.label} must be at most ${spec.maxLength} characters`
  switch (spec.format) {
    case 'email':
      return EMAIL.test(value) ? null : `${spec.label} must be an email address like name@example.com`
    case 'phone':
      return PHONE.test(value) && /[0-9]/.test(value) ? null : `${spec.label} must be a phone number`
    case 'url':
      return isHttpUrl(value) ? null : `${spec.label} must be a web address starting with http:// or https://`
    default:
      return null
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/** Checks every declared field of a record; returns field → message for the invalid ones. */
export function checkRecord(entity: EntitySpec, record: Record<string, unknown>): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const [name, spec] of Object.entries(entity.fields)) {
    const message = checkField(spec, record[name])
    if (message) errors[name] = message
  }
  return errors
}
