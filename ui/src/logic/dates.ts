// Dates as people read them (2026年3月5日, no zero padding) and the few date sums the views need.

export function dateZh(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  if (!m) return iso
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`
}

/** `2026-11-28T10:00:00+08:00` → `2026年11月28日 10:00`. */
export function timestampZh(ts: string | null | undefined): string {
  if (!ts) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(ts)
  return m ? `${dateZh(m[1])} ${m[2]}` : ts
}

export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7)
}

/** `2026-11` → `2026年11月`. */
export function monthZh(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  return m ? `${Number(m[1])}年${Number(m[2])}月` : month
}
