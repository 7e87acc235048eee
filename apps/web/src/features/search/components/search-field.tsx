import type { RefObject } from 'react'

/** The search box: one field over companies and contacts. */
export function SearchField({
  value,
  onChange,
  inputRef,
}: {
  value: string
  onChange: (value: string) => void
  inputRef?: RefObject<HTMLInputElement | null>
}) {
  return (
    <form className="search" role="search" onSubmit={(event) => event.preventDefault()}>
      <label htmlFor="search" className="field__label">
        Search companies and contacts
      </label>
      <input
        id="search"
        ref={inputRef}
        type="search"
        value={value}
        autoComplete="off"
        enterKeyHint="search"
        aria-describedby="search-hint"
        onChange={(event) => onChange(event.target.value)}
        data-testid="search-field"
      />
      <span id="search-hint" className="field__hint">
        Any word of a name, e-mail, job title or address; a phone number’s digits.
      </span>
    </form>
  )
}
