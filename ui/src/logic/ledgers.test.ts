import { describe, expect, it } from 'vitest'
import type { CodeLists } from '../bindings/CodeLists'
import zh from '../i18n/zh-CN'
import en from '../i18n/en'
import { displayLines } from './registers'
import {
  blankOf, cellText, fenToYuan, FormProblem, issueLabel, LEDGERS, moneyToForm, moneyTotalFen, recordTitle, referencedIds,
  satisfactionRate, SCHEMAS, toRecord, visibleFields, yuanToFen,
} from './ledgers'
import { currentQuarter, periodCode, withKind } from './periods'

const t = (key: string) => (key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], zh) as string) ?? key
const lists = {
  service_kind: [{ code: 'pairing', zh: '结对帮扶', en: 'Paired support' }, { code: 'good_deed', zh: '好事实事', en: 'Good deed' }],
  certificate_action: [{ code: 'deliver', zh: '送证上门', en: 'Delivered' }],
  certificate_kind: [{ code: 'id_card', zh: '居民身份证', en: 'ID card' }],
  register: [{ code: 'visits', zh: '入户走访登记', en: 'Visits' }],
  key_level: [{ code: 'key', zh: '重点对象', en: 'Key person' }],
} as unknown as CodeLists
const d = { today: '2026-11-28', officer: '李建国' }

describe('money: 元 on screen, 分 stored', () => {
  it('reads what people type', () => {
    expect(yuanToFen('200')).toBe(20000)
    expect(yuanToFen('35.5')).toBe(3550)
    expect(yuanToFen('35.50')).toBe(3550)
    expect(yuanToFen('0.05')).toBe(5)
    expect(yuanToFen('1,234.56')).toBe(123456)
    expect(yuanToFen('１２．５')).toBe(1250)
    expect(yuanToFen('¥80元')).toBe(8000)
    expect(yuanToFen(' ')).toBeNull()
    expect(yuanToFen(null)).toBeNull()
  })
  it('refuses what is not an amount', () => {
    for (const bad of ['abc', '1.234', '-5', '1.2.3', '5块']) expect(yuanToFen(bad)).toBeUndefined()
  })
  it('shows 分 as 元 and round-trips', () => {
    expect(fenToYuan(20000)).toBe('200')
    expect(fenToYuan(3550)).toBe('35.50')
    expect(fenToYuan(5)).toBe('0.05')
    expect(fenToYuan(null)).toBe('')
    for (const fen of [0, 1, 99, 100, 12345, 99999999]) expect(yuanToFen(fenToYuan(fen))).toBe(fen)
  })
  it('adds a service’s own money and its visits’', () => {
    expect(moneyTotalFen({ money_fen: 100, visits: [{ money_fen: 250 }, { money_fen: null }] })).toBe(350)
  })
})

describe('schemas', () => {
  it('every ledger has a zh and en label for each field and column, and a title', () => {
    const look = (msgs: unknown, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], msgs)
    for (const r of LEDGERS) {
      for (const msgs of [zh, en]) {
        expect(look(msgs, `ledgers.${r}.title`), `${r} title`).toBeTypeOf('string')
        for (const f of SCHEMAS[r].fields) {
          expect(look(msgs, f.label ?? `fields.${r}.${f.key}`), `${r}.${f.key}`).toBeTypeOf('string')
          for (const sub of f.fields ?? []) expect(look(msgs, sub.label ?? `fields.${r}.${sub.key}`), `${r}.${f.key}.${sub.key}`).toBeTypeOf('string')
          if (f.kind === 'objects' || f.kind === 'links') expect(look(msgs, `ledgers.add.${f.key}`), `add ${f.key}`).toBeTypeOf('string')
        }
        for (const c of SCHEMAS[r].columns) expect(look(msgs, c.label ?? `fields.${r}.${c.key}`), `${r} column ${c.key}`).toBeTypeOf('string')
      }
    }
  })
  it('a new record starts with today, the officer and the defaults; read-only numbers are left out', () => {
    const s = blankOf(SCHEMAS.services.fields, d)
    expect(s).toMatchObject({ date: '2026-11-28', officer: '李建国', kind: 'good_deed', visits: [], money_fen: '', certificate_count: 1 })
    expect('record_no' in blankOf(SCHEMAS.notices.fields, d)).toBe(false)
    expect(blankOf(SCHEMAS.key_persons.fields.find((f) => f.key === 'checks')!.fields!, d)).toEqual({ date: '2026-11-28', officer: '李建国', method: 'in_home', situation: '' })
  })
  it('a service shows the fields of its kind only', () => {
    const keys = (kind: string) => visibleFields(SCHEMAS.services.fields, { kind }).map((f) => f.key)
    expect(keys('pairing')).toContain('visits')
    expect(keys('pairing')).toContain('ended_on')
    expect(keys('pairing')).not.toContain('certificate_kind')
    expect(keys('good_deed')).toContain('money_fen')
    expect(keys('good_deed')).not.toContain('visits')
    expect(keys('certificate')).toEqual(expect.arrayContaining(['certificate_action', 'certificate_kind', 'certificate_count', 'reason', 'receiver']))
    expect(keys('certificate')).not.toContain('money_fen')
  })
  it('a member’s leaving date and an intel item’s 已化解 show only when they apply', () => {
    expect(visibleFields(SCHEMAS.team_members.fields, { status: 'active' }).map((f) => f.key)).not.toContain('left_on')
    expect(visibleFields(SCHEMAS.team_members.fields, { status: 'left' }).map((f) => f.key)).toContain('left_on')
    expect(visibleFields(SCHEMAS.intel.fields, { category: 'public_opinion' }).map((f) => f.key)).not.toContain('defused')
    expect(visibleFields(SCHEMAS.intel.fields, { category: 'group_incident_sign' }).map((f) => f.key)).toContain('defused')
  })
})

describe('toRecord', () => {
  it('turns 元 into 分 (nested too) and blanks the fields of another kind', () => {
    const model = {
      ...blankOf(SCHEMAS.services.fields, d), kind: 'pairing', beneficiary: '赵大山', content: '独居老人',
      money_fen: '50', goods: '米', visits: [{ date: '2026-11-28', content: '送米', money_fen: '200.5', goods: '' }],
    }
    const out = toRecord(SCHEMAS.services.fields, model, t)
    expect(out.money_fen).toBeNull() // a good deed's field, not a pairing's
    expect(out.goods).toBeNull()
    expect(out.certificate_count).toBeNull()
    expect((out.visits as Record<string, unknown>[])[0].money_fen).toBe(20050)
  })
  it('names every amount it cannot read, by its path', () => {
    const model = { ...blankOf(SCHEMAS.services.fields, d), kind: 'pairing', visits: [{ date: '2026-11-28', content: 'x', money_fen: '12' }, { date: '2026-11-28', content: 'y', money_fen: '十二' }] }
    let problem: FormProblem | null = null
    try {
      toRecord(SCHEMAS.services.fields, model, t)
    } catch (e) {
      problem = e as FormProblem
    }
    expect(problem).toBeInstanceOf(FormProblem)
    expect(problem!.error.field).toBe('visits[1].money_fen')
    expect(problem!.error.message).toContain('元')
  })
  it('brings a stored record’s 分 back as 元 for editing', () => {
    const m = moneyToForm(SCHEMAS.services.fields, { money_fen: 3550, visits: [{ money_fen: 20000 }, { money_fen: null }] })
    expect(m.money_fen).toBe('35.50')
    expect(m.visits).toEqual([{ money_fen: '200' }, { money_fen: '' }])
  })
})

describe('showing', () => {
  // With vue-i18n's named values filled in.
  const tn = (key: string, named: Record<string, unknown> = {}) => t(key).replace(/\{(\w+)\}/g, (_, k: string) => String(named[k] ?? ''))
  const c = { lists, t: tn, lang: 'zh' as const, refs: { 'team-1': '翠月湖村打更队' } }
  it('list cells: codes by name, 元, issue numbers, team names, rates', () => {
    const col = (r: 'services' | 'notices' | 'team_members' | 'surveys', key: string) => SCHEMAS[r].columns.find((x) => x.key === key)!
    expect(cellText('services', col('services', 'kind'), { kind: 'pairing' }, c)).toBe('结对帮扶')
    expect(cellText('services', col('services', 'money_fen'), { money_fen: 5000, visits: [{ money_fen: 150 }] }, c)).toBe('51.50 元')
    expect(cellText('services', col('services', 'content'), { kind: 'certificate', certificate_action: 'deliver', certificate_kind: 'id_card', certificate_count: 2 }, c)).toBe('送证上门 居民身份证 2 件')
    expect(cellText('services', col('services', 'content'), { kind: 'pairing', content: '独居', visits: [{}, {}] }, c)).toBe('独居（帮扶走访 2 次）')
    expect(cellText('notices', col('notices', 'record_no'), { record_no: '2026-通-007' }, c)).toBe('2026年第7期')
    expect(cellText('team_members', col('team_members', 'team_id'), { team_id: 'team-1' }, c)).toBe('翠月湖村打更队')
    expect(cellText('surveys', col('surveys', 'satisfied'), { sample_size: 40, satisfied: 30, basically: 8 }, c)).toBe('95.0%')
  })
  it('issue labels and rates', () => {
    expect(issueLabel('2026-通-012', 'zh')).toBe('2026年第12期')
    expect(issueLabel('2026-通-012', 'en')).toBe('2026 No. 12')
    expect(satisfactionRate({ sample_size: 0 })).toBe('')
  })
  it('details: nested rows with their own labels, money in 元, references and links by name', () => {
    const record = {
      kind: 'pairing', date: '2026-10-01', beneficiary: '赵大山', household_id: 'h1', content: '独居',
      visits: [{ date: '2026-11-02', content: '送米', money_fen: 20000 }],
    }
    const lines = displayLines('services', record, lists, t, 'zh', { fields: SCHEMAS.services.fields, refs: { h1: '赵大山　翠月湖村一组3号' } })
    const by = Object.fromEntries(lines.map((l) => [l.key, [l.label, l.value]]))
    expect(by.household_id).toEqual(['所在户', '赵大山　翠月湖村一组3号'])
    expect(by.visits[1]).toBe('（1）走访日期：2026年11月2日；资金（元）：200 元；帮扶内容：送米')
    const log = displayLines('work_log', { links: [{ register: 'visits', id: 'v1' }, { register: 'visits', id: 'gone' }] }, lists, t, 'zh', { fields: SCHEMAS.work_log.fields, refs: { v1: '2026年11月2日 王芳' } })
    expect(log.find((l) => l.key === 'links')!.value).toBe('入户走访登记：2026年11月2日 王芳\n入户走访登记：（记录不存在）')
  })
  it('finds the ids a record points to', () => {
    expect(referencedIds(SCHEMAS.work_log.fields, { links: [{ register: 'visits', id: 'v1' }] })).toEqual([{ register: 'visits', id: 'v1' }])
    expect(referencedIds(SCHEMAS.team_members.fields, { team_id: 't1' })).toEqual([{ register: 'teams', id: 't1' }])
  })
  it('short titles of records for pickers', () => {
    expect(recordTitle('visits', { date: '2026-11-02', head_name: '王芳' })).toBe('2026年11月2日 王芳')
    expect(recordTitle('notices', { record_no: '2026-通-003', title: '防诈骗' })).toBe('2026年第3期 防诈骗')
    expect(recordTitle('households', { head_name: '王芳', village: '翠月湖村', group: '三组', house_no: '12号' })).toBe('王芳　翠月湖村三组12号')
  })
})

describe('periods', () => {
  it('defaults to the quarter of today and writes the codes the core reads', () => {
    expect(currentQuarter('2026-11-28')).toEqual({ kind: 'quarter', year: 2026, n: 4 })
    expect(periodCode({ kind: 'quarter', year: 2026, n: 4 })).toBe('2026-Q4')
    expect(periodCode({ kind: 'half', year: 2026, n: 2 })).toBe('2026-H2')
    expect(periodCode({ kind: 'year', year: 2026, n: 1 })).toBe('2026')
    expect(withKind({ kind: 'quarter', year: 2026, n: 4 }, 'half', '2026-11-28')).toEqual({ kind: 'half', year: 2026, n: 2 })
    expect(withKind({ kind: 'half', year: 2026, n: 1 }, 'quarter', '2026-11-28')).toEqual({ kind: 'quarter', year: 2026, n: 2 })
  })
})
