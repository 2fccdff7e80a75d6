// The encryption part of the fake backend (issue 7): which first screen (setup, unlock, encrypt),
// the passphrase, the idle lock's gate and the recovery through the station. Shapes are those of
// src-tauri/src/vault_commands.rs; the real key handling has its Rust tests.
import type { VaultStatus } from '../../../src/bindings/VaultStatus'
import type { VaultStep } from '../../../src/bindings/VaultStep'
import type { RecoveryFile } from '../../../src/bindings/RecoveryFile'
import { STICK } from './fakeSync'

type Json = Record<string, unknown>
interface IpcErrorJson { code: string; field: string; message: string; errors: { code: string; field: string; message: string }[] }
const err = (code: string, field: string, message: string): IpcErrorJson => ({ code, field, message, errors: [{ code, field, message }] })

export const PASSPHRASE = '翠月湖村警务室2026'
export const RESPONSE_CODE = 'K7QD-3MPX-9TWF'
export const STATION_CODE = 'H4NB-8RZC-2LVE-6YQA'

const COMMANDS = new Set([
  'vault_status', 'vault_setup', 'vault_setup_station', 'vault_unlock', 'vault_encrypt', 'passphrase_change', 'lock_now',
  'vault_touch', 'idle_lock_set', 'recovery_files', 'recovery_request_write', 'vault_recover', 'station_reset_with_code',
  'station_recovery_answer',
])
/** Commands the shell answers before the database is open or while it is locked (no Unlocked). */
export const UNGATED = new Set([
  ...COMMANDS, 'code_lists_get', 'drives_list', 'sync_files', 'enrollment_preview', 'demo_enter', 'demo_leave', 'startup_status', 'recovery_restore',
])
const GATED_VAULT = new Set(['idle_lock_set', 'passphrase_change', 'station_recovery_answer'])

export interface VaultHost {
  isDemo(): boolean
  hasOffice(): boolean
  hasStation(): boolean
  setupOffice(office: Json): unknown
  setupStation(name: string): unknown
}

export class FakeVault {
  /** Overrides the step found on disk: 'unlock' (an encrypted database) or 'encrypt' (an older plain one). */
  step: VaultStep | null = null
  desk: 'office' | 'station' = 'office'
  passphrase = PASSPHRASE
  locked = false
  idleMinutes = 10
  /** The office was enrolled: its key file holds the station's wrap. */
  stationWrap = false
  /** Recovery files per folder. */
  files: Record<string, RecoveryFile[]> = {}

  constructor(private readonly host: VaultHost) {}

  handles(cmd: string): boolean {
    return COMMANDS.has(cmd)
  }

  currentStep(): VaultStep {
    if (this.host.isDemo()) return 'open'
    if (this.step) return this.step
    return this.host.hasOffice() || this.host.hasStation() ? 'open' : 'setup'
  }

  status(): VaultStatus {
    const step = this.currentStep()
    const lockable = step === 'open' && !this.host.isDemo()
    return {
      step, desk: this.desk, protection: step === 'setup' ? 'missing' : step === 'encrypt' ? 'plain' : this.host.isDemo() ? 'plain' : 'encrypted',
      demo: this.host.isDemo(), locked: lockable && this.locked, lockable, idle_lock_minutes: this.host.isDemo() ? 0 : this.idleMinutes,
      station_wrap: this.stationWrap, database_path: `/home/jing/.local/share/cunjing/${this.desk === 'station' ? 'station' : this.host.isDemo() ? 'demo' : 'office'}.db`,
    }
  }

  /** Throws the shell's refusal when a data command comes while locked or before unlock. */
  gate(cmd: string) {
    if (UNGATED.has(cmd) && !GATED_VAULT.has(cmd)) return
    if (this.currentStep() !== 'open') throw err('locked', '', '数据库尚未打开：请先输入口令（或完成首次设置）')
    if (this.locked && !this.host.isDemo()) throw err('locked', '', '已锁定：请输入口令解锁')
  }

  addFile(dir: string, name: string, kind: 'request' | 'response') {
    this.files[dir] = [...(this.files[dir] ?? []).filter((f) => f.name !== name), { name, path: `${dir}/${name}`, kind }]
  }

  private weak(p: unknown, field: string) {
    if ([...String(p ?? '')].length < 8) throw err('weak_passphrase', field, '口令至少要 8 个字符')
  }

  private wrong(p: unknown, field: string) {
    if (p !== this.passphrase) throw err('wrong_passphrase', field, '口令不对')
  }

  handle(cmd: string, args: Json): unknown {
    switch (cmd) {
      case 'vault_status':
        return this.status()
      case 'vault_setup': {
        if (this.currentStep() !== 'setup') throw err('passphrase_required', '', '数据库已经建立')
        this.weak(args.passphrase, 'passphrase')
        const office = this.host.setupOffice(args.office as Json)
        this.passphrase = String(args.passphrase)
        this.step = null
        return office
      }
      case 'vault_setup_station': {
        if (this.currentStep() !== 'setup') throw err('passphrase_required', '', '数据库已经建立')
        if (!String(args.name ?? '').trim()) throw err('required', 'station_name', '请填写汇总站名称')
        this.weak(args.passphrase, 'passphrase')
        const station = this.host.setupStation(String(args.name))
        this.passphrase = String(args.passphrase)
        this.desk = 'station'
        this.step = null
        return { station, recovery_code: STATION_CODE }
      }
      case 'vault_unlock':
        this.wrong(args.passphrase, '/home/jing/.local/share/cunjing/office.db.key')
        this.step = null
        this.locked = false
        return this.status()
      case 'vault_encrypt':
        if (this.currentStep() !== 'encrypt') throw err('passphrase_required', '', '数据库不是未加密的')
        this.weak(args.passphrase, 'passphrase')
        this.passphrase = String(args.passphrase)
        this.step = null
        return { removed_backups: 2 }
      case 'passphrase_change':
        this.wrong(args.old, 'old_passphrase')
        this.weak(args.new, 'new_passphrase')
        this.passphrase = String(args.new)
        return null
      case 'lock_now':
        if (!this.host.isDemo()) this.locked = true
        return this.locked
      case 'vault_touch':
        return !this.locked
      case 'idle_lock_set': {
        const m = Number(args.minutes)
        if (!Number.isInteger(m) || m < 0 || m > 240) throw err('out_of_range', 'idle_lock_minutes', '自动锁定时间应在 0 到 240 分钟之间（0 表示不自动锁定）')
        return (this.idleMinutes = m)
      }
      case 'recovery_files':
        return this.files[String(args.dir)] ?? []
      case 'recovery_request_write': {
        if (!this.stationWrap) throw err('key_file_refused', '', '本警务室还没有在汇总站登记，无法经汇总站找回口令')
        this.addFile(String(args.dir), 'CYH-01-recovery.cjq', 'request')
        return `${String(args.dir)}/CYH-01-recovery.cjq`
      }
      case 'vault_recover':
        if (String(args.code).trim() !== RESPONSE_CODE) throw err('wrong_passphrase', 'code', '恢复码不对')
        this.weak(args.newPassphrase, 'new_passphrase')
        this.passphrase = String(args.newPassphrase)
        this.step = null
        return this.status()
      case 'station_reset_with_code':
        if (String(args.code).trim() !== STATION_CODE) throw err('wrong_passphrase', 'code', '恢复码不对')
        this.weak(args.newPassphrase, 'new_passphrase')
        this.passphrase = String(args.newPassphrase)
        this.step = null
        return this.status()
      case 'station_recovery_answer': {
        const request = String(args.request)
        const dir = request.slice(0, request.lastIndexOf('/')) || STICK
        this.addFile(dir, 'CYH-01-recovery.cja', 'response')
        return { label: 'CYH-01 翠月湖村警务室', code: RESPONSE_CODE, response_path: `${dir}/CYH-01-recovery.cja` }
      }
      default:
        throw err('database', '', `fake vault: unknown command ${cmd}`)
    }
  }
}
