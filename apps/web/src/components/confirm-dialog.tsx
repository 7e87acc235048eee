import { useId, type ReactNode } from 'react'
import { useModalDialog } from './use-modal-dialog.ts'

export interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  onConfirm: () => void
  onCancel: () => void
  testId?: string
}

/**
 * A modal confirmation on the native <dialog>: it traps focus and closes on Escape. It exists in the DOM only
 * while open (so a page with many possible confirmations holds one at most), and gives focus back to what had it.
 * Cancel gets the initial focus, so a stray Enter never deletes anything.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return props.open ? <OpenDialog {...props} /> : null
}

function OpenDialog({ title, children, confirmLabel, onConfirm, onCancel, testId }: ConfirmDialogProps) {
  const ref = useModalDialog()
  const id = useId()

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid={testId}
      // Escape closes the dialog natively; treat it as Cancel.
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <h2 id={`${id}-title`} className="dialog__title">
        {title}
      </h2>
      <div id={`${id}-body`} className="dialog__body">
        {children}
      </div>
      <div className="form-actions">
        <button type="button" className="button" autoFocus onClick={onCancel} data-testid="confirm-cancel">
          Cancel
        </button>
        <button type="button" className="button button--danger" onClick={onConfirm} data-testid="confirm-ok">
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
