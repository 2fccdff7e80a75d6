// What each register's fields are, for display and list columns. The core is the authority on
// rules; this only says how to show a field (its kind and, for codes, which choice list).
import type { CodeLists } from '../bindings/CodeLists'
import type { RegisterKind } from '../bindings/RegisterKind'
import { dateZh, timestampZh } from './dates'

export type FieldKind =
  | 'text' | 'textarea' | 'date' | 'time' | 'int' | 'bool' | 'code' | 'codes' | 'ref' | 'refs' | 'strings' | 'objects'
  /** An amount stored in 分 (integer), shown in 元. */
  | 'money'
  /** Links to other records: `[{register, id}]`. */
  | 'links'

export interface FieldDef {
  key: string
  kind: FieldKind
  list?: keyof CodeLists
  fields?: FieldDef[]
  /** For `ref`/`refs`: the register the id points into (resolved to a name for display). */
  ref?: RegisterKind
  /** An i18n key for the label when `fields.<register>.<key>` does not fit (nested rows). */
  label?: string
}

/** The five registers whose screens are hand-made; the others are described in ./ledgers. */
export type CoreRegister = 'households' | 'residents' | 'disputes' | 'patrols' | 'visits'

const f = (key: string, kind: FieldKind, list?: keyof CodeLists, fields?: FieldDef[]): FieldDef => ({ key, kind, list, fields })

export const REGISTER_FIELDS: Record<CoreRegister, FieldDef[]> = {
  households: [
    f('village', 'text'), f('group', 'text'), f('house_no', 'text'), f('address_detail', 'text'),
    f('head_name', 'text'), f('phone', 'text'), f('tags', 'codes', 'household_tag'), f('notes', 'textarea'),
  ],
  residents: [
    f('household_id', 'ref'), f('name', 'text'), f('former_name', 'text'), f('sex', 'code', 'sex'),
    f('ethnicity', 'text'), f('birth_date', 'date'), f('id_number', 'text'), f('category', 'code', 'resident_category'),
    f('phone', 'text'), f('relation_to_head', 'text'), f('occupation', 'text'), f('stay_from', 'date'),
    f('stay_to', 'date'), f('foreign_nationality', 'text'), f('foreign_doc_type', 'text'),
    f('foreign_doc_no', 'text'), f('notes', 'textarea'),
  ],
  disputes: [
    f('record_no', 'text'), f('status', 'code', 'dispute_status'), f('accepted_on', 'date'),
    f('source', 'code', 'dispute_source'), f('dispute_type', 'code', 'dispute_type'), f('location', 'text'),
    f('parties', 'objects', undefined, [
      f('name', 'text'), f('role', 'code', 'party_role'), f('sex', 'code', 'sex'), f('id_number', 'text'),
      f('phone', 'text'), f('address', 'text'),
    ]),
    f('people_count', 'int'), f('summary', 'textarea'), f('risk_level', 'code', 'risk_level'),
    f('escalation_flag', 'bool'), f('mediators', 'text'),
    f('steps', 'objects', undefined, [f('date', 'date'), f('content', 'textarea'), f('participants', 'text')]),
    f('outcome_note', 'textarea'), f('referred_to', 'text'), f('agreement_form', 'code', 'agreement_form'),
    f('performance', 'code', 'performance'), f('closed_on', 'date'),
    f('followups', 'objects', undefined, [
      f('date', 'date'), f('method', 'code', 'followup_method'), f('visitor', 'text'),
      f('performance', 'code', 'performance'), f('satisfaction', 'code', 'satisfaction'), f('recurrence', 'bool'),
    ]),
  ],
  patrols: [
    f('date', 'date'), f('start_time', 'time'), f('end_time', 'time'), f('crosses_midnight', 'bool'),
    f('kind', 'code', 'patrol_kind'), f('mode', 'code', 'patrol_mode'), f('route', 'textarea'), f('leader', 'text'),
    f('members', 'strings'), f('headcount', 'int'), f('findings', 'textarea'), f('checked_count', 'int'),
    f('handling', 'textarea'), f('arrests', 'int'), f('recorder', 'text'),
    { key: 'team_id', kind: 'ref', ref: 'teams' }, { key: 'team_member_ids', kind: 'refs', ref: 'team_members' },
  ],
  visits: [
    f('date', 'date'), f('officer', 'text'), f('household_id', 'ref'), f('head_name', 'text'), f('address', 'text'),
    f('method', 'code', 'visit_method'), f('purposes', 'codes', 'visit_purpose'), f('companions', 'text'),
    f('people_talked', 'int'), f('concerns', 'textarea'), f('hazards', 'textarea'), f('response', 'textarea'),
    f('satisfaction', 'code', 'satisfaction'),
  ],
}

export type Translate = (key: string) => string
export type Lang = 'zh' | 'en'

/** The label of a code in the current language (the code itself only if the list lacks it). */
export function codeLabel(lists: CodeLists | null, list: keyof CodeLists | undefined, code: string, lang: Lang): string {
  const found = list && lists ? lists[list].find((c) => c.code === code) : undefined
  return found ? found[lang] : code
}

export interface DisplayLine {
  key: string
  label: string
  value: string
}

/** 分 → `12.50 元` (whole amounts without decimals: `12 元`). */
export function yuanText(fen: number, lang: Lang = 'zh'): string {
  const yuan = fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2)
  return lang === 'zh' ? `${yuan} 元` : `¥${yuan}`
}

/** Names for ids (references and links), filled in by the caller; a missing one reads so. */
export type RefNames = Record<string, string>

function refName(id: unknown, refs: RefNames | undefined, t: Translate): string {
  return refs?.[String(id)] ?? t('common.unknownRecord')
}

function showValue(def: FieldDef, value: unknown, lists: CodeLists | null, t: Translate, lang: Lang, register: RegisterKind, refs?: RefNames): string {
  if (value === null || value === undefined || value === '') return ''
  const sep = lang === 'zh' ? '、' : ', '
  switch (def.kind) {
    case 'money':
      return yuanText(Number(value), lang)
    case 'refs':
      if (!def.ref) return ''
      return (value as string[]).map((id) => refName(id, refs, t)).join(sep)
    case 'links':
      return (value as { register: string; id: string }[])
        .map((l) => `${codeLabel(lists, 'register', l.register, lang)}：${refName(l.id, refs, t)}`)
        .join('\n')
    case 'bool':
      return value ? t('common.yes') : t('common.no')
    case 'date':
      return lang === 'zh' ? dateZh(String(value)) : String(value)
    case 'code':
      return codeLabel(lists, def.list, String(value), lang)
    case 'codes':
      return (value as string[]).map((c) => codeLabel(lists, def.list, c, lang)).join(lang === 'zh' ? '、' : ', ')
    case 'strings':
      return (value as string[]).join(lang === 'zh' ? '、' : ', ')
    case 'ref':
      return def.ref ? refName(value, refs, t) : ''
    case 'objects':
      return (value as Record<string, unknown>[])
        .map((item, i) => {
          const parts = (def.fields ?? [])
            .map((sub) => [sub, showValue(sub, item[sub.key], lists, t, lang, register, refs)] as const)
            .filter(([, v]) => v !== '')
            .map(([sub, v]) => `${t(sub.label ?? `fields.${register}.${sub.key}`)}：${v}`)
          return `（${i + 1}）${parts.join('；')}`
        })
        .join('\n')
    default:
      return String(value)
  }
}

/**
 * A record as labelled lines in the register's field order; blanks left out; no raw codes.
 * `fields` describes a register other than the five above; `refs` names the ids it points to.
 */
export function displayLines(
  register: RegisterKind, record: Record<string, unknown>, lists: CodeLists | null, t: Translate, lang: Lang,
  opts: { fields?: FieldDef[]; refs?: RefNames } = {},
): DisplayLine[] {
  const lines: DisplayLine[] = []
  const defs = opts.fields ?? REGISTER_FIELDS[register as CoreRegister] ?? []
  for (const def of defs) {
    const value = showValue(def, record[def.key], lists, t, lang, register, opts.refs)
    if (value !== '') lines.push({ key: def.key, label: t(def.label ?? `fields.${register}.${def.key}`), value })
  }
  const meta: [string, string][] = [
    ['created_at', timestampZh(record.created_at as string)],
    ['created_by', String(record.created_by ?? '')],
    ['updated_at', timestampZh(record.updated_at as string)],
    ['version', String(record.version ?? '')],
  ]
  if (record.voided) meta.push(['void_reason', String(record.void_reason ?? '')])
  for (const [key, value] of meta) if (value) lines.push({ key, label: t(`meta.${key}`), value })
  return lines
}
