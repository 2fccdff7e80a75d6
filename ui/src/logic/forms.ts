// Turning form state into the JSON the core reads, and the core's errors back into per-field
// messages. Pure functions, unit-tested.
import type { IpcError } from '../bindings/IpcError'
import type { RecordJson } from '../api/ipc'

const isBlank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0)

/** For a new record: blank fields are left out (the core treats absent as "not filled in"). */
export function forAdd(model: RecordJson): RecordJson {
  const out: RecordJson = {}
  for (const [k, v] of Object.entries(model)) {
    if (isBlank(v)) continue
    out[k] = Array.isArray(v) ? v.map((item) => (item && typeof item === 'object' ? forAdd(item as RecordJson) : item)) : v
  }
  return out
}

/** For an update: every field is sent and a blank one as null, so clearing a field clears it. */
export function forUpdate(model: RecordJson): RecordJson {
  const out: RecordJson = {}
  for (const [k, v] of Object.entries(model)) {
    if (Array.isArray(v)) out[k] = v.map((item) => (item && typeof item === 'object' ? forAdd(item as RecordJson) : item))
    else out[k] = isBlank(v) ? null : v
  }
  return out
}

/** Messages by field path (`date`, `parties[1].name`); problems with no field go under ''. */
export function errorsByField(err: IpcError | null): Record<string, string> {
  const out: Record<string, string> = {}
  if (!err) return out
  for (const e of err.errors.length ? err.errors : [err]) {
    out[e.field] = out[e.field] ? `${out[e.field]}；${e.message}` : e.message
  }
  return out
}

/** Messages whose field is not shown on the form (so they are not lost). */
export function unplacedErrors(err: IpcError | null, shownFields: string[]): string[] {
  if (!err) return []
  return (err.errors.length ? err.errors : [err])
    .filter((e) => !shownFields.some((f) => e.field === f || e.field.startsWith(`${f}[`) || e.field.startsWith(`${f}.`)))
    .map((e) => e.message)
}
