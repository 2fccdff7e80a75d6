import { describe, it, expect } from 'vitest'
import {
  bumpHeadcount,
  distinctValues,
  householdTitle,
  maskIdNumber,
  midnightHint,
  minimumHeadcount,
  normalizeTime,
  patrolTimes,
  readIdNumber,
  residentSections,
  stepTime,
  suggest,
} from './roster'

describe('maskIdNumber', () => {
  it('keeps the first 6 and the last 4 characters of an 18-character number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
    expect(maskIdNumber('110101202311012176')).toBe('110101********2176')
  })
  it('shows nothing for a blank number', () => {
    expect(maskIdNumber(null)).toBe('')
    expect(maskIdNumber(undefined)).toBe('')
    expect(maskIdNumber('  ')).toBe('')
  })
  it('masks a short oddity entirely rather than show most of it', () => {
    expect(maskIdNumber('12345')).toBe('*****')
    expect(maskIdNumber('1234567890')).toBe('**********')
  })
  it('never shows the 8 middle characters (birth date) of a 15-digit number either', () => {
    const masked = maskIdNumber('110105491231002')
    expect(masked).toBe('110105********1002')
    expect(masked).not.toContain('491231')
  })
})

describe('readIdNumber', () => {
  it('reads birth date and sex from a valid 18-character number', () => {
    expect(readIdNumber('11010519491231002X')).toEqual({ birthDate: '1949-12-31', sex: 'female' })
    expect(readIdNumber('110101202311012176')).toEqual({ birthDate: '2023-11-01', sex: 'male' })
  })
  it('accepts a lowercase x and surrounding spaces', () => {
    expect(readIdNumber(' 11010519491231002x ')).toEqual({ birthDate: '1949-12-31', sex: 'female' })
  })
  it('reads the legacy 15-digit form as 19YY', () => {
    expect(readIdNumber('110105491231002')).toEqual({ birthDate: '1949-12-31', sex: 'female' })
    expect(readIdNumber('110105491231001')).toEqual({ birthDate: '1949-12-31', sex: 'male' })
  })
  it('gives nothing for incomplete, mistyped or impossible numbers', () => {
    expect(readIdNumber('')).toBeNull()
    expect(readIdNumber(null)).toBeNull()
    expect(readIdNumber('1101051949123100')).toBeNull() // too short
    expect(readIdNumber('110105194912310021')).toBeNull() // wrong check character
    expect(readIdNumber('11010519491331002X')).toBeNull() // month 13, bad checksum anyway
    expect(readIdNumber('440524188001010014')).toBeNull() // before 1900
    expect(readIdNumber('110105490231002')).toBeNull() // 1949-02-31 is not a date
  })
})

describe('headcount', () => {
  it('counts the members plus a leader who is not listed among them', () => {
    expect(minimumHeadcount('李警官', ['张三', '王五'])).toBe(3)
    expect(minimumHeadcount('李警官', ['李警官', '王五'])).toBe(2)
    expect(minimumHeadcount('', ['张三', '王五'])).toBe(2)
    expect(minimumHeadcount(null, ['张三', '张三', ' '])).toBe(1)
  })
  it('is at least 1', () => {
    expect(minimumHeadcount('', [])).toBe(1)
    expect(minimumHeadcount('李警官', [])).toBe(1)
  })
  it('raises a lower headcount and never lowers a higher one', () => {
    expect(bumpHeadcount(1, '李警官', ['张三', '王五'])).toBe(3)
    expect(bumpHeadcount(null, '李警官', ['张三'])).toBe(2)
    expect(bumpHeadcount(10, '李警官', ['张三'])).toBe(10)
    expect(bumpHeadcount(3, '李警官', [])).toBe(3)
  })
})

describe('patrol times', () => {
  it('marks an end on the next day', () => {
    expect(patrolTimes('20:00', '02:00', true, '（次日）')).toBe('20:00–02:00（次日）')
    expect(patrolTimes('08:30', '10:00', false, '（次日）')).toBe('08:30–10:00')
    expect(patrolTimes(null, undefined, false, '（次日）')).toBe('')
  })
  it('hints at the 跨夜 box before the core refuses', () => {
    expect(midnightHint('20:00', '02:00', false)).toBe('tick')
    expect(midnightHint('20:00', '20:00', false)).toBe('tick')
    expect(midnightHint('20:00', '22:00', true)).toBe('untick')
    expect(midnightHint('20:00', '02:00', true)).toBe('ok')
    expect(midnightHint('08:00', '10:00', false)).toBe('ok')
    expect(midnightHint(null, '10:00', false)).toBe('ok')
  })
})

describe('suggestions', () => {
  const households = [
    { village: '翠月湖村', group: '1组' },
    { village: '东山村', group: null },
    { village: '翠月湖村', group: '2组' },
    { village: ' ', group: '3组' },
  ]
  it('lists distinct values, most used first', () => {
    expect(distinctValues(households, 'village')).toEqual(['翠月湖村', '东山村'])
    expect(distinctValues(households, 'group')).toEqual(['1组', '2组', '3组'])
  })
  it('reads string arrays too (patrol members)', () => {
    expect(distinctValues([{ members: ['张三', '王五'] }, { members: ['王五'] }, {}], 'members')).toEqual(['王五', '张三'])
  })
  it('filters by what was typed', () => {
    expect(suggest(['翠月湖村', '东山村'], '东')).toEqual(['东山村'])
    expect(suggest(['翠月湖村', '东山村'], '')).toEqual(['翠月湖村', '东山村'])
    expect(suggest(['翠月湖村'], null)).toEqual(['翠月湖村'])
  })
})

describe('residentSections', () => {
  it('shows stay dates for floating and document fields for foreign residents', () => {
    expect(residentSections({ category: 'floating' })).toEqual({ stay: true, foreign: false })
    expect(residentSections({ category: 'foreign' })).toEqual({ stay: false, foreign: true })
    expect(residentSections({ category: 'registered', stay_from: null, foreign_doc_no: '' })).toEqual({ stay: false, foreign: false })
  })
  it('keeps a filled-in group visible whatever the category', () => {
    expect(residentSections({ category: 'registered', stay_to: '2026-12-31' })).toEqual({ stay: true, foreign: false })
    expect(residentSections({ category: 'registered', foreign_nationality: '越南' })).toEqual({ stay: false, foreign: true })
  })
})

describe('householdTitle', () => {
  it('writes place then head', () => {
    expect(householdTitle({ village: '翠月湖村', group: '3组', house_no: '12号', head_name: '王芳' }, '户主')).toBe('翠月湖村3组12号 户主 王芳')
    expect(householdTitle({ village: '东山村', group: null, house_no: '5号', head_name: '' }, '户主')).toBe('东山村5号')
  })
})

describe('normalizeTime', () => {
  it('reads the usual ways of typing a time', () => {
    expect(normalizeTime('20:00')).toBe('20:00')
    expect(normalizeTime('8:30')).toBe('08:30')
    expect(normalizeTime('2000')).toBe('20:00')
    expect(normalizeTime('830')).toBe('08:30')
    expect(normalizeTime('8')).toBe('08:00')
    expect(normalizeTime('20.30')).toBe('20:30')
    expect(normalizeTime(' 20: ')).toBe('20:00')
  })
  it('reads full-width input from a Chinese input method', () => {
    expect(normalizeTime('２０：００')).toBe('20:00')
    expect(normalizeTime('20：30')).toBe('20:30')
    expect(normalizeTime('20点30分')).toBe('20:30')
    expect(normalizeTime('8点')).toBe('08:00')
  })
  it('refuses what is not a time of day', () => {
    expect(normalizeTime('')).toBeNull()
    expect(normalizeTime(null)).toBeNull()
    expect(normalizeTime('24:00')).toBeNull()
    expect(normalizeTime('20:60')).toBeNull()
    expect(normalizeTime('20:3')).toBeNull()
    expect(normalizeTime('abc')).toBeNull()
    expect(normalizeTime('12345')).toBeNull()
  })
})

describe('stepTime', () => {
  it('moves a time and wraps round midnight', () => {
    expect(stepTime('20:00', 5, '08:00')).toBe('20:05')
    expect(stepTime('20:00', -60, '08:00')).toBe('19:00')
    expect(stepTime('23:58', 5, '08:00')).toBe('00:03')
    expect(stepTime('00:02', -5, '08:00')).toBe('23:57')
  })
  it('starts from the fallback when there is no time yet', () => {
    expect(stepTime('', 5, '08:00')).toBe('08:00')
    expect(stepTime(null, -5, '21:00')).toBe('21:00')
  })
})
