import { describe, expect, it } from 'vitest'
import { dateZh, monthZh, timestampZh } from './dates'

describe('dates as people read them', () => {
  it('has no zero padding', () => {
    expect(dateZh('2026-03-05')).toBe('2026年3月5日')
    expect(dateZh('2026-11-28')).toBe('2026年11月28日')
  })
  it('shows timestamps to the minute', () => {
    expect(timestampZh('2026-11-28T09:05:00+08:00')).toBe('2026年11月28日 09:05')
  })
  it('leaves what it cannot read alone', () => {
    expect(dateZh('')).toBe('')
    expect(dateZh('soon')).toBe('soon')
    expect(monthZh('2026-01')).toBe('2026年1月')
  })
})
