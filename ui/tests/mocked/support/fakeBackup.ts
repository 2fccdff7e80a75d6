// The backup part of the fake backend (issue 7): the rotated backups beside the database, a
// backup to a stick, the data check, restore requests and the start-up status. Shapes are those
// of src-tauri/src/backup_commands.rs and crates/cunjing-core/src/backup.rs and check.rs; the
// real rules (VACUUM INTO, verification, the restore at start-up) have their Rust tests.
import type { BackupInfo } from '../../../src/bindings/BackupInfo'
import type { BackupListing } from '../../../src/bindings/BackupListing'
import type { CheckReport } from '../../../src/bindings/CheckReport'
import type { StartupStatus } from '../../../src/bindings/StartupStatus'

type Json = Record<string, unknown>

export const DB_PATH = '/home/jing/.local/share/cunjing/office.db'
export const BACKUP_DIR = '/home/jing/.local/share/cunjing/backups'

/** Commands that answer even in recovery mode (the database damaged). */
export const RECOVERY_COMMANDS = new Set(['startup_status', 'recovery_restore'])
const COMMANDS = new Set(['backup_now', 'backups_list', 'data_check', 'restore_backup', 'startup_status', 'recovery_restore'])

/** `2026-11-28T10:00:00` → `20261128T100000`, as the core names its files. */
function compact(at: string): string {
  return at.slice(0, 19).replace(/[-:]/g, '')
}

export function listing(madeAt: string, bytes = 286_720, code = 'CYH-01'): BackupListing {
  return { path: `${BACKUP_DIR}/office-${code}-${compact(madeAt)}.db`, made_at: madeAt, bytes }
}

export class FakeBackup {
  /** The rotated backups, newest first (as backups_list answers). */
  backups: BackupListing[] = [listing('2026-11-28T18:30:05'), listing('2026-11-27T18:02:41', 280_576), listing('2026-11-26T09:15:00', 274_432)]
  /** What startup_status answers; the default is a normal start. */
  startup: StartupStatus = { damaged: null, newest_good_backup: null, restored_from: null, restore_refused: null, database_path: DB_PATH }
  /** What the next data_check answers. */
  report: CheckReport = okReport(this.backups)
  /** Made at this time by the next backup_now (the office's clock, with its offset). */
  clock = '2026-11-29T09:41:07+08:00'
  /** Restore requests (the backup file), in order; the real shell would restart after each. */
  restoreRequests: string[] = []

  constructor(readonly records: () => number) {}

  handles(cmd: string): boolean {
    return COMMANDS.has(cmd)
  }

  /** Starts in recovery mode: the database is damaged; `backup` is the newest good one (or none). */
  damage(backup: BackupInfo | null = goodBackup()) {
    this.startup = {
      ...this.startup,
      damaged: `数据库文件 ${DB_PATH} 已损坏（database disk image is malformed）`,
      newest_good_backup: backup,
    }
  }

  get recovery(): boolean {
    return this.startup.damaged !== null
  }

  handle(cmd: string, args: Json): unknown {
    switch (cmd) {
      case 'startup_status':
        return this.startup
      case 'backups_list':
        return this.backups
      case 'backup_now': {
        const folder = args.folder === null || args.folder === undefined ? null : String(args.folder)
        const info = this.made(folder)
        if (folder === null) this.backups = [listing(this.clock.slice(0, 19), info.bytes), ...this.backups].slice(0, 14)
        return info
      }
      case 'data_check':
        return this.report
      case 'restore_backup': {
        const file = String(args.file)
        const found = this.backups.find((b) => b.path === file)
        if (!found) throw { code: 'backup_refused', field: '', message: `不是可用的备份：${file}`, errors: [{ code: 'backup_refused', field: '', message: `不是可用的备份：${file}` }] }
        this.restoreRequests.push(file)
        return { path: file, made_at: '', bytes: found.bytes, records: this.records(), schema_version: 9 }
      }
      case 'recovery_restore': {
        const backup = this.startup.newest_good_backup
        if (!backup) {
          const message = '没有可用的备份；请联系派出所，用汇总站的数据重建'
          throw { code: 'backup_refused', field: '', message, errors: [{ code: 'backup_refused', field: '', message }] }
        }
        this.restoreRequests.push(backup.path)
        return backup
      }
      default:
        throw new Error(`not a backup command: ${cmd}`)
    }
  }

  private made(folder: string | null): BackupInfo {
    const dir = folder ?? BACKUP_DIR
    return { path: `${dir}/office-CYH-01-${compact(this.clock)}.db`, made_at: this.clock, bytes: 290_816, records: this.records(), schema_version: 9 }
  }
}

export function goodBackup(): BackupInfo {
  return { path: `${BACKUP_DIR}/office-CYH-01-20261128T183005.db`, made_at: '2026-11-28T18:30:05', bytes: 286_720, records: 1342, schema_version: 9 }
}

/** A report of a sound office with a fresh backup. */
export function okReport(backups: BackupListing[]): CheckReport {
  return {
    integrity: 'ok', audit_entries: 1388, audit_break: null, records_checked: 1342, record_mismatches: [],
    view_log_entries: 41, view_log_break: null, backup_dir: BACKUP_DIR, backups: backups.length,
    newest_backup: goodBackup(), newest_backup_age_days: 0, encrypted: true, plain_backups: 0, ok: true, problems: [],
  }
}

/** A report with a record edited outside the product and a stale backup. */
export function badReport(backups: BackupListing[]): CheckReport {
  return {
    ...okReport(backups),
    record_mismatches: [{ record_id: '0193a7c2-5b1e-7c3a-9d4f-2e8b6a1c0f37', register: 'visits', reason: '内容与最后一次留痕不符（在程序之外被改动）' }],
    newest_backup_age_days: 3, ok: false,
    problems: ['1 条记录与修改留痕不符（可能在程序之外被改动）', '最近一次备份是 3 天前，请及时备份'],
  }
}
