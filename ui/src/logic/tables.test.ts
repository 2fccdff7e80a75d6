import { describe, expect, it } from 'vitest'
import type { TableColumn } from '../bindings/TableColumn'
import type { TableImportReport } from '../bindings/TableImportReport'
import { forHeadings, loadMapping, mappingFrom, merged, refusedLines, saveMapping, withChoice } from './tables'

const col = (index: number, heading: string, target: string | null, automatic: boolean): TableColumn => ({
  index, heading, target, target_label: null, automatic,
})

describe('import mapping', () => {
  it('keeps only the user choices, and a column left out as null', () => {
    const m = mappingFrom([col(0, '走访日期', 'date', true), col(1, ' 备注 ', 'concerns', false), col(2, '序号', null, false)])
    expect(m).toEqual({ columns: { 备注: 'concerns', 序号: null } })
    expect(withChoice(m, '走访日期', null).columns['走访日期']).toBeNull()
  })

  it('is saved per register and reused for sheets with the same headings', () => {
    const mem = new Map<string, string>()
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) }
    expect(loadMapping(storage, 'visits')).toBeNull()
    saveMapping(storage, 'visits', merged(null, { columns: { 备注: 'hazards', 旧列: null } }))
    const saved = loadMapping(storage, 'visits')
    expect(forHeadings(saved, ['日期', '备注'])).toEqual({ columns: { 备注: 'hazards' } })
    expect(forHeadings(saved, ['日期'])).toBeNull()
    expect(loadMapping(storage, 'patrols')).toBeNull()
    mem.set('cunjing.tables.mapping.visits', '{not json')
    expect(loadMapping(storage, 'visits')).toBeNull()
  })
})

describe('refused rows', () => {
  it('lists each problem with its row and column', () => {
    const report = {
      rows: [
        { row: 3, outcome: 'added', record_id: 'x', record_no: null, problems: [], warnings: [] },
        {
          row: 4, outcome: 'refused', record_id: null, record_no: null, warnings: [],
          problems: [
            { column: '巡逻方式', code: 'unknown_code', field: 'mode', message: '未知的巡逻方式「骑马」' },
            { column: null, code: 'required', field: 'leader', message: '「带队民警」为必填项' },
          ],
        },
      ],
    } as unknown as TableImportReport
    expect(refusedLines(report)).toEqual([
      { row: 4, column: '巡逻方式', message: '未知的巡逻方式「骑马」', code: 'unknown_code' },
      { row: 4, column: '', message: '「带队民警」为必填项', code: 'required' },
    ])
  })
})
