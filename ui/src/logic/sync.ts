// Pure helpers of the sync screens (office export and station import): sizes, totals of an
// import report, and which files on the stick matter for which step.
import type { BundleReport } from '../bindings/BundleReport'
import type { ImportReport } from '../bindings/ImportReport'
import type { SyncFileEntry } from '../bindings/SyncFileEntry'
import type { SyncFileKind } from '../bindings/SyncFileKind'

/** 141708 → "138 KB", for people (1024-based, as Windows Explorer shows). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`
}

export function filesOfKind(files: SyncFileEntry[], kind: SyncFileKind): SyncFileEntry[] {
  return files.filter((f) => f.kind === kind)
}

export interface ReportTotals {
  bundles: number
  imported: number
  already: number
  refused: number
  new: number
  updated: number
  voided: number
  unchanged: number
}

/** Counts over an import report: bundles by outcome and records by change. */
export function reportTotals(report: ImportReport): ReportTotals {
  const t: ReportTotals = { bundles: report.bundles.length, imported: 0, already: 0, refused: 0, new: 0, updated: 0, voided: 0, unchanged: 0 }
  for (const b of report.bundles) {
    if (b.status === 'imported' || b.status === 'would_import') t.imported++
    else if (b.status === 'already_imported') t.already++
    else t.refused++
    for (const c of b.changes) {
      t.new += c.new
      t.updated += c.updated
      t.voided += c.voided
      t.unchanged += c.unchanged
    }
  }
  return t
}

/** "演示警务室（DEMO-01）第 3 号", or the file name when the bundle could not be read. */
export function bundleLabel(b: BundleReport, seqWord: (n: number) => string): string {
  if (b.office_code && b.seq !== null) {
    const who = b.office_name ? `${b.office_name}（${b.office_code}）` : b.office_code
    return `${who} ${seqWord(b.seq)}`
  }
  return b.file.split(/[\\/]/).pop() ?? b.file
}

/** The last path element, for showing where a file went without the whole path. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path
}
