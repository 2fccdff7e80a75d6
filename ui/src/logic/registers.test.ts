import { describe, expect, it } from 'vitest'
import { codeLabel, displayLines } from './registers'
import type { CodeLists } from '../bindings/CodeLists'
import zh from '../i18n/zh-CN'

const lists = {
  visit_method: [{ code: 'in_home', zh: '入户', en: 'In the home' }],
  visit_purpose: [
    { code: 'info_check', zh: '信息采集核对', en: 'Information check' },
    { code: 'aid', zh: '帮扶', en: 'Aid' },
  ],
  satisfaction: [],
  party_role: [{ code: 'applicant', zh: '申请方', en: 'Applicant' }],
} as unknown as CodeLists

// A minimal t() over the real zh-CN messages.
const t = (key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], zh) as string ?? key

describe('displayLines', () => {
  it('shows labels, code names and dates in Chinese, and leaves blanks out', () => {
    const lines = displayLines(
      'visits',
      { date: '2026-03-05', officer: '李建国', household_id: 'x', head_name: '王芳', method: 'in_home', purposes: ['info_check', 'aid'], concerns: null, version: 2, created_at: '2026-03-05T10:00:00+08:00', created_by: '李建国', voided: false },
      lists,
      t,
      'zh',
    )
    const byKey = Object.fromEntries(lines.map((l) => [l.key, [l.label, l.value]]))
    expect(byKey.date).toEqual(['日期', '2026年3月5日'])
    expect(byKey.method).toEqual(['走访方式', '入户'])
    expect(byKey.purposes).toEqual(['走访内容', '信息采集核对、帮扶'])
    expect(byKey.concerns).toBeUndefined()
    expect(byKey.household_id).toBeUndefined()
    expect(byKey.version).toEqual(['版本', '2'])
    expect(lines.map((l) => l.value).join()).not.toMatch(/in_home|info_check/)
  })
  it('writes nested rows one per line', () => {
    const lines = displayLines('disputes', { parties: [{ name: '张三', role: 'applicant' }, { name: '李四', role: 'applicant' }] }, lists, t, 'zh')
    expect(lines[0].value).toBe('（1）姓名：张三；当事人身份：申请方\n（2）姓名：李四；当事人身份：申请方')
  })
})

describe('codeLabel', () => {
  it('uses the current language and falls back to the code', () => {
    expect(codeLabel(lists, 'visit_method', 'in_home', 'en')).toBe('In the home')
    expect(codeLabel(lists, 'visit_method', 'nope', 'zh')).toBe('nope')
  })
})
