import { describe, expect, it } from 'vitest'
import type { CheckReport } from '../bindings/CheckReport'
import { checkLines, fileName, folderOf, madeAtText } from './backup'

describe('madeAtText', () => {
  it('reads a fresh backup and one listed from its file name alike', () => {
    expect(madeAtText('2026-11-28T10:05:00+08:00')).toBe('2026年11月28日 10:05')
    expect(madeAtText('2026-11-28T10:05:00')).toBe('2026年11月28日 10:05')
    expect(madeAtText('2026-11-28T10:05:00', 'en')).toBe('2026-11-28 10:05')
  })
  it('gives nothing for a backup of unknown time', () => {
    expect(madeAtText('')).toBe('')
    expect(madeAtText(null)).toBe('')
  })
})

describe('paths', () => {
  it('splits Linux and Windows paths', () => {
    expect(folderOf('/home/jing/.local/share/cunjing/office.db')).toBe('/home/jing/.local/share/cunjing')
    expect(fileName('/home/jing/.local/share/cunjing/office.db')).toBe('office.db')
    expect(folderOf('C:\\Users\\jing\\cunjing\\office.db')).toBe('C:\\Users\\jing\\cunjing')
    expect(fileName('E:\\office-CYH-01-20261128T100000.db')).toBe('office-CYH-01-20261128T100000.db')
  })
})

function report(over: Partial<CheckReport> = {}): CheckReport {
  return {
    integrity: 'ok', audit_entries: 120, audit_break: null, records_checked: 80, record_mismatches: [],
    view_log_entries: 7, view_log_break: null, backup_dir: '/db/backups', backups: 3,
    newest_backup: { path: '/db/backups/office-CYH-01-20261128T100000.db', made_at: '2026-11-28T10:00:00', bytes: 4096, records: 80, schema_version: 9 },
    newest_backup_age_days: 0, encrypted: true, plain_backups: 0, ok: true, problems: [], ...over,
  }
}

describe('checkLines', () => {
  it('all sound: five parts, each ok, with their figures', () => {
    const lines = checkLines(report())
    expect(lines.map((l) => l.part)).toEqual(['integrity', 'audit', 'records', 'viewLog', 'backups'])
    expect(lines.every((l) => l.ok)).toBe(true)
    expect(lines[1].params.n).toBe(120)
    expect(lines[4].params).toMatchObject({ n: 3, at: '2026年11月28日 10:00' })
  })
  it('names where a chain breaks and how many records differ', () => {
    const lines = checkLines(report({
      integrity: '*** in database main ***', audit_entries: null, audit_break: { entry_id: 17, reason: '哈希不符' },
      record_mismatches: [{ record_id: 'a', register: 'visits', reason: '内容与最后一次留痕不符（在程序之外被改动）' }],
      view_log_entries: null, view_log_break: { entry_id: 2, reason: '缺少' }, ok: false,
    }))
    expect(lines.filter((l) => !l.ok).map((l) => l.part)).toEqual(['integrity', 'audit', 'records', 'viewLog'])
    expect(lines[1]).toMatchObject({ key: 'bad', params: { n: 17, reason: '哈希不符' } })
    expect(lines[2].params.bad).toBe(1)
  })
  it('no backup, or an old one, is a problem', () => {
    expect(checkLines(report({ newest_backup: null, newest_backup_age_days: null, backups: 0 }))[4]).toMatchObject({ ok: false, key: 'none', params: { dir: '/db/backups' } })
    expect(checkLines(report({ newest_backup_age_days: 5 }))[4]).toMatchObject({ ok: false, key: 'old', params: { days: 5 } })
  })
  it('says 50+ when the core cut the list of differing records', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ record_id: String(i), register: 'visits', reason: 'x' }))
    expect(checkLines(report({ record_mismatches: many }))[2].params.bad).toBe('50+')
  })
})
