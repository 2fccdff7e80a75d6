import { describe, expect, it } from 'vitest'
import { idleExpired, idleMinutesValid, length, newPassphraseProblem, strength } from './passphrase'

describe('new passphrases', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(length('翠月湖村警务室口')).toBe(8)
    expect(length('𠮷𠮷')).toBe(2)
  })
  it('checks length and repetition in that order', () => {
    expect(newPassphraseProblem('', '')).toBe('empty')
    expect(newPassphraseProblem('short', 'short')).toBe('tooShort')
    expect(newPassphraseProblem('翠月湖村警务室口', '翠月湖村警务室')).toBe('mismatch')
    expect(newPassphraseProblem('翠月湖村警务室口', '翠月湖村警务室口')).toBeNull()
  })
  it('grades strength', () => {
    expect(strength('1234567')).toBe('weak')
    expect(strength('12345678')).toBe('fair')
    expect(strength('Cuiyuehu-2026')).toBe('strong')
    expect(strength('cuiyuehucunjingwushi')).toBe('strong')
  })
})

describe('idle lock', () => {
  it('accepts whole minutes up to four hours', () => {
    expect(idleMinutesValid(0)).toBe(true)
    expect(idleMinutesValid(10)).toBe(true)
    expect(idleMinutesValid(240)).toBe(true)
    expect(idleMinutesValid(241)).toBe(false)
    expect(idleMinutesValid(1.5)).toBe(false)
    expect(idleMinutesValid(-1)).toBe(false)
  })
  it('expires after the minutes, never at 0', () => {
    expect(idleExpired(0, 9 * 60_000, 10)).toBe(false)
    expect(idleExpired(0, 10 * 60_000, 10)).toBe(true)
    expect(idleExpired(0, 1e12, 0)).toBe(false)
  })
})
