import { describe, expect, it } from 'vitest'
import { progress, progressStatus } from './progress'

describe('progress towards a target', () => {
  it('is capped at 100% and done at the target', () => {
    expect(progress(15, 30)).toMatchObject({ percent: 50, done: false })
    expect(progress(31, 30)).toMatchObject({ percent: 100, done: true })
    expect(progressStatus(progress(30, 30))).toBe('success')
    expect(progressStatus(progress(2, 3))).toBe('warning')
  })
  it('shows a figure with no target as having none', () => {
    const p = progress(4, 0)
    expect(p.noTarget).toBe(true)
    expect(progressStatus(p)).toBe('')
  })
})
