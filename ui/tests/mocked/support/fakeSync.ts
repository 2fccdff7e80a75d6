// The USB sync part of the fake backend: a stick (a folder of sync files), the office's sync
// state and a station. Shapes are those of src-tauri/src/sync_commands.rs and the core's
// sync/station types; the real rules (signatures, merging) have their Rust tests.
import type { Drive } from '../../../src/bindings/Drive'
import type { ImportReport } from '../../../src/bindings/ImportReport'
import type { StationInfo } from '../../../src/bindings/StationInfo'
import type { StationStatus } from '../../../src/bindings/StationStatus'
import type { SyncFileEntry } from '../../../src/bindings/SyncFileEntry'
import type { SyncStatus } from '../../../src/bindings/SyncStatus'

type Json = Record<string, unknown>

export const STICK = '/media/jing/KINGSTON'
export const STATION_FP = '6EE7-9C02-5448-C348-79C0'
export const OFFICE_FP = '798D-92C2-A185-465C-05FD'

const COMMANDS = new Set([
  'drives_list', 'sync_files', 'sync_status', 'enrollment_preview', 'sync_enroll', 'sync_export', 'receipt_import',
  'station_init', 'station_enroll', 'station_add_key', 'station_import', 'station_status', 'station_receipt',
  'county_records', 'county_record',
])

function file(name: string, bytes = 400): SyncFileEntry {
  const ext = name.split('.').pop()
  const kind = ext === 'cjb' ? 'bundle' : ext === 'cje' ? 'enrollment' : ext === 'cjk' ? 'office_key' : 'receipt'
  return { name, path: `${STICK}/${name}`, kind, bytes, modified: null }
}

export class FakeSync {
  drives: Drive[] = []
  /** Files per folder. */
  folders: Record<string, SyncFileEntry[]> = {}
  status: SyncStatus = {
    enrolled: false, station_name: null, station_fingerprint: null, office_key_fingerprint: null, last_export: null,
    pending_records: 12, unconfirmed_records: 12, confirmed_change_seq: 0, last_receipt: null,
  }
  station: StationInfo | null = null
  stationStatus: StationStatus = { station: null, offices: [] }
  private seq = 0

  constructor(readonly officeCode: () => string) {}

  /** A stick is plugged in with these files on it. */
  plugIn(...names: string[]) {
    this.drives = [{ name: 'KINGSTON', path: STICK, free_bytes: 3_400_000_000, total_bytes: 8_000_000_000 }]
    this.folders[STICK] = names.map((n) => file(n))
  }

  handles(cmd: string): boolean {
    return COMMANDS.has(cmd)
  }

  handle(cmd: string, args: Json): unknown {
    switch (cmd) {
      case 'drives_list':
        return this.drives
      case 'sync_files':
        return this.folders[String(args.dir)] ?? []
      case 'sync_status':
        return this.status
      case 'enrollment_preview':
        return { station_name: '青山镇派出所', station_fingerprint: STATION_FP, office_code: this.officeCode(), office_name: '翠月湖村警务室', issued_at: '2026-11-20T09:00:00+08:00', resume_after_seq: null }
      case 'sync_enroll': {
        const keyFile = `${this.officeCode()}.cjk`
        this.status = { ...this.status, enrolled: true, station_name: '青山镇派出所', station_fingerprint: STATION_FP, office_key_fingerprint: OFFICE_FP }
        this.folders[STICK] = [...(this.folders[STICK] ?? []), file(keyFile)]
        return {
          outcome: { station_name: '青山镇派出所', station_fingerprint: STATION_FP, office_code: this.officeCode(), office_key_fingerprint: OFFICE_FP, office_key_file_name: keyFile, replaced_key: false, unchanged: false },
          key_file_path: `${STICK}/${keyFile}`,
        }
      }
      case 'sync_export': {
        const mode = String(args.mode)
        const count = mode === 'changes' ? this.status.pending_records : this.status.unconfirmed_records
        if (count === 0) return { status: 'nothing_to_export', message: `自上次导出（第 ${this.seq} 号数据包）以来没有新的变更，未生成数据包` }
        this.seq++
        const name = `${this.officeCode()}-${this.seq}.cjb`
        const path = `${String(args.dir)}/${name}`
        this.folders[String(args.dir)] = [...(this.folders[String(args.dir)] ?? []), file(name, 141708)]
        this.status = {
          ...this.status, pending_records: 0,
          last_export: { seq: this.seq, export_kind: mode, created_at: '2026-11-29T10:00:00+08:00', record_count: count, file_path: path, bytes: 141708 },
        }
        return { status: 'written', seq: this.seq, path, export_kind: mode, record_count: count, registers: [['visits', count - 2], ['households', 2]], bytes: 141708, from_change_seq: 0, to_change_seq: 40, bundle_hash: 'ab'.repeat(32) }
      }
      case 'receipt_import': {
        const newly = this.status.unconfirmed_records
        this.status = {
          ...this.status, unconfirmed_records: 0, confirmed_change_seq: 40,
          last_receipt: { imported_at: '2026-11-29T11:00:00+08:00', created_at: '2026-11-29T10:30:00+08:00', received_through_seq: this.seq, confirmed_change_seq: 40, missing: [], rejected: [] },
        }
        return { station_name: '青山镇派出所', created_at: '2026-11-29T10:30:00+08:00', received_through_seq: this.seq, confirmed_change_seq: 40, newly_confirmed: newly, still_unconfirmed: 0, missing: [], rejected: [], already_imported: false }
      }
      case 'station_init':
        this.station = { name: String(args.name), fingerprint: STATION_FP, created_at: '2026-11-29T09:00:00+08:00' }
        this.stationStatus = { station: this.station, offices: [] }
        return this.station
      case 'station_status':
        return this.stationStatus
      case 'station_import':
        return this.importReport(args.paths as string[], Boolean(args.dryRun))
      case 'station_add_key':
        return { office_code: 'CYH-01', office_name: '翠月湖村警务室', key_fingerprint: OFFICE_FP, replaced_fingerprint: null, unchanged: false }
      case 'station_enroll': {
        const name = `${String(args.code)}.cje`
        return { what: { office_code: args.code, office_name: args.name, file_name: name, station_fingerprint: STATION_FP, reenrollment: false }, path: `${String(args.dir)}/${name}` }
      }
      case 'station_receipt': {
        const name = `${String(args.code)}-receipt-20261129103000.cjr`
        return { what: { office_code: args.code, file_name: name, received_through_seq: 1, confirmed_change_seq: 40, missing: [], rejected: 0 }, path: `${String(args.dir)}/${name}` }
      }
      case 'county_records':
        return { total: 1, items: [{ id: 'a', office_code: 'CYH-01', office_name: '翠月湖村警务室', register: 'visits', record_date: '2026-11-20', title: '2026年11月20日 王芳户 入户走访', version: 1, voided: false, updated_at: '2026-11-20T10:00:00+08:00' }] }
      default:
        return null
    }
  }

  private importReport(paths: string[], dryRun: boolean): ImportReport {
    const bundles = paths.map((p, i) => {
      const name = p.split('/').pop() ?? p
      if (name.startsWith('broken')) {
        return { file: p, office_code: null, office_name: null, seq: null, status: 'refused' as const, code: 'sync_file_refused' as const, message: '文件不完整（可能拷贝中断或 U 盘被拔出）：签名（truncated）', record_count: 0, changes: [] }
      }
      return {
        file: p, office_code: 'CYH-01', office_name: '翠月湖村警务室', seq: i + 1,
        status: dryRun ? ('would_import' as const) : ('imported' as const), code: null, message: dryRun ? '将导入（试导入，未写入）' : '已导入', record_count: 12,
        changes: [{ register: 'visits', new: 10, updated: 1, voided: 1, unchanged: 0 }],
      }
    })
    if (!dryRun) {
      this.stationStatus = {
        station: this.station,
        offices: [{ code: 'CYH-01', name: '翠月湖村警务室', enrolled_at: '2026-11-20T09:00:00+08:00', key_fingerprint: OFFICE_FP, awaiting_new_key: false, bundles: bundles.length, last_seq: 3, last_import_at: '2026-11-29T10:00:00+08:00', received_through_seq: 1, confirmed_change_seq: 40, missing: [2], rejected: 0, records: [{ register: 'visits', live: 10, voided: 1 }] }],
      }
    }
    return { dry_run: dryRun, bundles, gaps: dryRun ? [] : [{ office_code: 'CYH-01', office_name: '翠月湖村警务室', missing: [2] }] }
  }
}
