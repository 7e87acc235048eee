import { useState } from 'react'
import { readTheme, storeTheme, type ThemeChoice } from '../../../lib/theme/theme.ts'

const CHOICES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'As the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
]

/** Light, dark or the system's choice, for this device only. */
export function ThemePicker() {
  const [choice, setChoice] = useState<ThemeChoice>(() => readTheme())
  return (
    <fieldset className="theme-picker" data-testid="theme-picker">
      <legend>Appearance on this device</legend>
      {CHOICES.map(({ value, label }) => (
        <label key={value} className="theme-picker__choice">
          <input
            type="radio"
            name="theme"
            value={value}
            checked={choice === value}
            onChange={() => {
              setChoice(value)
              storeTheme(value)
            }}
          />
          {label}
        </label>
      ))}
    </fieldset>
  )
}
