import { describe, expect, it } from 'vitest'
import { errorsByField, forAdd, forUpdate, unplacedErrors } from './forms'
import type { IpcError } from '../bindings/IpcError'

describe('forAdd', () => {
  it('leaves blank fields out, also inside nested rows', () => {
    expect(forAdd({ date: '2026-11-28', head_name: '  ', purposes: [], people_talked: null, parties: [{ name: '张三', phone: '' }] })).toEqual({
      date: '2026-11-28',
      parties: [{ name: '张三' }],
    })
  })
})

describe('forUpdate', () => {
  it('sends blanks as null so a cleared field is cleared', () => {
    expect(forUpdate({ concerns: '', people_talked: 0, purposes: ['aid'] })).toEqual({ concerns: null, people_talked: 0, purposes: ['aid'] })
  })
})

const err: IpcError = {
  code: 'required',
  field: 'date',
  message: '「日期」为必填项',
  errors: [
    { code: 'required', field: 'date', message: '「日期」为必填项' },
    { code: 'invalid_phone', field: 'parties[1].phone', message: '电话不对' },
    { code: 'future_date', field: 'date', message: '不能晚于今天' },
    { code: 'database', field: '', message: '数据库错误' },
  ],
}

describe('errorsByField', () => {
  it('joins several messages of one field and keeps nested paths', () => {
    const m = errorsByField(err)
    expect(m.date).toBe('「日期」为必填项；不能晚于今天')
    expect(m['parties[1].phone']).toBe('电话不对')
    expect(m['']).toBe('数据库错误')
  })
  it('is empty without an error', () => {
    expect(errorsByField(null)).toEqual({})
  })
})

describe('unplacedErrors', () => {
  it('keeps only messages whose field the form does not show', () => {
    expect(unplacedErrors(err, ['date', 'parties'])).toEqual(['数据库错误'])
    expect(unplacedErrors(err, ['date'])).toEqual(['电话不对', '数据库错误'])
  })
})
