// An in-memory stand-in for the Rust side, answering the same IPC commands with the same JSON
// shapes (see src-tauri/src/commands.rs and crates/cunjing-core). It keeps records per register,
// writes history entries, and lets a test make the next call of a command fail with the core's
// error so the form's handling of it can be checked. It checks only what the tests need: the
// real rules live in the core and have their own tests.
import type { Assessment } from '../../../src/bindings/Assessment'
import type { AuditEntry } from '../../../src/bindings/AuditEntry'
import type { CodeLists } from '../../../src/bindings/CodeLists'
import type { Dashboard } from '../../../src/bindings/Dashboard'
import type { FieldError } from '../../../src/bindings/FieldError'
import type { ListQuery } from '../../../src/bindings/ListQuery'
import type { NewOffice } from '../../../src/bindings/NewOffice'
import type { Office } from '../../../src/bindings/Office'
import type { Page } from '../../../src/bindings/Page'
import type { PrintProfile } from '../../../src/bindings/PrintProfile'
import type { RegisterKind } from '../../../src/bindings/RegisterKind'
import type { Saved } from '../../../src/bindings/Saved'
import type { SearchHit } from '../../../src/bindings/SearchHit'
import type { Targets } from '../../../src/bindings/Targets'
import type { ViewEntry } from '../../../src/bindings/ViewEntry'
import { FakeSync } from './fakeSync'
import { FakeBackup, RECOVERY_COMMANDS } from './fakeBackup'
import { FakeVault } from './fakeVault'

export type Json = Record<string, unknown>

/** The rejection every command sends: `{code, field, message, errors}` (src-tauri/src/ipc_error.rs). */
export interface IpcErrorJson {
  code: string
  field: string
  message: string
  errors: FieldError[]
}

/** One problem as the core reports it; `errors` repeats it, as the shell does. */
export function ipcError(code: string, field: string, message: string, more: { code: string; field: string; message: string }[] = []): IpcErrorJson {
  const errors = [{ code, field, message }, ...more] as FieldError[]
  return { code, field, message, errors }
}

export interface Call {
  cmd: string
  args: Json
}

const REGISTERS: RegisterKind[] = [
  'households', 'residents', 'disputes', 'patrols', 'visits',
  'teams', 'team_members', 'work_log', 'meetings', 'services', 'notices', 'intel', 'key_persons', 'surveys',
]
const DATE_FIELD: Record<RegisterKind, string | null> = {
  households: null, residents: null, disputes: 'accepted_on', patrols: 'date', visits: 'date',
  teams: 'founded_on', team_members: 'joined_on', work_log: 'date', meetings: 'date', services: 'date', notices: 'date',
  intel: 'date', key_persons: 'since', surveys: 'date',
}
/** Looks at these are written to the view log (重点对象/关注对象). */
const RESTRICTED: RegisterKind[] = ['key_persons']
/** Which fields search looks at, and what kind of match each one is. */
const SEARCHED: Record<string, SearchHit['matched']> = {
  head_name: 'name', name: 'name', leader: 'name', id_number: 'number', phone: 'number', record_no: 'number',
  village: 'place', address: 'place', location: 'place', route: 'place', summary: 'text', concerns: 'text',
}

/** Today in local time, as the core's `store.today()` gives it. */
/** The office of the app's demo database (cunjing_core::demo::demo_office). */
export const DEMO_OFFICE: Office = {
  code: 'DEMO-01', name: '演示警务室', officer: '张警官', police_number: '036001', officer_phone: '13807950001',
  station_name: '演示派出所', station_phone: '0795-4561110', created_at: '2026-11-29T09:00:00+08:00',
} as Office

export function localToday(): string {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export const DEFAULT_TARGETS: Targets = {
  households_visited_per_month: 30, key_person_visits_per_month: 1, village_days_per_week: 3,
  volunteer_patrols_per_month: 8, officer_patrols_per_month: 0, followup_due_days: 15,
  meetings_per_month: 1, good_deeds_per_week: 1, pairings: 1, certificates_per_month: 8, notices_per_month: 1, intel_per_quarter: 1,
}

export const OFFICE: Office = {
  code: 'CYH-01', name: '翠月湖村警务室', officer: '李建国', police_number: '012345', officer_phone: '13800001111',
  station_name: '青山镇派出所', station_phone: '0571-12345678', created_at: '2026-11-01T09:00:00+08:00',
}

export class FakeBackend {
  office: Office | null
  today = localToday()
  targets: Targets = { ...DEFAULT_TARGETS }
  records = Object.fromEntries(REGISTERS.map((r) => [r, [] as Json[]])) as Record<RegisterKind, Json[]>
  /** Looks at restricted records, newest last (view_log answers newest first). */
  views: ViewEntry[] = []
  /** What the next `assessment` answers (the period asked for is echoed in it). */
  assessmentResult: Assessment = sampleAssessment()
  audit: AuditEntry[] = []
  /** Every command the UI sent, in order, with its arguments as the shell would receive them. */
  calls: Call[] = []
  /** The demo's own database is open (用演示数据体验); `realOffice` is the one to go back to. */
  demo = false
  realOffice: Office | null = null
  /** The stick, the office's sync state and the station (sync commands). */
  sync = new FakeSync(() => this.office?.code ?? 'CYH-01')
  /** Backups, the data check and the start-up status; `backup.damage()` starts in recovery mode. */
  backup = new FakeBackup(() => Object.values(this.records).reduce((n, list) => n + list.length, 0))
  printProfile: PrintProfile = {
    officer_role: '驻村民警', office_address: '', office_phone: '', village_days: '每周不少于 3 天（周一、三、五）',
    service_hours: '驻村日 8:30—17:30', commitments: '有警必接、有难必帮、有险必救、有求必应。', safety_tips: '防诈骗：不转账到「安全账户」。',
  }
  photo: number[] | null = null
  /** The passphrase, the first screen (setup / unlock / encrypt) and the idle lock. */
  vault = new FakeVault({
    isDemo: () => this.demo,
    hasOffice: () => this.office !== null,
    hasStation: () => this.sync.station !== null,
    setupOffice: (office) => this.saveOffice('office_setup', office as unknown as NewOffice),
    setupStation: (name) => this.sync.handle('station_init', { name }),
  })
  private failures = new Map<string, IpcErrorJson[]>()
  private seq = 0

  constructor(readonly codeLists: CodeLists, office: Office | null = OFFICE) {
    this.office = office ? { ...office } : null
  }

  /** The next call of `cmd` is refused with `error` (once). */
  failNext(cmd: string, error: IpcErrorJson) {
    this.failures.set(cmd, [...(this.failures.get(cmd) ?? []), error])
  }

  callsOf(cmd: string): Json[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.args)
  }

  /** Puts a record in as if it had been added through the core; returns its flat JSON. */
  seed(register: RegisterKind, fields: Json): Json {
    return this.write(register, null, fields, 'create', null)
  }

  /** A few records in every register, with codes that must never reach the screen raw. */
  seedVillage() {
    const wang = this.seed('households', {
      village: '翠月湖村', group: '三组', house_no: '12号', address_detail: null, head_name: '王芳',
      phone: '138 1234 5678', tags: ['registered', 'left_behind'], notes: null,
    })
    const zhao = this.seed('households', {
      village: '翠月湖村', group: '一组', house_no: '3号', address_detail: null, head_name: '赵大山',
      phone: null, tags: ['key_person'], notes: '独居老人',
    })
    this.seed('residents', {
      household_id: wang.id, name: '王芳', former_name: null, sex: 'female', ethnicity: '汉族', birth_date: '1949-12-31',
      id_number: '11010519491231002X', category: 'registered', phone: null, relation_to_head: '户主', occupation: '务农',
      stay_from: null, stay_to: null, foreign_nationality: null, foreign_doc_type: null, foreign_doc_no: null, notes: null,
    })
    this.seed('visits', {
      date: this.today, officer: '李建国', household_id: zhao.id, method: 'in_home', purposes: ['info_check', 'aid'],
      companions: null, people_talked: 1, concerns: '村口路灯坏了三个月', hazards: null, response: null, satisfaction: 'satisfied',
    })
    this.seed('patrols', {
      date: this.today, start_time: '22:00', end_time: '23:30', crosses_midnight: false, kind: 'officer_led', mode: 'foot',
      route: '村委会—小学—水库', leader: '李建国', members: ['刘强', '陈明'], headcount: 3, findings: null,
      checked_count: null, handling: null, arrests: null, recorder: '李建国',
    })
    this.seed('disputes', {
      status: 'mediating', accepted_on: this.today, source: 'party_request', dispute_type: 'homestead',
      location: '翠月湖村三组', people_count: 2, summary: '两家因宅基地边界发生争执', risk_level: 'yellow',
      escalation_flag: false, mediators: '李建国、村调委会刘主任',
      parties: [{ name: '张三', role: 'applicant' }, { name: '王芳', role: 'respondent', phone: '13900001111' }],
      steps: [], followups: [], outcome_note: null, referred_to: null, agreement_form: null, performance: null, closed_on: null,
    })
    return { wang, zhao }
  }

  /** A record or two in each further ledger (issue 8), pointing at the village's households. */
  seedLedgers(households: { wang: Json; zhao: Json }) {
    const day = (n: number) => {
      const d = new Date(`${this.today}T12:00:00`)
      d.setDate(d.getDate() + n)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    }
    const team = this.seed('teams', { name: '翠月湖村打更队', kind: 'night_watch', village: '翠月湖村', leader: '刘强', phone: '13900002222', founded_on: '2025-03-01', notes: null })
    const liu = this.seed('team_members', { team_id: team.id, name: '刘强', sex: 'male', role: 'captain', phone: '13900002222', joined_on: '2025-03-01', status: 'active', left_on: null, trainings: [{ date: '2025-03-05', content: '巡逻安全与防范知识', trainer: '李建国' }] })
    this.seed('team_members', { team_id: team.id, name: '陈明', sex: 'male', role: 'member', phone: null, joined_on: '2025-03-01', status: 'active', left_on: null, trainings: [] })
    const log = this.seed('work_log', { date: day(-3), officer: '李建国', in_village: true, category: 'mediation', content: '调解三组宅基地纠纷，约定下周复查', result: '双方同意暂缓施工', follow_up_due: day(-1), follow_up_done: false, links: [] })
    this.seed('work_log', { date: this.today, officer: '李建国', in_village: true, category: 'publicity', content: '在村委会宣传防范电信诈骗', result: null, follow_up_due: day(3), follow_up_done: false, links: [] })
    this.seed('meetings', { date: this.today, village: '翠月湖村', host: '村支书张伟', attendees: ['张伟', '刘强'], attendee_count: 23, situation: '本月发生盗窃电动车案件 1 起，已破', problems: '村口路灯不亮', priorities: '加强夜间巡逻', recorder: '李建国' })
    this.seed('services', { date: this.today, kind: 'good_deed', officer: '李建国', beneficiary: '赵大山', household_id: households.zhao.id, content: '帮独居老人修好院门', money_fen: null, goods: null, visits: [], ended_on: null, certificate_action: null, certificate_kind: null, certificate_count: null, reason: null, receiver: null })
    this.seed('services', { date: '2026-09-01', kind: 'pairing', officer: '李建国', beneficiary: '王芳', household_id: households.wang.id, content: '留守老人，行动不便', money_fen: null, goods: null, visits: [{ date: '2026-10-08', content: '送米面油', money_fen: 20000, goods: '米 1 袋' }], ended_on: null, certificate_action: null, certificate_kind: null, certificate_count: null, reason: null, receiver: null })
    this.seed('notices', { date: this.today, title: '近期电信诈骗警情通报', channels: ['posting', 'wechat'], content: '近期本镇发生冒充客服诈骗 2 起。', audience: 300, issuer: '李建国' })
    this.seed('intel', { date: this.today, source: '村民反映', category: 'group_incident_sign', content: '三组部分村民因土地流转款拟集体上访', reported_to: '青山镇派出所', reported_on: this.today, defused: false, handling: null, officer: '李建国' })
    const key = this.seed('key_persons', { name: '孙某某', sex: 'male', id_number: null, household_id: null, address: '翠月湖村二组', phone: null, level: 'key', category: 'community_correction', reason: '社区矫正期间', responsible: '李建国', since: '2026-01-10', until: null, checks: [] })
    this.seed('surveys', { date: this.today, scope: '翠月湖村全村', method: 'questionnaire', sample_size: 40, satisfied: 30, basically: 8, unsatisfied: 2, opinions: '希望增加夜间巡逻', organiser: '李建国' })
    return { team, liu, log, key }
  }

  /** The entry point the page's `__cunjingIpc` binding calls. Throws an IpcErrorJson on refusal. */
  handle(cmd: string, args: Json): unknown {
    this.calls.push({ cmd, args })
    const failure = this.failures.get(cmd)?.shift()
    if (failure) throw failure
    if (this.vault.handles(cmd)) {
      this.vault.gate(cmd)
      return this.vault.handle(cmd, args)
    }
    // Locked, or not yet unlocked: the shell refuses every data command (state::Unlocked).
    this.vault.gate(cmd)
    // Recovery mode: the shell opened no database, so only the start-up commands answer.
    if (this.backup.recovery && !RECOVERY_COMMANDS.has(cmd)) throw ipcError('database_damaged', '', '数据库文件已损坏，无法打开')
    switch (cmd) {
      case 'app_info':
        return { version: '0.1.0', database_path: `/home/jing/.local/share/cunjing/${this.demo ? 'demo' : 'office'}.db`, office: this.office, station: this.sync.station, station_database_path: '/home/jing/.local/share/cunjing/station.db', today: this.today, demo: this.demo }
      // 用演示数据体验: the real shell makes demo.db and restarts into it (a test reloads the page).
      case 'demo_enter':
        if (!this.demo) [this.demo, this.realOffice, this.office] = [true, this.office, DEMO_OFFICE]
        return null
      case 'demo_leave':
        if (this.demo) [this.demo, this.office] = [false, this.realOffice]
        return null
      case 'code_lists_get':
        return this.codeLists
      case 'office_setup':
      case 'office_update':
        return this.saveOffice(cmd, args.office as NewOffice)
      case 'targets_get':
        return this.targets
      case 'targets_set':
        return (this.targets = { ...(args.targets as Targets) })
      case 'dashboard':
        return this.dashboard(String(args.month ?? this.today.slice(0, 7)))
      case 'record_add':
        return this.saved(this.write(this.register(args), null, args.record as Json, 'create', null))
      case 'record_update':
        return this.saved(this.write(this.register(args), this.find(args), args.patch as Json, 'update', null))
      case 'record_void': {
        const reason = String(args.reason ?? '').trim()
        if (!reason) throw ipcError('required', 'reason', '作废必须填写原因')
        const record = this.find(args)
        if (record.voided) throw ipcError('already_voided', '', '这条记录已经作废')
        return this.saved(this.write(this.register(args), record, { voided: true, void_reason: reason }, 'void', reason))
      }
      case 'record_get':
        this.noteView(this.register(args), String(args.id), 'show', {})
        return this.find(args)
      case 'record_list': {
        const page = this.list(this.register(args), args.query as ListQuery)
        this.noteView(this.register(args), null, 'list', { query: args.query as Json, shown: page.items.length })
        return page
      }
      case 'record_history':
        this.noteView(this.register(args), String(args.id), 'history', {})
        return this.audit.filter((e) => e.record_id === args.id)
      case 'assessment':
        return this.assessment(args.period === null || args.period === undefined ? null : String(args.period))
      case 'view_log':
        return [...this.views].reverse().slice(0, Number(args.limit ?? 200))
      case 'search':
        return this.search(String(args.text), Number(args.limit ?? 50), Boolean(args.includeVoided))
      case 'print_preview':
      case 'print_save':
      case 'print_send':
        return this.print(cmd, args.request as Json)
      case 'print_profile_get':
        return this.printProfile
      case 'print_profile_set':
        return (this.printProfile = { ...(args.profile as PrintProfile) })
      case 'officer_photo_get':
        return this.photo
      case 'officer_photo_set':
        this.photo = (args.photo as number[] | null) ?? null
        return null
      default:
        if (this.sync.handles(cmd)) return this.sync.handle(cmd, args)
        if (this.backup.handles(cmd)) return this.backup.handle(cmd, args)
        throw ipcError('database', '', `fake backend: unknown command ${cmd}`)
    }
  }

  private noteView(register: RegisterKind, recordId: string | null, action: string, detail: Json) {
    if (!RESTRICTED.includes(register)) return
    const n = this.views.length + 1
    this.views.push({ id: n, at: `${this.today}T10:${String(n % 60).padStart(2, '0')}:00+08:00`, actor: this.office?.officer ?? '', register, record_id: recordId, action, detail })
  }

  /** The assessment set in `assessmentResult`, for the period asked (this quarter when null). */
  private assessment(period: string | null): Assessment {
    const year = this.today.slice(0, 4)
    const q = Math.floor((Number(this.today.slice(5, 7)) - 1) / 3) + 1
    const code = period ?? `${year}-Q${q}`
    if (!/^\d{4}(-Q[1-4]|-H[12]|-\d{2})?$/.test(code)) throw ipcError('invalid_date', 'period', `期间应为 2026-Q4、2026-H2、2026 或 2026-11：${code}`)
    const qn = ['一', '二', '三', '四']
    const label = /-Q(\d)$/.test(code) ? `${code.slice(0, 4)}年第${qn[Number(code.slice(-1)) - 1]}季度` : /-H1$/.test(code) ? `${code.slice(0, 4)}年上半年` : /-H2$/.test(code) ? `${code.slice(0, 4)}年下半年` : `${code.slice(0, 4)}年`
    return { ...this.assessmentResult, period: code, label }
  }

  /** Printing: a one-page SVG "preview" naming the request, or where the PDF went. */
  private print(cmd: string, request: Json) {
    if (request.kind === 'report' && !/^\d{4}-(\d{2}|Q[1-4])$/.test(String(request.period))) {
      throw ipcError('invalid_date', 'period', `期间应为月份（2026-11）或季度（2026-Q4）：${String(request.period)}`)
    }
    const title = request.kind === 'ledger' ? `${this.office?.name} ${String(request.register)}` : `${this.office?.name} ${String(request.kind)}`
    const info = { title, file_name: `CYH-01-${String(request.kind)}.pdf`, pages: 3, bytes: 180_000 }
    if (cmd === 'print_preview') {
      const page = `<svg xmlns="http://www.w3.org/2000/svg" width="842" height="595"><rect width="842" height="595" fill="#fff"/><text x="40" y="60" font-size="24">${title}</text></svg>`
      return { info, pages: [page, page] }
    }
    return { info, path: `/home/jing/Documents/村警台账打印/${info.file_name}`, handed_to: cmd === 'print_send' ? 'opened' : 'saved' }
  }

  private register(args: Json): RegisterKind {
    const r = args.register as RegisterKind
    if (!REGISTERS.includes(r)) throw ipcError('unknown_register', 'register', `没有这个台账：${r}`)
    return r
  }

  private find(args: Json): Json {
    const found = this.records[this.register(args)].find((r) => r.id === args.id)
    if (!found) throw ipcError('record_not_found', '', '找不到这条记录')
    return found
  }

  private saveOffice(cmd: string, office: NewOffice): Office {
    if (cmd === 'office_setup' && this.office) throw ipcError('office_exists', '', '警务室已经建立')
    const missing = (['name', 'code', 'officer'] as const).filter((k) => !office[k]?.trim())
    if (missing.length) {
      const label = { name: '警务室名称', code: '警务室代码', officer: '责任民警' }
      const errs = missing.map((k) => ({ code: 'required', field: k, message: `「${label[k]}」为必填项` }))
      throw ipcError(errs[0].code, errs[0].field, errs[0].message, errs.slice(1))
    }
    this.office = { ...office, created_at: this.office?.created_at ?? `${this.today}T09:00:00+08:00` }
    return this.office
  }

  private write(register: RegisterKind, old: Json | null, input: Json, action: AuditEntry['action'], reason: string | null): Json {
    const seq = ++this.seq
    const at = `${this.today}T09:${String(seq % 60).padStart(2, '0')}:00+08:00`
    const actor = this.office?.officer ?? ''
    const before = old ? fieldsOf(old) : null
    const record: Json = old
      ? { ...old, ...input, version: Number(old.version) + 1, change_seq: seq, updated_at: at, updated_by: actor }
      : {
          ...input,
          id: crypto.randomUUID(), register, version: 1, change_seq: seq, office_code: this.office?.code ?? '',
          created_at: at, created_by: actor, updated_at: at, updated_by: actor, voided: false, void_reason: null,
        }
    if (!old) this.fillDerived(register, record)
    const after = fieldsOf(record)
    const differs = (k: string) => (before ? JSON.stringify(after[k] ?? null) !== JSON.stringify(before[k] ?? null) : after[k] !== null)
    const changed = action === 'void' ? ['voided'] : Object.keys(after).filter(differs)
    if (old) Object.assign(old, record)
    else this.records[register].push(record)
    this.audit.push({
      id: this.audit.length + 1, at, actor, action, register, record_id: String(record.id), version: Number(record.version),
      change_seq: seq, before, after, changed_fields: changed.sort(), reason, prev_hash: '0'.repeat(64), hash: seq.toString(16).padStart(64, '0'),
    } as AuditEntry)
    return old ?? record
  }

  /** What the core fills in itself: a visit's head and address from the roster, a dispute's number. */
  private fillDerived(register: RegisterKind, record: Json) {
    if (register === 'visits' && record.household_id) {
      const h = this.records.households.find((x) => x.id === record.household_id)
      if (h) Object.assign(record, { head_name: h.head_name, address: `${h.village}${h.group ?? ''}${h.house_no}` })
    }
    if (register === 'disputes') {
      const year = String(record.accepted_on ?? this.today).slice(0, 4)
      record.record_no = `${year}-纠-${String(this.records.disputes.length + 1).padStart(3, '0')}`
      record.status ??= 'accepted'
    }
    if (register === 'notices') {
      const year = String(record.date ?? this.today).slice(0, 4)
      record.record_no = `${year}-通-${String(this.records.notices.length + 1).padStart(3, '0')}`
    }
  }

  private saved(record: Json): Saved {
    return {
      id: String(record.id), register: record.register as RegisterKind, version: Number(record.version),
      change_seq: Number(record.change_seq), record_no: (record.record_no as string) ?? null, changed: true, warnings: [],
    }
  }

  title(register: RegisterKind, r: Json): string {
    const label = (list: keyof CodeLists, code: unknown) => this.codeLists[list].find((c) => c.code === code)?.zh ?? String(code)
    switch (register) {
      case 'households':
        return `${r.village}${r.group ?? ''}${r.house_no} 户主 ${r.head_name}`
      case 'residents':
        return `${r.name}（${label('sex', r.sex)}，${String(r.birth_date).slice(0, 4)}年生，${label('resident_category', r.category)}）`
      case 'disputes':
        return `${r.record_no} ${label('dispute_type', r.dispute_type)}纠纷（${label('dispute_status', r.status)}）${(r.parties as Json[]).map((p) => p.name).join('、')}`
      case 'patrols':
        return `${r.date} ${r.start_time}–${r.end_time} ${label('patrol_kind', r.kind)}·${label('patrol_mode', r.mode)}`
      case 'visits':
        return `${r.date} ${label('visit_method', r.method)} ${r.head_name ?? ''}（${(r.purposes as string[]).map((p) => label('visit_purpose', p)).join('、')}）`
      case 'teams':
        return `${r.name}（${label('team_kind', r.kind)}，${r.village}）`
      case 'team_members':
        return `${r.name}（${label('team_role', r.role)}，${label('member_status', r.status ?? 'active')}）`
      case 'work_log':
        return `${zhDate(r.date)} ${label('work_category', r.category)} ${String(r.content ?? '').slice(0, 24)}`
      case 'meetings':
        return `${r.date} ${r.village}会议（${r.attendee_count} 人）`
      case 'services':
        return `${r.date} ${label('service_kind', r.kind)} ${r.beneficiary} ${String(r.content ?? '').slice(0, 24)}`
      case 'notices':
        return `${r.record_no} ${r.title}`
      case 'intel':
        return `${r.date} ${label('intel_category', r.category)} ${String(r.content ?? '').slice(0, 24)}`
      case 'key_persons':
        return `${r.name}（${label('key_level', r.level)}·${label('key_category', r.category)}）`
      case 'surveys':
        return `${r.date} ${r.scope}（${r.sample_size} 人）`
    }
  }

  private list(register: RegisterKind, q: ListQuery): Page {
    const dateKey = DATE_FIELD[register]
    let rows = this.records[register].filter((r) => q.include_voided || !r.voided)
    if (dateKey && q.from) rows = rows.filter((r) => String(r[dateKey]) >= q.from!)
    if (dateKey && q.to) rows = rows.filter((r) => String(r[dateKey]) <= q.to!)
    if (q.household_id) rows = rows.filter((r) => r.household_id === q.household_id)
    if (q.title_contains) rows = rows.filter((r) => this.title(register, r).includes(q.title_contains!))
    const by = (key: (r: Json) => string, desc: boolean) => (a: Json, b: Json) => (desc ? -1 : 1) * key(a).localeCompare(key(b))
    const date = (r: Json) => String((dateKey && r[dateKey]) || r.created_at)
    const order = { date_desc: by(date, true), date_asc: by(date, false), updated_desc: by((r) => String(r.change_seq).padStart(9, '0'), true), title_asc: by((r) => this.title(register, r), false) }[q.sort]
    rows = [...rows].sort(order)
    return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit) }
  }

  private search(text: string, limit: number, includeVoided: boolean): SearchHit[] {
    const q = text.trim()
    const hits: SearchHit[] = []
    for (const register of REGISTERS) {
      for (const r of this.records[register]) {
        if (r.voided && !includeVoided) continue
        const parties = ((r.parties as Json[] | undefined) ?? []).map((p) => ['name', p.name] as const)
        const fields = [...Object.keys(SEARCHED).map((k) => [k, r[k]] as const), ...parties]
        const hit = fields.find(([, v]) => typeof v === 'string' && v.includes(q))
        if (hit) {
          const matched = SEARCHED[hit[0]]
          hits.push({ register, id: String(r.id), title: this.title(register, r), matched, matched_text: matched === 'text' ? String(hit[1]) : q, voided: Boolean(r.voided) })
        }
      }
    }
    return hits.slice(0, limit)
  }

  private dashboard(month: string): Dashboard {
    const inMonth = (r: Json, key: string) => !r.voided && String(r[key]).startsWith(month)
    const visits = this.records.visits.filter((v) => inMonth(v, 'date'))
    const patrols = this.records.patrols.filter((p) => inMonth(p, 'date'))
    const keyHouseholds = new Set(this.records.households.filter((h) => (h.tags as string[]).includes('key_person')).map((h) => h.id))
    const disputes = this.records.disputes.filter((d) => !d.voided)
    return {
      month, today: this.today, targets: this.targets,
      households_visited: new Set(visits.map((v) => v.household_id ?? v.address)).size,
      visits: visits.length,
      people_talked: visits.reduce((n, v) => n + Number(v.people_talked ?? 0), 0),
      key_person_visits: visits.filter((v) => keyHouseholds.has(v.household_id)).length,
      week_start: this.today, week_end: this.today,
      village_days_this_week: new Set([...visits, ...patrols].filter((r) => r.date === this.today).map((r) => r.date)).size,
      patrols: patrols.length,
      patrols_officer: patrols.filter((p) => p.kind !== 'volunteer').length,
      patrols_volunteer: patrols.filter((p) => p.kind === 'volunteer').length,
      disputes_accepted: disputes.filter((d) => inMonth(d, 'accepted_on')).length,
      disputes_resolved: disputes.filter((d) => d.status === 'resolved' && inMonth(d, 'closed_on')).length,
      disputes_open: disputes.filter((d) => d.status === 'accepted' || d.status === 'mediating').length,
      followups_due: [],
      ...this.ledgerFigures(month),
    }
  }

  /** The further ledgers' dashboard figures (issue 8), counted simply from the records. */
  private ledgerFigures(month: string) {
    const live = (r: RegisterKind) => this.records[r].filter((x) => !x.voided)
    const inMonth = (x: Json, key: string) => String(x[key] ?? '').startsWith(month)
    const m = Number(month.slice(5, 7))
    const quarterStart = `${month.slice(0, 4)}-${String(Math.floor((m - 1) / 3) * 3 + 1).padStart(2, '0')}-01`
    const services = live('services')
    const keyPersons = live('key_persons').filter((k) => !k.until)
    const due = live('work_log').filter((w) => w.follow_up_due && !w.follow_up_done)
    return {
      meetings: live('meetings').filter((x) => inMonth(x, 'date')).length,
      good_deeds_this_week: services.filter((s) => s.kind === 'good_deed' && s.date === this.today).length,
      pairings_active: services.filter((s) => s.kind === 'pairing' && !s.ended_on).length,
      certificates: services.filter((s) => s.kind === 'certificate' && inMonth(s, 'date')).reduce((n, s) => n + Number(s.certificate_count ?? 0), 0),
      notices: live('notices').filter((x) => inMonth(x, 'date')).length,
      quarter_start: quarterStart,
      intel_this_quarter: live('intel').filter((x) => String(x.date) >= quarterStart && String(x.date).slice(0, 7) <= month).length,
      key_persons_active: keyPersons.length,
      key_persons_unchecked: keyPersons.filter((k) => !((k.checks as Json[] | undefined) ?? []).some((c) => inMonth(c, 'date'))).length,
      work_followups_due: due.map((w) => ({
        entry_id: String(w.id), title: this.title('work_log', w), due_on: String(w.follow_up_due), overdue: String(w.follow_up_due) < this.today,
      })),
    }
  }
}

const META = new Set(['id', 'register', 'version', 'change_seq', 'office_code', 'created_at', 'created_by', 'updated_at', 'updated_by', 'voided', 'void_reason'])

/** The register's own fields, as history's before/after hold them. */
function fieldsOf(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !META.has(k)))
}

/** An assessment shaped like the core's (figures from a demo office's quarter, in progress). */
export function sampleAssessment(): Assessment {
  const item = (label: string, actual: number, target: number, unit: string) => ({ label, actual, target, unit })
  return {
    period: '2026-Q4', label: '2026年第四季度', from: '2026-10-01', to: '2026-12-31', as_of: '2026-11-29', complete: false,
    criteria: [
      { code: 'familiarity', name: '熟悉辖区程度', score: 100, basis: '走访户数完成率 100 分 × 3/4 + 重点对象走访完成率 100 分 × 1/4（完成率 = 实际 ÷ 目标，最高 100%）', items: [item('走访户数', 71, 59, '户'), item('重点对象走访', 3, 2, '次')] },
      { code: 'information', name: '信息收集情况', score: 50, basis: '情报信息完成率 100 分 × 1/2 + 警情社情通报完成率 0 分 × 1/2', items: [item('情报信息', 2, 1, '条'), item('警情社情通报', 0, 2, '期'), item('苗头化解', 1, 0, '起')] },
      { code: 'security', name: '辖区治安状况', score: 90, basis: '调解成功率 90%（调解成功 9 ÷ 办结 10；无办结按 100%）− 未化解群体性事件苗头 0 起 × 20，最低 0', items: [item('受理纠纷', 12, 0, '起'), item('调解成功', 9, 0, '起'), item('调解不成功', 1, 0, '起'), item('群体性事件苗头（未化解）', 0, 0, '起')] },
      { code: 'visibility', name: '见警率', score: 67, basis: '驻村天数完成率 100 分、群防群治巡逻完成率 100 分、村会议完成率 0 分的平均', items: [item('驻村天数', 30, 26, '天'), item('群防群治巡逻', 17, 16, '次'), item('村（社区）会议', 0, 2, '次')] },
      { code: 'satisfaction', name: '满意率', score: null, basis: '本期没有民意测评记录，不计分', items: [item('测评人数', 0, 0, '人'), item('满意及基本满意', 0, 0, '人')] },
    ],
    overall: 77, grade: '良好',
    figures: {
      from: '2026-10-01', to: '2026-11-29', households_visited: 71, visits: 75, people_talked: 120, key_person_visits: 3, village_days: 30,
      patrols: 31, patrols_volunteer: 17, disputes_accepted: 12, disputes_resolved: 9, disputes_failed: 1, meetings: 0, good_deeds: 2,
      pairing_visits: 1, certificates: 4, money_fen: 50000, services: 5, notices: 0, intel: 2, group_incident_signs: 1,
      group_incident_signs_open: 0, signs_defused: 1, survey_sample: 0, survey_satisfied: 0,
    },
  } as Assessment
}

/** `2026-11-28` → 2026年11月28日, as the core's titles write dates. */
function zhDate(iso: unknown): string {
  const [y, m, d] = String(iso).split('-').map(Number)
  return `${y}年${m}月${d}日`
}
