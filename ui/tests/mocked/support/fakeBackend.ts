// An in-memory stand-in for the Rust side, answering the same IPC commands with the same JSON
// shapes (see src-tauri/src/commands.rs and crates/cunjing-core). It keeps records per register,
// writes history entries, and lets a test make the next call of a command fail with the core's
// error so the form's handling of it can be checked. It checks only what the tests need: the
// real rules live in the core and have their own tests.
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
import { FakeSync } from './fakeSync'

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

const REGISTERS: RegisterKind[] = ['households', 'residents', 'disputes', 'patrols', 'visits']
const DATE_FIELD: Record<RegisterKind, string | null> = {
  households: null, residents: null, disputes: 'accepted_on', patrols: 'date', visits: 'date',
}
/** Which fields search looks at, and what kind of match each one is. */
const SEARCHED: Record<string, SearchHit['matched']> = {
  head_name: 'name', name: 'name', leader: 'name', id_number: 'number', phone: 'number', record_no: 'number',
  village: 'place', address: 'place', location: 'place', route: 'place', summary: 'text', concerns: 'text',
}

/** Today in local time, as the core's `store.today()` gives it. */
export function localToday(): string {
  const d = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export const DEFAULT_TARGETS: Targets = {
  households_visited_per_month: 30, key_person_visits_per_month: 1, village_days_per_week: 3,
  volunteer_patrols_per_month: 8, officer_patrols_per_month: 0, followup_due_days: 15,
}

export const OFFICE: Office = {
  code: 'CYH-01', name: '翠月湖村警务室', officer: '李建国', police_number: '012345', officer_phone: '13800001111',
  station_name: '青山镇派出所', station_phone: '0571-12345678', created_at: '2026-11-01T09:00:00+08:00',
}

export class FakeBackend {
  office: Office | null
  today = localToday()
  targets: Targets = { ...DEFAULT_TARGETS }
  records: Record<RegisterKind, Json[]> = { households: [], residents: [], disputes: [], patrols: [], visits: [] }
  audit: AuditEntry[] = []
  /** Every command the UI sent, in order, with its arguments as the shell would receive them. */
  calls: Call[] = []
  /** The stick, the office's sync state and the station (sync commands). */
  sync = new FakeSync(() => this.office?.code ?? 'CYH-01')
  printProfile: PrintProfile = {
    officer_role: '驻村民警', office_address: '', office_phone: '', village_days: '每周不少于 3 天（周一、三、五）',
    service_hours: '驻村日 8:30—17:30', commitments: '有警必接、有难必帮、有险必救、有求必应。', safety_tips: '防诈骗：不转账到「安全账户」。',
  }
  photo: number[] | null = null
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

  /** The entry point the page's `__cunjingIpc` binding calls. Throws an IpcErrorJson on refusal. */
  handle(cmd: string, args: Json): unknown {
    this.calls.push({ cmd, args })
    const failure = this.failures.get(cmd)?.shift()
    if (failure) throw failure
    switch (cmd) {
      case 'app_info':
        return { version: '0.1.0', database_path: '/home/jing/.local/share/cunjing/office.db', office: this.office, station: this.sync.station, station_database_path: '/home/jing/.local/share/cunjing/station.db', today: this.today }
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
        return this.find(args)
      case 'record_list':
        return this.list(this.register(args), args.query as ListQuery)
      case 'record_history':
        return this.audit.filter((e) => e.record_id === args.id)
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
        throw ipcError('database', '', `fake backend: unknown command ${cmd}`)
    }
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
    }
  }
}

const META = new Set(['id', 'register', 'version', 'change_seq', 'office_code', 'created_at', 'created_by', 'updated_at', 'updated_by', 'voided', 'void_reason'])

/** The register's own fields, as history's before/after hold them. */
function fieldsOf(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !META.has(k)))
}
