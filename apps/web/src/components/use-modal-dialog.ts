import { useEffect, useRef } from 'react'

/**
 * Opens a native <dialog> as a modal while the component is mounted (the browser traps focus and handles Escape)
 * and gives focus back to what had it when it unmounts. `initialFocus` selects the element to focus inside, when
 * the dialog's own choice (the first focusable or an autoFocus) is not the right one.
 */
export function useModalDialog(initialFocus?: string) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (dialog && !dialog.open) dialog.showModal()
    if (initialFocus) dialog?.querySelector<HTMLElement>(initialFocus)?.focus()
    return () => {
      if (dialog?.open) dialog.close()
      // The opener may be gone (e.g. the deleted record's row); then focus stays where the page puts it.
      if (opener?.isConnected) opener.focus()
    }
    // Once per mount: the dialog opens with the component and closes with it.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a later initialFocus must not close and reopen it
  }, [])
  return ref
}
