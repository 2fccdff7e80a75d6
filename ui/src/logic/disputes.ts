// 纠纷调处: the status workflow as the form offers it, and the small sums the dispute form needs.
// The core (crates/cunjing-core/src/domain/dispute.rs) is the authority and checks every save;
// this mirrors `DisputeStatus::next()` and `needs_outcome()` so the form offers only moves the
// core will accept. Pure functions, unit-tested.
import type { DisputeStatus } from '../bindings/DisputeStatus'

export const DISPUTE_STATUSES: readonly DisputeStatus[] = ['accepted', 'mediating', 'resolved', 'failed', 'referred', 'withdrawn', 'closed']

/** The statuses a dispute may move to from `from` (mirror of `DisputeStatus::next()`). */
export function nextStatuses(from: DisputeStatus): DisputeStatus[] {
  switch (from) {
    case 'accepted':
      // 就地化解: an accepted dispute may be settled without passing through `mediating`.
      return ['mediating', 'resolved', 'failed', 'referred', 'withdrawn']
    case 'mediating':
      return ['resolved', 'failed', 'referred', 'withdrawn']
    case 'resolved':
    case 'failed':
    case 'referred':
    case 'withdrawn':
      return ['closed']
    case 'closed':
      return []
  }
}

/** What the status picker offers when editing: the stored status first, then the allowed moves. */
export function statusChoices(current: string | null | undefined): DisputeStatus[] {
  if (!isDisputeStatus(current)) return ['accepted']
  return [current, ...nextStatuses(current)]
}

export function isDisputeStatus(s: unknown): s is DisputeStatus {
  return typeof s === 'string' && (DISPUTE_STATUSES as readonly string[]).includes(s)
}

/** Statuses that need an outcome note (调处结果说明), as `DisputeStatus::needs_outcome()`. */
export function needsOutcome(status: string | null | undefined): boolean {
  return status === 'resolved' || status === 'failed' || status === 'referred'
}

/** Follow-ups (回访) belong to a successful mediation and its closing. */
export function showsFollowups(status: string | null | undefined): boolean {
  return status === 'resolved' || status === 'closed'
}

export type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'

/** How a status is coloured in the list: open work stands out, finished work is grey. */
export function statusTag(status: string | null | undefined): { type: TagType; effect: 'light' | 'dark' | 'plain' } {
  switch (status) {
    case 'accepted':
      return { type: 'primary', effect: 'light' }
    case 'mediating':
      return { type: 'warning', effect: 'light' }
    case 'resolved':
      return { type: 'success', effect: 'light' }
    case 'failed':
      return { type: 'danger', effect: 'light' }
    case 'referred':
      return { type: 'primary', effect: 'plain' }
    case 'withdrawn':
      return { type: 'info', effect: 'light' }
    case 'closed':
      return { type: 'info', effect: 'dark' }
    default:
      return { type: 'info', effect: 'plain' }
  }
}

/** The parties' names, as the list shows them (`张三、李四`). */
export function partyNames(parties: unknown, sep = '、'): string {
  if (!Array.isArray(parties)) return ''
  return parties
    .map((p) => (p && typeof p === 'object' ? String((p as Record<string, unknown>).name ?? '').trim() : ''))
    .filter((n) => n !== '')
    .join(sep)
}

const filled = (v: unknown) => v !== null && v !== undefined && v !== false && !(typeof v === 'string' && v.trim() === '')

/** True when none of `keys` holds anything (an empty string, null and false count as nothing). */
export function isBlankRow(row: Record<string, unknown>, keys: readonly string[]): boolean {
  return !keys.some((k) => filled(row[k]))
}

/**
 * Rows the officer added but left empty, dropped before saving, so a stray click on 添加 does not
 * bring back "required" errors. `keys` are the fields that count as content (a defaulted date or
 * role does not). At least `keep` rows stay, so errors about a required minimum still land on
 * rows the form shows. Returns a new array; the indices of the rows kept are what the core sees.
 */
export function dropBlankRows<T extends Record<string, unknown>>(rows: T[], keys: readonly string[], keep = 0): T[] {
  const out: T[] = []
  let blanksKept = 0
  const nonBlank = rows.filter((r) => !isBlankRow(r, keys)).length
  for (const row of rows) {
    if (!isBlankRow(row, keys)) out.push(row)
    else if (nonBlank + blanksKept < keep) {
      out.push(row)
      blanksKept++
    }
  }
  return out
}
