// The import screen's logic, without Vue: the column mapping the user corrected (kept per
// register for the next import of a sheet with the same headings), the refused rows as lines
// to show, and the summary.
import type { TableColumn } from '../bindings/TableColumn'
import type { TableImportReport } from '../bindings/TableImportReport'
import type { TableMapping } from '../bindings/TableMapping'

/** The user's choices only (headings whose field they picked or left out). */
export function mappingFrom(columns: TableColumn[]): TableMapping {
  const out: Record<string, string | null> = {}
  for (const c of columns) {
    if (!c.automatic && c.heading.trim()) out[c.heading.trim()] = c.target
  }
  return { columns: out }
}

/** The mapping with one column changed: `target` null leaves the column out. */
export function withChoice(mapping: TableMapping, heading: string, target: string | null): TableMapping {
  return { columns: { ...mapping.columns, [heading.trim()]: target } }
}

/** Of a saved mapping, the headings this sheet has (choices for other sheets stay saved). */
export function forHeadings(saved: TableMapping | null, headings: string[]): TableMapping | null {
  if (!saved) return null
  const keep = Object.entries(saved.columns).filter(([h]) => headings.some((x) => x.trim() === h))
  return keep.length ? { columns: Object.fromEntries(keep) } : null
}

/** Merges this sheet's choices into the saved ones. */
export function merged(saved: TableMapping | null, now: TableMapping): TableMapping {
  return { columns: { ...(saved?.columns ?? {}), ...now.columns } }
}

interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

const key = (register: string) => `cunjing.tables.mapping.${register}`

export function loadMapping(storage: KeyValueStore, register: string): TableMapping | null {
  try {
    const text = storage.getItem(key(register))
    const parsed = text ? (JSON.parse(text) as TableMapping) : null
    return parsed && typeof parsed.columns === 'object' ? parsed : null
  } catch {
    return null
  }
}

export function saveMapping(storage: KeyValueStore, register: string, mapping: TableMapping) {
  storage.setItem(key(register), JSON.stringify(mapping))
}

/** One line per problem of each refused row: row number, column, message. */
export interface ProblemLine {
  row: number
  column: string
  message: string
  code: string
}

export function refusedLines(report: TableImportReport): ProblemLine[] {
  return report.rows
    .filter((r) => r.outcome === 'refused')
    .flatMap((r) => r.problems.map((p) => ({ row: r.row, column: p.column ?? '', message: p.message, code: p.code })))
}
