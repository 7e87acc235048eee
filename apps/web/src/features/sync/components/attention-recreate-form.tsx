import { RecordForm } from '../../../components/record-form.tsx'
import { spec } from '../../../lib/db.ts'
import { formValuesOf, recordFieldsOf } from '../../../lib/form-values.ts'
import { attention } from './attention-store.ts'

export interface AttentionRecreateFormProps {
  /** The id the contacts still point at; the company itself is no longer on this phone. */
  parentId: number
  onDone: (name: string) => void
  onCancel: () => void
}

/**
 * The company is gone from the server and from this phone, so its details are unknown here: the user types them,
 * and the new company takes every contact that pointed at the old one.
 */
export function AttentionRecreateForm({ parentId, onDone, onCancel }: AttentionRecreateFormProps) {
  return (
    <RecordForm
      entity={spec.parent}
      initialValues={formValuesOf(spec.parent)}
      submitLabel="Re-create company"
      onSave={async (values) => {
        const created = await attention.recreateMissingParent(parentId, recordFieldsOf(values))
        onDone(String(created.name ?? ''))
      }}
      onCancel={onCancel}
      testId="company-form"
    />
  )
}
