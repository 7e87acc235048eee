import type { ChangeEvent, FocusEvent } from 'react'
import { formatNumber } from '../lib/format/locale-format.ts'

export interface TextFieldProps {
  /** Unique in the page; used for the input id and to tie the error message to it. */
  id: string
  name: string
  label: string
  value: string
  error: string | null
  required?: boolean
  /**
   * The declared limit. Not set as the input's maxlength: that would cut a pasted text without a word. Over the
   * limit, the field shows how many characters there are and how many too many (and Save refuses it).
   */
  maxLength?: number
  type?: 'text' | 'email' | 'tel' | 'url'
  autoComplete?: string
  multiline?: boolean
  inputRef?: (element: HTMLInputElement | HTMLTextAreaElement | null) => void
  onChange: (value: string) => void
  /** `next` is the element receiving focus, if any. */
  onBlur?: (value: string, next: Element | null) => void
}

const INPUT_MODES = { text: undefined, email: 'email', tel: 'tel', url: 'url' } as const

/** A labelled input whose error is announced with it (aria-invalid + aria-describedby). */
export function TextField(props: TextFieldProps) {
  const { id, name, label, value, error, required, maxLength, type = 'text', autoComplete, multiline } = props
  const errorId = `${id}-error`
  const countId = `${id}-count`
  const over = maxLength !== undefined && value.length > maxLength
  const describedBy = [error ? errorId : null, over ? countId : null].filter(Boolean).join(' ')
  const shared = {
    id,
    name,
    value,
    required,
    autoComplete,
    'aria-invalid': error || over ? true : undefined,
    'aria-describedby': describedBy || undefined,
    'data-testid': `field-${name}`,
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onChange(event.target.value),
    onBlur: (event: FocusEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onBlur?.(event.target.value, event.relatedTarget instanceof Element ? event.relatedTarget : null),
  }
  return (
    <div className={error || over ? 'field field--invalid' : 'field'}>
      <label htmlFor={id} className="field__label">
        {label}
        {required ? <span className="field__required"> (required)</span> : null}
      </label>
      {multiline ? (
        <textarea {...shared} ref={props.inputRef} rows={3} />
      ) : (
        <input
          {...shared}
          ref={props.inputRef}
          type={type}
          inputMode={INPUT_MODES[type]}
          autoCapitalize={type === 'text' ? 'sentences' : 'off'}
          spellCheck={type === 'text'}
        />
      )}
      {over ? (
        <p id={countId} className="field__error" data-testid={`count-${name}`}>
          {formatNumber(value.length)} characters: {formatNumber(value.length - maxLength)} too many (at most{' '}
          {formatNumber(maxLength)}).
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error" data-testid={`error-${name}`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
