// The only door to the Rust side. Every command goes through `call`, which turns whatever the
// shell rejects with into a CommandError carrying the core's {code, field, message, errors}.
import { invoke } from '@tauri-apps/api/core'
import type { AddKeyOutcome } from '../bindings/AddKeyOutcome'
import type { AppInfo } from '../bindings/AppInfo'
import type { CountyPage } from '../bindings/CountyPage'
import type { CountyQuery } from '../bindings/CountyQuery'
import type { Drive } from '../bindings/Drive'
import type { Enrolled } from '../bindings/Enrolled'
import type { EnrollmentFile } from '../bindings/EnrollmentFile'
import type { EnrollmentPreview } from '../bindings/EnrollmentPreview'
import type { ExportMode } from '../bindings/ExportMode'
import type { ExportResult } from '../bindings/ExportResult'
import type { ImportReport } from '../bindings/ImportReport'
import type { ReceiptFile } from '../bindings/ReceiptFile'
import type { ReceiptOutcome } from '../bindings/ReceiptOutcome'
import type { StationStatus } from '../bindings/StationStatus'
import type { SyncFileEntry } from '../bindings/SyncFileEntry'
import type { SyncStatus } from '../bindings/SyncStatus'
import type { Written } from '../bindings/Written'
import type { AuditEntry } from '../bindings/AuditEntry'
import type { CodeLists } from '../bindings/CodeLists'
import type { Dashboard } from '../bindings/Dashboard'
import type { IpcError } from '../bindings/IpcError'
import type { ListQuery } from '../bindings/ListQuery'
import type { NewOffice } from '../bindings/NewOffice'
import type { Office } from '../bindings/Office'
import type { Page } from '../bindings/Page'
import type { PrintPreview } from '../bindings/PrintPreview'
import type { PrintProfile } from '../bindings/PrintProfile'
import type { PrintRequest } from '../bindings/PrintRequest'
import type { RegisterKind } from '../bindings/RegisterKind'
import type { Saved } from '../bindings/Saved'
import type { SavedPdf } from '../bindings/SavedPdf'
import type { SearchHit } from '../bindings/SearchHit'
import type { Targets } from '../bindings/Targets'
import type { Assessment } from '../bindings/Assessment'
import type { ViewEntry } from '../bindings/ViewEntry'
import type { BackupInfo } from '../bindings/BackupInfo'
import type { BackupListing } from '../bindings/BackupListing'
import type { CheckReport } from '../bindings/CheckReport'
import type { StartupStatus } from '../bindings/StartupStatus'
import type { VaultStatus } from '../bindings/VaultStatus'
import type { StationSetup } from '../bindings/StationSetup'
import type { Encrypted } from '../bindings/Encrypted'
import type { RecoveryFile } from '../bindings/RecoveryFile'
import type { RecoveryAnswer } from '../bindings/RecoveryAnswer'

export type RecordJson = Record<string, unknown>

export class CommandError extends Error {
  constructor(public readonly detail: IpcError) {
    super(detail.message)
  }
}

/** Anything thrown by invoke, as an IpcError (the shell always sends one; be safe anyway). */
export function toIpcError(e: unknown): IpcError {
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
    const err = e as Partial<IpcError>
    return {
      code: err.code!,
      field: err.field ?? '',
      message: err.message ?? '',
      errors: err.errors ?? [{ code: err.code!, field: err.field ?? '', message: err.message ?? '' }],
    }
  }
  const message = e instanceof Error ? e.message : String(e)
  return { code: 'database', field: '', message, errors: [{ code: 'database', field: '', message }] }
}

/** Told when the shell refuses a command because the app is locked (idle lock): the lock
 *  screen shows, whichever screen asked. Set by state.ts. */
export const lockListener: { onLocked: (() => void) | null } = { onLocked: null }

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args)
  } catch (e) {
    const detail = toIpcError(e)
    if (detail.code === 'locked') lockListener.onLocked?.()
    throw new CommandError(detail)
  }
}

export const api = {
  // Encryption at rest and the idle lock (issue 7). vault_status always answers: it says which
  // first screen to show (setup, unlock, encrypt) before any database is open.
  vaultStatus: () => call<VaultStatus>('vault_status'),
  /** First start, office: the office and its passphrase (typed twice on the screen). */
  vaultSetup: (office: NewOffice, passphrase: string) => call<Office>('vault_setup', { office, passphrase }),
  /** First start, station: its name and passphrase; answers the station's 恢复码 (shown once). */
  vaultSetupStation: (name: string, passphrase: string) => call<StationSetup>('vault_setup_station', { name, passphrase }),
  vaultUnlock: (passphrase: string) => call<VaultStatus>('vault_unlock', { passphrase }),
  /** An older plain database: encrypted under a new passphrase. */
  vaultEncrypt: (passphrase: string) => call<Encrypted>('vault_encrypt', { passphrase }),
  passphraseChange: (old: string, next: string) => call<null>('passphrase_change', { old, new: next }),
  lockNow: () => call<boolean>('lock_now'),
  /** Keyboard or mouse activity (at most every half minute); false: the idle time ran out. */
  touch: () => call<boolean>('vault_touch'),
  idleLockSet: (minutes: number) => call<number>('idle_lock_set', { minutes }),
  recoveryFiles: (dir: string) => call<RecoveryFile[]>('recovery_files', { dir }),
  /** 忘记口令: writes the request for the station into `dir`; answers its path. */
  recoveryRequestWrite: (dir: string) => call<string>('recovery_request_write', { dir }),
  vaultRecover: (response: string, code: string, newPassphrase: string) =>
    call<VaultStatus>('vault_recover', { response, code, newPassphrase }),
  stationResetWithCode: (code: string, newPassphrase: string) =>
    call<VaultStatus>('station_reset_with_code', { code, newPassphrase }),
  /** Station: answers an office's recovery request (the response goes beside it). */
  stationRecoveryAnswer: (request: string) => call<RecoveryAnswer>('station_recovery_answer', { request }),
  appInfo: () => call<AppInfo>('app_info'),
  /** 用演示数据体验: makes the demo's own database (first time) and restarts into it. */
  demoEnter: () => call<null>('demo_enter'),
  /** Back to the real office (restarts). */
  demoLeave: () => call<null>('demo_leave'),
  officeSetup: (office: NewOffice) => call<Office>('office_setup', { office }),
  officeUpdate: (office: NewOffice) => call<Office>('office_update', { office }),
  targetsGet: () => call<Targets>('targets_get'),
  targetsSet: (targets: Targets) => call<Targets>('targets_set', { targets }),
  dashboard: (month?: string) => call<Dashboard>('dashboard', { month: month ?? null }),
  /** 考评: `2026-Q4`, `2026-H2`, `2026` (null: this quarter). */
  assessment: (period: string | null) => call<Assessment>('assessment', { period }),
  /** Who looked at 重点对象/关注对象, newest first. */
  viewLog: (limit?: number) => call<ViewEntry[]>('view_log', { limit: limit ?? null }),
  codeLists: () => call<CodeLists>('code_lists_get'),
  add: (register: RegisterKind, record: RecordJson) => call<Saved>('record_add', { register, record }),
  update: (register: RegisterKind, id: string, patch: RecordJson) =>
    call<Saved>('record_update', { register, id, patch }),
  void: (register: RegisterKind, id: string, reason: string) => call<Saved>('record_void', { register, id, reason }),
  get: (register: RegisterKind, id: string) => call<RecordJson>('record_get', { register, id }),
  list: (register: RegisterKind, query: ListQuery) => call<Page>('record_list', { register, query }),
  history: (register: RegisterKind, id: string) => call<AuditEntry[]>('record_history', { register, id }),
  search: (text: string, limit = 50, includeVoided = false) =>
    call<SearchHit[]>('search', { text, limit, includeVoided }),
  // USB sync, office side
  drives: () => call<Drive[]>('drives_list'),
  syncFiles: (dir: string) => call<SyncFileEntry[]>('sync_files', { dir }),
  syncStatus: () => call<SyncStatus>('sync_status'),
  enrollmentPreview: (path: string) => call<EnrollmentPreview>('enrollment_preview', { path }),
  enroll: (path: string) => call<Enrolled>('sync_enroll', { path }),
  exportBundle: (dir: string, mode: ExportMode) => call<ExportResult>('sync_export', { dir, mode }),
  receiptImport: (path: string) => call<ReceiptOutcome>('receipt_import', { path }),
  // USB sync, station mode
  stationEnroll: (code: string, name: string, dir: string) =>
    call<Written<EnrollmentFile>>('station_enroll', { code, name, dir }),
  stationAddKey: (path: string) => call<AddKeyOutcome>('station_add_key', { path }),
  stationImport: (paths: string[], dryRun: boolean) => call<ImportReport>('station_import', { paths, dryRun }),
  stationStatus: () => call<StationStatus>('station_status'),
  stationReceipt: (code: string, dir: string) => call<Written<ReceiptFile>>('station_receipt', { code, dir }),
  countyRecords: (query: CountyQuery) => call<CountyPage>('county_records', { query }),
  countyRecord: (id: string) => call<RecordJson>('county_record', { id }),
  printPreview: (request: PrintRequest) => call<PrintPreview>('print_preview', { request }),
  printSave: (request: PrintRequest, folder?: string) => call<SavedPdf>('print_save', { request, folder: folder ?? null }),
  printSend: (request: PrintRequest) => call<SavedPdf>('print_send', { request }),
  printProfileGet: () => call<PrintProfile>('print_profile_get'),
  printProfileSet: (profile: PrintProfile) => call<PrintProfile>('print_profile_set', { profile }),
  officerPhotoGet: () => call<number[] | null>('officer_photo_get'),
  officerPhotoSet: (photo: number[] | null) => call<null>('officer_photo_set', { photo }),
  // Backups, checks and recovery (issue 7). startup_status always answers, even when the
  // database is damaged and nothing else does.
  startupStatus: () => call<StartupStatus>('startup_status'),
  /** Into the rotated backups beside the database (null) or into `folder` (a USB stick). */
  backupNow: (folder: string | null) => call<BackupInfo>('backup_now', { folder }),
  backupsList: () => call<BackupListing[]>('backups_list'),
  dataCheck: () => call<CheckReport>('data_check'),
  /** Verifies `file` and restarts the app to restore it; returns only when refused. */
  restoreBackup: (file: string) => call<BackupInfo>('restore_backup', { file }),
  /** Recovery mode: restores the newest good backup and restarts. */
  recoveryRestore: () => call<BackupInfo>('recovery_restore'),
}
