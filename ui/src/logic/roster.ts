// Small pure helpers for the roster (households, residents) and patrol screens. The core stays
// the authority on every rule; these only shape what the officer sees while typing.
import type { RecordJson } from '../api/ipc'

/**
 * An ID number as a list shows it: the first 6 and the last 4 characters, the 8 between
 * masked (`110105********002X`). The full number is shown only in the record's detail.
 */
export function maskIdNumber(id: string | null | undefined): string {
  const s = (id ?? '').trim()
  if (!s) return ''
  if (s.length <= 10) return '*'.repeat(s.length)
  return `${s.slice(0, 6)}********${s.slice(-4)}`
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'

function realDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

export interface IdReading {
  /** `YYYY-MM-DD`. */
  birthDate: string
  sex: 'male' | 'female'
}

/**
 * What a well-formed ID number says about sex and birth date (18 characters with a correct
 * check character, or the legacy 15-digit form), for a preview on the form; `null` when the
 * number is incomplete or wrong (the core then says what is wrong when saving).
 */
export function readIdNumber(raw: string | null | undefined): IdReading | null {
  const s = (raw ?? '').trim().toUpperCase()
  let birth: string
  let seq: string
  if (/^\d{17}[\dX]$/.test(s)) {
    const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0)
    if (CHECK_CHARS[sum % 11] !== s[17]) return null
    birth = s.slice(6, 14)
    seq = s.slice(14, 17)
  } else if (/^\d{15}$/.test(s)) {
    birth = `19${s.slice(6, 12)}`
    seq = s.slice(12, 15)
  } else {
    return null
  }
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))]
  if (y < 1900 || !realDate(y, m, d)) return null
  return {
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    sex: Number(seq[2]) % 2 === 1 ? 'male' : 'female',
  }
}

/**
 * The headcount a patrol should have at least: the members plus the leader (when the leader is
 * named and not also listed among the members), never less than 1.
 */
export function minimumHeadcount(leader: string | null | undefined, members: string[]): number {
  const names = new Set(members.map((m) => m.trim()).filter((m) => m !== ''))
  const lead = (leader ?? '').trim()
  const withLeader = lead !== '' && !names.has(lead) ? names.size + 1 : names.size
  return Math.max(1, withLeader)
}

/** Raises a headcount to the minimum when it is lower (or empty); never lowers it. */
export function bumpHeadcount(headcount: number | null | undefined, leader: string | null | undefined, members: string[]): number {
  const min = minimumHeadcount(leader, members)
  return headcount === null || headcount === undefined || headcount < min ? min : headcount
}

/**
 * A typed time as `HH:mm`, or `null` when it cannot be read. Accepts what officers type with or
 * without a Chinese input method: `20:00`, `2000`, `830`, `8`, `20.30`, `２０：００`, `20点30分`.
 */
export function normalizeTime(raw: string | null | undefined): string | null {
  let s = (raw ?? '').trim()
  if (!s) return null
  // Full-width digits and colon (IME) to ASCII; 点/时/. as the separator; 分 and spaces dropped.
  s = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
  s = s.replace(/[：:.。点时]/g, ':').replace(/[分\s]/g, '')
  let h: number
  let m: number
  let match: RegExpExecArray | null
  // A one-digit minute (`20:3`) is ambiguous (20:03 or 20:30?), so it is not read.
  if ((match = /^(\d{1,2}):(\d{2})?$/.exec(s))) {
    h = Number(match[1])
    m = match[2] === undefined ? 0 : Number(match[2])
  } else if ((match = /^(\d{1,2})$/.exec(s))) {
    h = Number(match[1])
    m = 0
  } else if ((match = /^(\d{1,2})(\d{2})$/.exec(s))) {
    h = Number(match[1])
    m = Number(match[2])
  } else {
    return null
  }
  if (h > 23 || m > 59) return null
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`
}

/** A time moved by `minutes` (wrapping round midnight); `fallback` when there is none yet. */
export function stepTime(value: string | null | undefined, minutes: number, fallback: string): string {
  const t = normalizeTime(value)
  if (!t) return fallback
  const total = (((Number(t.slice(0, 2)) * 60 + Number(t.slice(3)) + minutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

/**
 * `20:00–02:00（次日）`: the patrol's times, marking an end on the next day. `nextDay` is the
 * marker in the current language.
 */
export function patrolTimes(start: unknown, end: unknown, crossesMidnight: unknown, nextDay: string): string {
  const s = typeof start === 'string' ? start : ''
  const e = typeof end === 'string' ? end : ''
  if (!s && !e) return ''
  return `${s}–${e}${crossesMidnight ? nextDay : ''}`
}

/**
 * Whether the end time needs the 跨夜 box ticked (or unticked), as a hint before saving:
 * 'ok', 'tick' (end not after start but the box is clear) or 'untick' (box ticked but the end
 * is after the start). Blank times are 'ok' (the core asks for them).
 */
export function midnightHint(start: string | null | undefined, end: string | null | undefined, crossesMidnight: boolean): 'ok' | 'tick' | 'untick' {
  if (!start || !end) return 'ok'
  // "HH:mm" strings compare in time order.
  if (!crossesMidnight && end <= start) return 'tick'
  if (crossesMidnight && end >= start) return 'untick'
  return 'ok'
}

/**
 * The distinct non-blank values of one text field across records, most frequent first (ties
 * in first-seen order): villages already on the roster, names on recent patrols.
 */
export function distinctValues(records: RecordJson[], key: string): string[] {
  const counts = new Map<string, number>()
  for (const r of records) {
    const v = r[key]
    const values = Array.isArray(v) ? v : [v]
    for (const item of values) {
      if (typeof item !== 'string' || item.trim() === '') continue
      const s = item.trim()
      counts.set(s, (counts.get(s) ?? 0) + 1)
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s)
}

/** Suggestions containing what was typed (all of them for an empty query). */
export function suggest(values: string[], query: string | null | undefined): string[] {
  const q = (query ?? '').trim()
  return q ? values.filter((v) => v.includes(q)) : values
}

/** Common answers for 与户主关系 (stored as typed, in Chinese, like the paper register). */
export const RELATIONS_TO_HEAD = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '祖父母', '租住人员', '其他']

/** Common foreign and cross-border travel documents (证件种类). */
export const FOREIGN_DOC_TYPES = ['护照', '外国人永久居留身份证', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '港澳台居民居住证']

/**
 * Which conditional resident fields the form shows: the stay dates for floating residents, the
 * foreign-document fields for foreigners, and either group whenever it already holds a value
 * (so nothing is saved that the officer cannot see).
 */
export function residentSections(model: RecordJson): { stay: boolean; foreign: boolean } {
  const filled = (k: string) => model[k] !== null && model[k] !== undefined && String(model[k]).trim() !== ''
  return {
    stay: model.category === 'floating' || filled('stay_from') || filled('stay_to'),
    foreign: model.category === 'foreign' || filled('foreign_nationality') || filled('foreign_doc_type') || filled('foreign_doc_no'),
  }
}

/** A household's one-line name, as the roster writes it: `翠月湖村3组12号 户主 王芳`. */
export function householdTitle(h: RecordJson, headWord: string): string {
  const place = `${h.village ?? ''}${h.group ?? ''}${h.house_no ?? ''}`
  return h.head_name ? `${place} ${headWord} ${h.head_name}` : place
}
