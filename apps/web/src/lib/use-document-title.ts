import { useEffect } from 'react'

const APP = 'Companies & Contacts'

/** Sets the tab / task-switcher title for the current screen. */
export function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    document.title = title ? `${title} · ${APP}` : APP
  }, [title])
}
