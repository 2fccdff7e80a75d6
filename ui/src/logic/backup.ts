// Pure helpers of the backup, check and recovery screens: when a backup was made, the check
// report as one line per part, and where the replaced database is kept after a restore.
import type { CheckReport } from '../bindings/CheckReport'
import { timestampZh } from './dates'

/**
 * When a backup was made, as people read it. The core writes `2026-11-28T10:00:00+08:00` for a
 * backup it has just made and `2026-11-28T10:00:00` for one read back from its file name; a
 * backup whose name is not ours has no time (empty).
 */
export function madeAtText(madeAt: string | null | undefined, lang: 'zh' | 'en' = 'zh'): string {
  if (!madeAt) return ''
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(madeAt)
  if (!m) return madeAt
  return lang === 'en' ? `${m[1]} ${m[2]}` : timestampZh(madeAt)
}

/** The folder a file lies in (`/a/b/office.db` → `/a/b`; Windows paths too). */
export function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i > 0 ? path.slice(0, i) : path
}

/** The file's own name (`/a/b/office.db` → `office.db`). */
export function fileName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return path.slice(i + 1)
}

export type CheckPart = 'integrity' | 'audit' | 'records' | 'viewLog' | 'backups'

/** One part of the check: sound or not, and the figures its sentence needs. */
export interface CheckLine {
  part: CheckPart
  ok: boolean
  /** Message key under `backup.check.<part>.` and its parameters. */
  key: string
  params: Record<string, string | number>
}

/**
 * The report, part by part, in the order the core checks them. Each line says what was checked
 * and how it went; the core's own `problems` (Chinese sentences) are shown as they are besides.
 */
export function checkLines(r: CheckReport, lang: 'zh' | 'en' = 'zh'): CheckLine[] {
  const lines: CheckLine[] = []
  const integrityOk = r.integrity === 'ok'
  lines.push({ part: 'integrity', ok: integrityOk, key: integrityOk ? 'ok' : 'bad', params: { what: r.integrity } })
  if (r.audit_break) {
    lines.push({ part: 'audit', ok: false, key: 'bad', params: { n: r.audit_break.entry_id, reason: r.audit_break.reason } })
  } else {
    lines.push({ part: 'audit', ok: true, key: 'ok', params: { n: r.audit_entries ?? 0 } })
  }
  // The core lists at most 50; its problem line gives the full count.
  const mismatches = r.record_mismatches.length
  lines.push({
    part: 'records', ok: mismatches === 0, key: mismatches === 0 ? 'ok' : 'bad',
    params: { n: r.records_checked, bad: mismatches >= 50 ? `${mismatches}+` : mismatches },
  })
  if (r.view_log_break) {
    lines.push({ part: 'viewLog', ok: false, key: 'bad', params: { n: r.view_log_break.entry_id, reason: r.view_log_break.reason } })
  } else {
    lines.push({ part: 'viewLog', ok: true, key: 'ok', params: { n: r.view_log_entries ?? 0 } })
  }
  if (!r.newest_backup) {
    lines.push({ part: 'backups', ok: false, key: 'none', params: { dir: r.backup_dir } })
  } else {
    const days = r.newest_backup_age_days ?? 0
    lines.push({
      part: 'backups', ok: days < 2, key: days < 2 ? 'ok' : 'old',
      params: { n: r.backups, at: madeAtText(r.newest_backup.made_at, lang), days },
    })
  }
  return lines
}
