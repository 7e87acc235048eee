import type { EventStreamState } from '@offline-sync/sync-client'
import { useDocumentTitle } from '../../../lib/use-document-title.ts'
import { PERIODIC_CHOICES, type PeriodicChoice, type SyncSettings } from '../../../lib/sync/sync-settings.ts'
import { useLiveStreamState, useSyncSettings } from '../api/use-sync-settings.ts'

type Flag = 'afterChanges' | 'onOpen' | 'onReconnect' | 'live'

const FLAGS: Array<{ key: Flag; label: string; hint: string }> = [
  {
    key: 'afterChanges',
    label: 'After my changes',
    hint: 'Sends what you save a moment later, while online.',
  },
  {
    key: 'onOpen',
    label: 'When the app opens',
    hint: 'Also when you come back to it from another app.',
  },
  { key: 'onReconnect', label: 'When back online', hint: 'As soon as the connection returns.' },
  {
    key: 'live',
    label: 'Live updates from others',
    hint: 'Keeps a light connection while the app is in view, so colleagues’ changes arrive by themselves.',
  },
]

const LIVE_WORDS: Record<EventStreamState, string> = {
  stopped: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected',
  waiting: 'Connection lost; trying again soon',
  ended: 'Stopped: sign in again to resume',
}

const everyText = (minutes: PeriodicChoice) =>
  minutes === 0 ? 'Never' : minutes === 1 ? 'Every minute' : `Every ${minutes} minutes`

/** "Automatic sync": when this device syncs by itself. Applied at once, kept on this device only. */
export function SettingsPage() {
  useDocumentTitle('Settings')
  const [settings, update] = useSyncSettings()
  const live = useLiveStreamState()

  return (
    <>
      <h1>Settings</h1>
      <form className="settings" onSubmit={(event) => event.preventDefault()}>
        <fieldset className="settings__group">
          <legend>Sync by itself</legend>
          {FLAGS.map(({ key, label, hint }) => (
            <div className="settings__option" key={key}>
              <input
                type="checkbox"
                id={`setting-${key}`}
                data-testid={`setting-${key}`}
                checked={settings[key]}
                aria-describedby={`setting-${key}-hint`}
                onChange={(event) => update({ [key]: event.target.checked } as Partial<SyncSettings>)}
              />
              <label htmlFor={`setting-${key}`}>{label}</label>
              <p className="settings__hint" id={`setting-${key}-hint`}>
                {hint}
              </p>
            </div>
          ))}
        </fieldset>
        <fieldset className="settings__group">
          <legend>Also sync while the app is in view</legend>
          {PERIODIC_CHOICES.map((minutes) => (
            <div className="settings__option" key={minutes}>
              <input
                type="radio"
                name="everyMinutes"
                id={`setting-every-${minutes}`}
                data-testid={`setting-every-${minutes}`}
                checked={settings.everyMinutes === minutes}
                onChange={() => update({ everyMinutes: minutes })}
              />
              <label htmlFor={`setting-every-${minutes}`}>{everyText(minutes)}</label>
            </div>
          ))}
        </fieldset>
      </form>
      <p className="device-note" role="status" data-testid="live-status" data-state={live}>
        Live updates: {settings.live ? LIVE_WORDS[live] : 'Off'}
      </p>
      <p className="device-note">
        These choices are kept on this device only. The Sync button always works, whatever you choose here.
      </p>
    </>
  )
}
