import { useRef, useState, type FormEvent } from 'react'
import { checkField, checkRecord, type EntitySpec } from '@offline-sync/sync-protocol'
import { TextField } from './text-field.tsx'
import { recordFieldsOf, type FormValues } from '../lib/form-values.ts'
import { describeWriteError } from '../lib/storage/storage-errors.ts'
import { formatNumber } from '../lib/format/locale-format.ts'

/** How one field is presented; validation always comes from the entity's declaration. */
export interface FieldHint {
  autoComplete?: string
  multiline?: boolean
}

/** Thrown by `onSave` to show per-field messages (e.g. the engine's LocalValidationError). */
export interface FieldErrorsLike {
  fieldErrors: Record<string, string>
}

function hasFieldErrors(err: unknown): err is FieldErrorsLike {
  return typeof err === 'object' && err !== null && typeof (err as FieldErrorsLike).fieldErrors === 'object'
}

const INPUT_TYPES = { email: 'email', phone: 'tel', url: 'url' } as const

export interface RecordFormProps {
  /** The declaration of the entity: labels, lengths, formats. The server checks the very same rules. */
  entity: EntitySpec
  initialValues: FormValues
  hints?: Record<string, FieldHint>
  submitLabel: string
  /** Writes the record locally. May throw { fieldErrors } (shown inline) or anything else (shown above the form). */
  onSave: (values: FormValues) => Promise<void>
  onCancel: () => void
  testId?: string
}

/** A form generated from an entity declaration, with inline errors tied to their inputs. */
export function RecordForm({
  entity,
  initialValues,
  hints = {},
  submitLabel,
  onSave,
  onCancel,
  testId,
}: RecordFormProps) {
  const [values, setValues] = useState(initialValues)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const inputs = useRef(new Map<string, HTMLInputElement | HTMLTextAreaElement>())

  function showErrors(found: Record<string, string>) {
    setErrors(found)
    // Send keyboard and screen-reader users to the first problem, in field order.
    const first = Object.keys(entity.fields).find((name) => found[name])
    if (first) inputs.current.get(first)?.focus()
  }

  function setFieldError(name: string, message: string | null) {
    setErrors((current) => {
      if ((current[name] ?? null) === message) return current
      const next = { ...current }
      if (message) next[name] = message
      else delete next[name]
      return next
    })
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (saving) return
    setFormError(null)
    const found = checkRecord(entity, recordFieldsOf(values))
    if (Object.keys(found).length > 0) {
      showErrors(found)
      return
    }
    setSaving(true)
    try {
      await onSave(values)
    } catch (err) {
      if (hasFieldErrors(err)) {
        // Messages about things the form does not show (e.g. the company of a contact) go above the form.
        const shown = Object.entries(err.fieldErrors).filter(([name]) => name in entity.fields)
        const other = Object.entries(err.fieldErrors).filter(([name]) => !(name in entity.fields))
        if (other.length > 0) setFormError(other.map(([, message]) => message).join(' '))
        showErrors(Object.fromEntries(shown))
      } else {
        // Out of storage space gets a plain sentence: nothing was saved and the earlier data is unchanged.
        setFormError(describeWriteError(err))
      }
      setSaving(false)
    }
  }

  const errorCount = Object.keys(errors).length
  return (
    <form
      className="record-form"
      noValidate
      onSubmit={(event) => void handleSubmit(event)}
      data-testid={testId}
    >
      {formError ? (
        <p className="form-error" role="alert" data-testid="form-error">
          {formError}
        </p>
      ) : null}
      {errorCount > 0 ? (
        <p className="form-error" role="alert">
          {errorCount === 1
            ? 'Please fix the field marked below.'
            : `Please fix the ${formatNumber(errorCount)} fields marked below.`}
        </p>
      ) : null}
      {Object.entries(entity.fields).map(([name, spec]) => (
        <TextField
          key={name}
          id={`${entity.name}-${name}`}
          name={name}
          label={spec.label}
          value={values[name] ?? ''}
          error={errors[name] ?? null}
          required={spec.required}
          maxLength={spec.maxLength}
          type={spec.format ? INPUT_TYPES[spec.format] : 'text'}
          autoComplete={hints[name]?.autoComplete}
          multiline={hints[name]?.multiline}
          inputRef={(element) => {
            if (element) inputs.current.set(name, element)
            else inputs.current.delete(name)
          }}
          onChange={(value) => {
            setValues((current) => ({ ...current, [name]: value }))
            // Once a field is marked wrong, clear the mark as soon as it is right.
            if (errors[name]) setFieldError(name, checkField(spec, value.trim() === '' ? null : value))
          }}
          onBlur={(value, next) => {
            // Going to Save or Cancel: an error appearing now would push the button from under the finger
            // before the tap lands. Save checks every field anyway.
            if (next?.closest('.form-actions')) return
            // Judge a field when the user leaves it, but do not scold an untouched empty field.
            if (value !== '' || errors[name])
              setFieldError(name, checkField(spec, value.trim() === '' ? null : value))
          }}
        />
      ))}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={saving} data-testid="save-button">
          {saving ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="button" onClick={onCancel} data-testid="cancel-button">
          Cancel
        </button>
      </div>
    </form>
  )
}
