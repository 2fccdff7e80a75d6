// What every register form shares: open for a new or an existing record, send it through the
// core, and show the core's messages under the fields they concern.
import { computed, ref } from 'vue'
import { ElMessage } from 'element-plus'
import type { IpcError } from '../bindings/IpcError'
import type { RegisterKind } from '../bindings/RegisterKind'
import type { Saved } from '../bindings/Saved'
import { api, CommandError, toIpcError, type RecordJson } from '../api/ipc'
import { errorsByField, forAdd, forUpdate, unplacedErrors } from '../logic/forms'

/**
 * `prepare` turns the model into the record to send (the schema-driven form converts 元 to 分 and
 * blanks fields that do not apply); it may throw a CommandError to show a problem it found.
 */
export function useRecordForm<M extends RecordJson>(
  register: RegisterKind, blank: () => M, shownFields: string[] | (() => string[]), t: (k: string) => string,
  prepare: (model: M) => RecordJson = (m) => m,
) {
  const open = ref(false)
  const editingId = ref<string | null>(null)
  const model = ref<M>(blank())
  const error = ref<IpcError | null>(null)
  const saving = ref(false)
  const errors = computed(() => errorsByField(error.value))
  const otherErrors = computed(() => unplacedErrors(error.value, typeof shownFields === 'function' ? shownFields() : shownFields))

  function startNew(preset: Partial<M> = {}) {
    editingId.value = null
    model.value = { ...blank(), ...preset }
    error.value = null
    open.value = true
  }

  /** Opens an existing record: the form gets its fields (envelope left out). */
  function startEdit(record: RecordJson) {
    editingId.value = String(record.id)
    const fresh = blank()
    const m: RecordJson = {}
    // A deep copy: editing nested rows (parties, steps) must not change the caller's record. The
    // record may be a reactive proxy, which structuredClone refuses; records are plain JSON.
    // A field left blank stays blank: the new-record defaults (today, the officer) are not used.
    for (const key of Object.keys(fresh)) {
      const value = key in record ? record[key] : fresh[key]
      m[key] = value === null || value === undefined ? (typeof fresh[key] === 'string' ? '' : null) : JSON.parse(JSON.stringify(value))
    }
    model.value = m as M
    error.value = null
    open.value = true
  }

  async function save(): Promise<Saved | null> {
    saving.value = true
    error.value = null
    try {
      const record = prepare(model.value)
      const saved = editingId.value
        ? await api.update(register, editingId.value, forUpdate(record))
        : await api.add(register, forAdd(record))
      ElMessage.success(saved.changed ? (saved.record_no ? `${t('common.saved')} ${saved.record_no}` : t('common.saved')) : t('common.noChange'))
      for (const w of saved.warnings) ElMessage.warning(w.message)
      open.value = false
      return saved
    } catch (e) {
      error.value = e instanceof CommandError ? e.detail : toIpcError(e)
      return null
    } finally {
      saving.value = false
    }
  }

  return { open, editingId, model, error, errors, otherErrors, saving, startNew, startEdit, save }
}
