import { describe, expect, it } from 'vitest'
import type { ImportReport } from '../bindings/ImportReport'
import { baseName, bundleLabel, filesOfKind, formatBytes, reportTotals } from './sync'

describe('formatBytes', () => {
  it('reads like a file manager', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(141708)).toBe('138 KB')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MB')
  })
})

const report: ImportReport = {
  dry_run: true,
  gaps: [],
  bundles: [
    {
      file: '/media/u/DC01-1.cjb', office_code: 'DC01', office_name: '东村警务室', seq: 1, status: 'would_import', code: null,
      message: '', record_count: 5,
      changes: [
        { register: 'visits', new: 3, updated: 1, voided: 1, unchanged: 0 },
        { register: 'households', new: 0, updated: 0, voided: 0, unchanged: 2 },
      ],
    },
    { file: '/media/u/DC01-2.cjb', office_code: 'DC01', office_name: '东村警务室', seq: 2, status: 'already_imported', code: null, message: '', record_count: 1, changes: [] },
    { file: 'E:\\junk.cjb', office_code: null, office_name: null, seq: null, status: 'refused', code: 'sync_file_refused', message: '不是', record_count: 0, changes: [] },
  ],
}

describe('reportTotals', () => {
  it('counts bundles by outcome and records by change', () => {
    expect(reportTotals(report)).toEqual({ bundles: 3, imported: 1, already: 1, refused: 1, new: 3, updated: 1, voided: 1, unchanged: 2 })
  })
})

describe('labels', () => {
  it('names the office and number, or the file', () => {
    const seq = (n: number) => `第 ${n} 号`
    expect(bundleLabel(report.bundles[0], seq)).toBe('东村警务室（DC01） 第 1 号')
    expect(bundleLabel(report.bundles[2], seq)).toBe('junk.cjb')
    expect(baseName('/media/u/DC01-1.cjb')).toBe('DC01-1.cjb')
    expect(baseName('E:\\DC01.cjk')).toBe('DC01.cjk')
  })
  it('filters files by kind', () => {
    const files = [
      { name: 'a.cjb', path: '/a.cjb', kind: 'bundle' as const, bytes: 1, modified: null },
      { name: 'b.cjr', path: '/b.cjr', kind: 'receipt' as const, bytes: 1, modified: null },
    ]
    expect(filesOfKind(files, 'receipt').map((f) => f.name)).toEqual(['b.cjr'])
  })
})
