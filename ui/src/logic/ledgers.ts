// The nine further ledgers (issue 8) described once: their fields for the form, the list and the
// detail. The core is the authority on rules (what is required, which service kind takes which
// fields); this says how to show and ask for each field, and which fields apply to a record as
// it stands (`when`), so the form never sends a field the core would refuse as out of place.
// Pure TypeScript, unit-tested in ledgers.test.ts.
import type { CodeLists } from '../bindings/CodeLists'
import type { IpcError } from '../bindings/IpcError'
import type { RegisterKind } from '../bindings/RegisterKind'
import type { RecordJson } from '../api/ipc'
import { codeLabel, REGISTER_FIELDS, yuanText, type CoreRegister, type FieldDef, type FieldKind, type Lang, type Translate } from './registers'
import { dateZh } from './dates'

export type LedgerRegister = Exclude<RegisterKind, CoreRegister>

/** The ledgers in menu order. */
export const LEDGERS: LedgerRegister[] = ['work_log', 'meetings', 'services', 'notices', 'intel', 'key_persons', 'surveys', 'teams', 'team_members']

export function isLedger(register: unknown): register is LedgerRegister {
  return LEDGERS.includes(register as LedgerRegister)
}

/** What a new record starts with: today, the office's officer, or a fixed value. */
export type Default = 'today' | 'officer' | string | number | boolean

export interface LedgerField extends FieldDef {
  kind: FieldKind
  fields?: LedgerField[]
  /** Marked required on the form (the core checks it anyway). */
  required?: boolean | ((m: RecordJson) => boolean)
  /** The field applies only when this holds (else hidden, and sent blank). */
  when?: (m: RecordJson) => boolean
  default?: Default
  /** Takes a whole row of the form. */
  full?: boolean
  /** Shown in lists and details, never typed in (numbers the core assigns). */
  readOnly?: boolean
  min?: number
  max?: number
  /** i18n key of a placeholder. */
  placeholder?: string
  /** i18n key of a hint under the field. */
  hint?: string
}

export interface LedgerColumn {
  key: string
  /** i18n key of the heading (else the field's label). */
  label?: string
  width?: number
  /** Shows the row's value otherwise than its field would. */
  show?: (row: RecordJson, c: ShowContext) => string
}

export interface LedgerSchema {
  fields: LedgerField[]
  columns: LedgerColumn[]
}

export interface ShowContext {
  lists: CodeLists | null
  /** vue-i18n's t: a message with `{n}` takes its values as the second argument. */
  t: (key: string, named?: Record<string, unknown>) => string
  lang: Lang
  /** Names of records by id (teams for team members). */
  refs: Record<string, string>
}

const isKind = (kind: string) => (m: RecordJson) => m.kind === kind
const SIGNS = ['group_incident_sign', 'dispute_sign']

export const SCHEMAS: Record<LedgerRegister, LedgerSchema> = {
  teams: {
    fields: [
      { key: 'name', kind: 'text', required: true, placeholder: 'ledgers.ph.teamName' },
      { key: 'kind', kind: 'code', list: 'team_kind', required: true },
      { key: 'village', kind: 'text', required: true, placeholder: 'ledgers.ph.village' },
      { key: 'leader', kind: 'text' },
      { key: 'phone', kind: 'text' },
      { key: 'founded_on', kind: 'date' },
      { key: 'notes', kind: 'textarea', full: true },
    ],
    columns: [{ key: 'name' }, { key: 'kind', width: 150 }, { key: 'village', width: 150 }, { key: 'leader', width: 110 }, { key: 'phone', width: 140 }, { key: 'founded_on', width: 140 }],
  },
  team_members: {
    fields: [
      { key: 'team_id', kind: 'ref', ref: 'teams', required: true, full: true },
      { key: 'name', kind: 'text', required: true },
      { key: 'sex', kind: 'code', list: 'sex' },
      { key: 'role', kind: 'code', list: 'team_role', required: true, default: 'member' },
      { key: 'phone', kind: 'text' },
      { key: 'joined_on', kind: 'date', required: true, default: 'today' },
      { key: 'status', kind: 'code', list: 'member_status', required: true, default: 'active' },
      { key: 'left_on', kind: 'date', required: true, when: (m) => m.status === 'left' },
      {
        key: 'trainings', kind: 'objects', full: true,
        fields: [
          { key: 'date', kind: 'date', required: true, default: 'today' },
          { key: 'trainer', kind: 'text' },
          { key: 'content', kind: 'textarea', required: true, full: true },
        ],
      },
    ],
    columns: [
      { key: 'name', width: 110 }, { key: 'team_id' }, { key: 'role', width: 90 }, { key: 'status', width: 80 },
      { key: 'phone', width: 140 }, { key: 'joined_on', width: 140 },
      { key: 'trainings', label: 'ledgers.trainingCount', width: 90, show: (r) => String((r.trainings as unknown[] | undefined)?.length ?? 0) },
    ],
  },
  work_log: {
    fields: [
      { key: 'date', kind: 'date', required: true, default: 'today' },
      { key: 'officer', kind: 'text', required: true, default: 'officer' },
      { key: 'category', kind: 'code', list: 'work_category', required: true },
      { key: 'in_village', kind: 'bool', default: true, hint: 'ledgers.hint.inVillage' },
      { key: 'content', kind: 'textarea', required: true, full: true },
      { key: 'result', kind: 'textarea', full: true },
      { key: 'follow_up_due', kind: 'date' },
      { key: 'follow_up_done', kind: 'bool', when: (m) => !!m.follow_up_due },
      { key: 'links', kind: 'links', full: true },
    ],
    columns: [
      { key: 'date', width: 140 }, { key: 'category', width: 100 }, { key: 'in_village', width: 110 }, { key: 'content' },
      {
        key: 'follow_up_due', width: 170,
        show: (r, c) => (r.follow_up_due ? `${showDate(String(r.follow_up_due), c.lang)}${r.follow_up_done ? `（${c.t('fields.work_log.follow_up_done')}）` : ''}` : ''),
      },
      { key: 'officer', width: 90 },
    ],
  },
  meetings: {
    fields: [
      { key: 'date', kind: 'date', required: true, default: 'today' },
      { key: 'village', kind: 'text', required: true, placeholder: 'ledgers.ph.village' },
      { key: 'host', kind: 'text' },
      { key: 'attendee_count', kind: 'int', required: true, min: 1, max: 100000 },
      { key: 'attendees', kind: 'strings', full: true, placeholder: 'ledgers.ph.names' },
      { key: 'situation', kind: 'textarea', required: true, full: true },
      { key: 'problems', kind: 'textarea', full: true },
      { key: 'priorities', kind: 'textarea', full: true },
      { key: 'recorder', kind: 'text', required: true, default: 'officer' },
    ],
    columns: [{ key: 'date', width: 140 }, { key: 'village', width: 140 }, { key: 'host', width: 100 }, { key: 'attendee_count', width: 90 }, { key: 'situation' }, { key: 'recorder', width: 90 }],
  },
  services: {
    fields: [
      { key: 'kind', kind: 'code', list: 'service_kind', required: true, default: 'good_deed', full: true },
      { key: 'date', kind: 'date', required: true, default: 'today', hint: 'ledgers.hint.pairingDate' },
      { key: 'officer', kind: 'text', required: true, default: 'officer' },
      { key: 'household_id', kind: 'ref', ref: 'households' },
      { key: 'beneficiary', kind: 'text', required: true },
      { key: 'content', kind: 'textarea', required: true, full: true },
      { key: 'money_fen', kind: 'money', when: isKind('good_deed') },
      { key: 'goods', kind: 'text', when: isKind('good_deed') },
      { key: 'ended_on', kind: 'date', when: isKind('pairing') },
      {
        key: 'visits', kind: 'objects', full: true, when: isKind('pairing'),
        fields: [
          { key: 'date', kind: 'date', required: true, default: 'today', label: 'fields.services.visit_date' },
          { key: 'money_fen', kind: 'money' },
          { key: 'content', kind: 'textarea', required: true, full: true, label: 'fields.services.visit_content' },
          { key: 'goods', kind: 'text', full: true },
        ],
      },
      { key: 'certificate_action', kind: 'code', list: 'certificate_action', required: true, when: isKind('certificate') },
      { key: 'certificate_kind', kind: 'code', list: 'certificate_kind', required: true, when: isKind('certificate') },
      { key: 'certificate_count', kind: 'int', required: true, min: 1, max: 1000, default: 1, when: isKind('certificate') },
      { key: 'reason', kind: 'code', list: 'service_reason', required: true, when: isKind('certificate') },
      { key: 'receiver', kind: 'text', required: (m) => m.certificate_action === 'deliver', when: isKind('certificate') },
    ],
    columns: [
      { key: 'date', width: 140 }, { key: 'kind', width: 120 }, { key: 'beneficiary', width: 110 },
      { key: 'content', label: 'ledgers.serviceWhat', show: serviceWhat },
      { key: 'money_fen', label: 'ledgers.moneyTotal', width: 100, show: (r, c) => { const f = moneyTotalFen(r); return f ? yuanText(f, c.lang) : '' } },
      { key: 'officer', width: 90 },
    ],
  },
  notices: {
    fields: [
      { key: 'record_no', kind: 'text', readOnly: true },
      { key: 'date', kind: 'date', required: true, default: 'today' },
      { key: 'issuer', kind: 'text', required: true, default: 'officer' },
      { key: 'title', kind: 'text', required: true, full: true },
      { key: 'channels', kind: 'codes', list: 'notice_channel', required: true, full: true },
      { key: 'content', kind: 'textarea', required: true, full: true },
      { key: 'audience', kind: 'int', min: 0, max: 10000000 },
    ],
    columns: [
      { key: 'record_no', width: 130, show: (r, c) => issueLabel(String(r.record_no ?? ''), c.lang) },
      { key: 'date', width: 140 }, { key: 'title' }, { key: 'channels', width: 160 }, { key: 'audience', width: 90 }, { key: 'issuer', width: 90 },
    ],
  },
  intel: {
    fields: [
      { key: 'date', kind: 'date', required: true, default: 'today' },
      { key: 'officer', kind: 'text', required: true, default: 'officer' },
      { key: 'category', kind: 'code', list: 'intel_category', required: true, full: true },
      { key: 'source', kind: 'text', required: true, full: true, placeholder: 'ledgers.ph.source' },
      { key: 'content', kind: 'textarea', required: true, full: true },
      { key: 'reported_to', kind: 'text', required: (m) => !!m.reported_on },
      { key: 'reported_on', kind: 'date' },
      { key: 'defused', kind: 'bool', when: (m) => SIGNS.includes(String(m.category)) },
      { key: 'handling', kind: 'textarea', full: true, required: (m) => m.defused === true },
    ],
    columns: [
      { key: 'date', width: 140 }, { key: 'category', width: 140 }, { key: 'content' }, { key: 'source', width: 120 },
      { key: 'reported_to', width: 120 }, { key: 'defused', width: 80, show: (r, c) => (r.defused ? c.t('common.yes') : '') }, { key: 'officer', width: 90 },
    ],
  },
  key_persons: {
    fields: [
      { key: 'name', kind: 'text', required: true },
      { key: 'sex', kind: 'code', list: 'sex' },
      { key: 'level', kind: 'code', list: 'key_level', required: true },
      { key: 'category', kind: 'code', list: 'key_category', required: true },
      { key: 'id_number', kind: 'text' },
      { key: 'phone', kind: 'text' },
      { key: 'household_id', kind: 'ref', ref: 'households' },
      { key: 'address', kind: 'text', required: true },
      { key: 'reason', kind: 'textarea', required: true, full: true },
      { key: 'responsible', kind: 'text', required: true, default: 'officer' },
      { key: 'since', kind: 'date', required: true, default: 'today' },
      { key: 'until', kind: 'date' },
      {
        key: 'checks', kind: 'objects', full: true,
        fields: [
          { key: 'date', kind: 'date', required: true, default: 'today' },
          { key: 'officer', kind: 'text', required: true, default: 'officer' },
          { key: 'method', kind: 'code', list: 'visit_method', required: true, default: 'in_home', full: true },
          { key: 'situation', kind: 'textarea', required: true, full: true },
        ],
      },
    ],
    columns: [
      { key: 'name', width: 100 }, { key: 'level', width: 100 }, { key: 'category', width: 150 }, { key: 'address' },
      { key: 'responsible', width: 90 },
      { key: 'checks', label: 'ledgers.lastCheck', width: 140, show: (r, c) => showDate(lastCheck(r), c.lang) },
      { key: 'until', label: 'ledgers.state', width: 90, show: (r, c) => (r.until ? c.t('ledgers.released') : c.t('ledgers.underWatch')) },
    ],
  },
  surveys: {
    fields: [
      { key: 'date', kind: 'date', required: true, default: 'today' },
      { key: 'organiser', kind: 'text', required: true, default: 'officer' },
      { key: 'scope', kind: 'text', required: true, placeholder: 'ledgers.ph.scope' },
      { key: 'method', kind: 'code', list: 'survey_method', required: true },
      { key: 'sample_size', kind: 'int', required: true, min: 1, max: 1000000, hint: 'ledgers.hint.sampleSize' },
      { key: 'satisfied', kind: 'int', required: true, min: 0, max: 1000000 },
      { key: 'basically', kind: 'int', required: true, min: 0, max: 1000000 },
      { key: 'unsatisfied', kind: 'int', required: true, min: 0, max: 1000000 },
      { key: 'opinions', kind: 'textarea', full: true },
    ],
    columns: [
      { key: 'date', width: 140 }, { key: 'scope' }, { key: 'method', width: 100 }, { key: 'sample_size', width: 90 },
      { key: 'satisfied', label: 'ledgers.satisfactionRate', width: 110, show: (r) => satisfactionRate(r) },
      { key: 'organiser', width: 90 },
    ],
  },
}

/** Field descriptions of any register: the five hand-made ones or a ledger's. */
export function fieldsFor(register: RegisterKind): FieldDef[] {
  return isLedger(register) ? SCHEMAS[register].fields : REGISTER_FIELDS[register as CoreRegister]
}

/** The fields of a ledger that apply to the record as it stands. */
export function visibleFields(fields: LedgerField[], model: RecordJson): LedgerField[] {
  return fields.filter((f) => !f.readOnly && (!f.when || f.when(model)))
}

export function isRequired(field: LedgerField, model: RecordJson): boolean {
  return typeof field.required === 'function' ? field.required(model) : !!field.required
}

export interface Defaults {
  today: string
  officer: string
}

function initial(field: LedgerField, d: Defaults): unknown {
  const def = field.default
  if (def === 'today') return d.today
  if (def === 'officer') return d.officer
  if (def !== undefined) return def
  switch (field.kind) {
    case 'text':
    case 'textarea':
    case 'time':
    case 'money':
      return ''
    case 'bool':
      return false
    case 'codes':
    case 'strings':
    case 'refs':
    case 'objects':
    case 'links':
      return []
    default:
      return null
  }
}

/** A new record (or a new row of a nested list) as the form holds it. */
export function blankOf(fields: LedgerField[], d: Defaults): RecordJson {
  const m: RecordJson = {}
  for (const f of fields) if (!f.readOnly) m[f.key] = initial(f, d)
  return m
}

// ---- Money: typed in 元, stored in 分 ----

const FULL_WIDTH = /[０-９．，]/g

/**
 * `12.5` → 1250 分. Accepts full-width digits, thousands commas, a trailing 元 and a leading ¥.
 * Blank → null; anything else (more than two decimals, letters, a minus) → undefined.
 */
export function yuanToFen(text: string | number | null | undefined): number | null | undefined {
  if (text === null || text === undefined) return null
  const s = String(text)
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[,\s]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '')
  if (s === '') return null
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s)
  if (!m) return undefined
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** 1250 分 → `12.50`, 1200 → `12` (the form's text). */
export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  return fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
}

/** A record's money in all (the good deed's own and every pairing visit's). */
export function moneyTotalFen(r: RecordJson): number {
  const own = Number(r.money_fen ?? 0)
  return own + ((r.visits as RecordJson[] | undefined) ?? []).reduce((n, v) => n + Number(v.money_fen ?? 0), 0)
}

// ---- Form model ⇄ the JSON the core reads ----

function mapMoney(fields: LedgerField[], row: RecordJson, conv: (f: LedgerField, v: unknown, path: string) => unknown, prefix: string): RecordJson {
  const out: RecordJson = { ...row }
  for (const f of fields) {
    const path = prefix ? `${prefix}.${f.key}` : f.key
    if (f.kind === 'money') out[f.key] = conv(f, row[f.key], path)
    else if (f.kind === 'objects' && Array.isArray(row[f.key])) {
      out[f.key] = (row[f.key] as RecordJson[]).map((item, i) => mapMoney(f.fields ?? [], item, conv, `${path}[${i}]`))
    }
  }
  return out
}

/** A stored record's money (分) as the form's text (元); nested rows too. */
export function moneyToForm(fields: LedgerField[], model: RecordJson): RecordJson {
  return mapMoney(fields, model, (_f, v) => (typeof v === 'number' ? fenToYuan(v) : v ?? ''), '')
}

/** The problems the form finds itself before asking the core (amounts it cannot read). */
export class FormProblem extends Error {
  constructor(readonly error: IpcError) {
    super(error.message)
  }
}

/**
 * The form's model as the record to send: fields that do not apply blanked (an array emptied),
 * amounts turned into 分. Throws FormProblem naming every amount that cannot be read.
 */
export function toRecord(fields: LedgerField[], model: RecordJson, t: Translate): RecordJson {
  const problems: IpcError['errors'] = []
  const out = mapMoney(fields, model, (_f, v, path) => {
    const fen = yuanToFen(v as string)
    if (fen === undefined) {
      problems.push({ code: 'invalid_type', field: path, message: t('ledgers.badMoney') })
      return v
    }
    return fen
  }, '')
  for (const f of fields) {
    if (f.readOnly) delete out[f.key]
    else if (f.when && !f.when(model)) out[f.key] = Array.isArray(out[f.key]) ? [] : null
  }
  if (problems.length) throw new FormProblem({ ...problems[0], errors: problems })
  return out
}

// ---- Showing values ----

export function showDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return ''
  return lang === 'zh' ? dateZh(iso) : iso
}

/** `2026-通-007` → `2026年第7期`. */
export function issueLabel(recordNo: string, lang: Lang): string {
  const m = /^(\d{4})-[^-]+-(\d+)$/.exec(recordNo)
  if (!m) return recordNo
  return lang === 'zh' ? `${m[1]}年第${Number(m[2])}期` : `${m[1]} No. ${Number(m[2])}`
}

export function lastCheck(r: RecordJson): string {
  const dates = ((r.checks as RecordJson[] | undefined) ?? []).map((c) => String(c.date)).sort()
  return dates[dates.length - 1] ?? ''
}

/** (满意 + 基本满意) ÷ 测评人数, as `95.0%`. */
export function satisfactionRate(r: RecordJson): string {
  const n = Number(r.sample_size ?? 0)
  if (!n) return ''
  return `${(((Number(r.satisfied ?? 0) + Number(r.basically ?? 0)) / n) * 100).toFixed(1)}%`
}

function serviceWhat(r: RecordJson, c: ShowContext): string {
  if (r.kind === 'certificate') {
    const action = codeLabel(c.lists, 'certificate_action', String(r.certificate_action ?? ''), c.lang)
    const kind = codeLabel(c.lists, 'certificate_kind', String(r.certificate_kind ?? ''), c.lang)
    return c.t('ledgers.certificateLine', { action, kind, n: r.certificate_count ?? '' })
  }
  const visits = (r.visits as unknown[] | undefined)?.length ?? 0
  const base = String(r.content ?? '')
  return r.kind === 'pairing' && visits ? `${base}${c.t('ledgers.visitCount', { n: visits })}` : base
}

/** A list cell: the column's own way, or the field's (codes by name, dates in Chinese, 元). */
export function cellText(register: LedgerRegister, col: LedgerColumn, row: RecordJson, c: ShowContext): string {
  if (col.show) return col.show(row, c)
  const field = SCHEMAS[register].fields.find((f) => f.key === col.key)
  const v = row[col.key]
  if (v === null || v === undefined || v === '') return ''
  switch (field?.kind) {
    case 'date':
      return showDate(String(v), c.lang)
    case 'code':
      return codeLabel(c.lists, field.list, String(v), c.lang)
    case 'codes':
      return (v as string[]).map((x) => codeLabel(c.lists, field.list, x, c.lang)).join(c.lang === 'zh' ? '、' : ', ')
    case 'strings':
      return (v as string[]).join(c.lang === 'zh' ? '、' : ', ')
    case 'bool':
      return v ? c.t('common.yes') : c.t('common.no')
    case 'money':
      return yuanText(Number(v), c.lang)
    case 'ref':
      return c.refs[String(v)] ?? ''
    default:
      return String(v)
  }
}

/** The column heading: its own label, else the field's. */
export function columnLabel(register: LedgerRegister, col: LedgerColumn, t: Translate): string {
  return t(col.label ?? `fields.${register}.${col.key}`)
}

/**
 * A short name of a record of any register, for references, links and pickers (records carry
 * no title; this stays close to the core's titles).
 */
export function recordTitle(register: RegisterKind, r: RecordJson, lists: CodeLists | null = null, lang: Lang = 'zh'): string {
  const s = (k: string) => (r[k] === null || r[k] === undefined ? '' : String(r[k]))
  const d = (k: string) => showDate(s(k), lang)
  const short = (k: string) => (s(k).length > 20 ? `${s(k).slice(0, 20)}…` : s(k))
  switch (register) {
    case 'households':
      return `${s('head_name')}　${s('village')}${s('group')}${s('house_no')}`
    case 'residents':
    case 'team_members':
    case 'key_persons':
      return s('name')
    case 'teams':
      return s('name')
    case 'disputes':
      return `${s('record_no')} ${short('summary')}`.trim()
    case 'patrols':
      return `${d('date')} ${short('route')}`
    case 'visits':
      return `${d('date')} ${s('head_name')}`
    case 'work_log':
      return `${d('date')} ${codeLabel(lists, 'work_category', s('category'), lang)} ${short('content')}`
    case 'meetings':
      return `${d('date')} ${s('village')}`
    case 'services':
      return `${d('date')} ${codeLabel(lists, 'service_kind', s('kind'), lang)} ${s('beneficiary')}`
    case 'notices':
      return `${issueLabel(s('record_no'), lang)} ${s('title')}`
    case 'intel':
      return `${d('date')} ${short('content')}`
    case 'surveys':
      return `${d('date')} ${s('scope')}`
  }
}

/** The ids a record of `fields` points to, by the register they live in (for naming them). */
export function referencedIds(fields: FieldDef[], record: RecordJson): { register: RegisterKind; id: string }[] {
  const out: { register: RegisterKind; id: string }[] = []
  for (const f of fields) {
    const v = record[f.key]
    if (f.kind === 'ref' && f.ref && typeof v === 'string' && v) out.push({ register: f.ref, id: v })
    if (f.kind === 'refs' && f.ref && Array.isArray(v)) for (const id of v) out.push({ register: f.ref, id: String(id) })
    if (f.kind === 'links' && Array.isArray(v)) for (const l of v as RecordJson[]) if (l.register && l.id) out.push({ register: l.register as RegisterKind, id: String(l.id) })
  }
  return out
}
