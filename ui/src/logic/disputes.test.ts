import { describe, it, expect } from 'vitest'
import {
  DISPUTE_STATUSES,
  dropBlankRows,
  isBlankRow,
  isDisputeStatus,
  needsOutcome,
  nextStatuses,
  partyNames,
  showsFollowups,
  statusChoices,
  statusTag,
} from './disputes'

describe('nextStatuses (mirror of DisputeStatus::next in dispute.rs)', () => {
  it('lets an accepted dispute be mediated, settled on the spot, referred or withdrawn', () => {
    expect(nextStatuses('accepted')).toEqual(['mediating', 'resolved', 'failed', 'referred', 'withdrawn'])
  })
  it('lets a dispute under mediation end in any outcome but not go back', () => {
    expect(nextStatuses('mediating')).toEqual(['resolved', 'failed', 'referred', 'withdrawn'])
    expect(nextStatuses('mediating')).not.toContain('accepted')
  })
  it('lets every outcome only be closed', () => {
    for (const s of ['resolved', 'failed', 'referred', 'withdrawn'] as const) expect(nextStatuses(s)).toEqual(['closed'])
  })
  it('allows nothing after closing', () => {
    expect(nextStatuses('closed')).toEqual([])
  })
  it('never offers a status twice or the status itself', () => {
    for (const s of DISPUTE_STATUSES) {
      const next = nextStatuses(s)
      expect(new Set(next).size).toBe(next.length)
      expect(next).not.toContain(s)
      expect(next).not.toContain('accepted')
    }
  })
})

describe('statusChoices', () => {
  it('puts the stored status first, then the allowed moves', () => {
    expect(statusChoices('mediating')).toEqual(['mediating', 'resolved', 'failed', 'referred', 'withdrawn'])
    expect(statusChoices('resolved')).toEqual(['resolved', 'closed'])
    expect(statusChoices('closed')).toEqual(['closed'])
  })
  it('falls back to accepted for a missing or unknown status', () => {
    expect(statusChoices(null)).toEqual(['accepted'])
    expect(statusChoices(undefined)).toEqual(['accepted'])
    expect(statusChoices('bogus')).toEqual(['accepted'])
  })
})

describe('status helpers', () => {
  it('knows the statuses', () => {
    expect(isDisputeStatus('referred')).toBe(true)
    expect(isDisputeStatus('REFERRED')).toBe(false)
    expect(isDisputeStatus(3)).toBe(false)
  })
  it('asks for an outcome note when resolved, failed or referred (needs_outcome)', () => {
    expect(DISPUTE_STATUSES.filter(needsOutcome)).toEqual(['resolved', 'failed', 'referred'])
  })
  it('shows follow-ups for resolved and closed disputes', () => {
    expect(DISPUTE_STATUSES.filter(showsFollowups)).toEqual(['resolved', 'closed'])
  })
  it('gives every status a tag colour', () => {
    for (const s of DISPUTE_STATUSES) expect(statusTag(s).type).toMatch(/^(primary|success|info|warning|danger)$/)
    expect(statusTag('failed').type).toBe('danger')
    expect(statusTag('resolved').type).toBe('success')
  })
})

describe('partyNames', () => {
  it('joins the names with 、 and skips blanks', () => {
    expect(partyNames([{ name: '张三' }, { name: ' ' }, { name: '李四' }, null])).toBe('张三、李四')
  })
  it('copes with a missing list', () => {
    expect(partyNames(undefined)).toBe('')
    expect(partyNames('x')).toBe('')
  })
})

describe('blank rows', () => {
  const keys = ['name', 'phone', 'sex']
  it('counts empty strings, null and false as nothing', () => {
    expect(isBlankRow({ name: ' ', phone: null, sex: null, role: 'applicant' }, keys)).toBe(true)
    expect(isBlankRow({ name: '王', phone: null }, keys)).toBe(false)
    expect(isBlankRow({ recurrence: false }, ['recurrence'])).toBe(true)
    expect(isBlankRow({ recurrence: true }, ['recurrence'])).toBe(false)
  })
  it('drops rows with no content, whatever their defaults', () => {
    const rows = [
      { content: '双方到场', participants: '', date: '2026-03-01' },
      { content: '', participants: null, date: '2026-03-02' },
    ]
    expect(dropBlankRows(rows, ['content', 'participants'])).toEqual([rows[0]])
  })
  it('keeps a minimum of rows so required-minimum errors land on shown rows', () => {
    const a = { name: '张三', role: 'applicant' }
    const b = { name: '', role: 'respondent' }
    const c = { name: '', role: 'other' }
    expect(dropBlankRows([a, b, c], ['name'], 2)).toEqual([a, b])
    expect(dropBlankRows([b, c], ['name'], 2)).toEqual([b, c])
    expect(dropBlankRows([b, a, c], ['name'], 2)).toEqual([b, a])
    expect(dropBlankRows([a, { name: '李四' }, c], ['name'], 2)).toEqual([a, { name: '李四' }])
  })
  it('returns a new array', () => {
    const rows = [{ name: 'x' }]
    expect(dropBlankRows(rows, ['name'])).not.toBe(rows)
  })
})
