// The spreadsheet part of the fake backend (src-tauri/src/table_commands.rs): one old ledger
// sheet whose check and import answer with the core's report shapes, the user's column choices
// applied. The real reading, mapping and checking are tested in crates/cunjing-table.
import type { TableColumn } from '../../../src/bindings/TableColumn'
import type { TableImportReport } from '../../../src/bindings/TableImportReport'
import type { TableMapping } from '../../../src/bindings/TableMapping'
import type { TableRow } from '../../../src/bindings/TableRow'
import { FakeBackend, ipcError, type Json } from './fakeBackend'

const COMMANDS = new Set(['table_import_check', 'table_import', 'table_refused_save', 'table_export', 'station_table_export'])
export const DOCS = '/home/jing/Documents/村警台账表格'

const HEADINGS: [string, string | null][] = [
  ['序号', null], ['走访日期', 'date'], ['民警', 'officer'], ['户主', 'head_name'], ['住址', 'address'],
  ['走访方式', 'method'], ['走访内容', 'purposes'], ['备注', null],
]
const TARGETS = [
  ['date', '日期'], ['officer', '民警'], ['head_name', '户主姓名'], ['address', '住址'], ['method', '走访方式'],
  ['purposes', '走访内容'], ['people_talked', '谈心人数'], ['concerns', '群众反映问题/诉求'], ['hazards', '发现隐患/线索'],
].map(([path, label]) => ({ path, label }))

export class TablesBackend extends FakeBackend {
  importedRows = 0

  override handle(cmd: string, args: Json): unknown {
    if (!COMMANDS.has(cmd)) return super.handle(cmd, args)
    this.calls.push({ cmd, args })
    switch (cmd) {
      case 'table_import_check':
        return this.report(args, true)
      case 'table_import': {
        const r = this.report(args, false)
        this.importedRows += r.added
        return r
      }
      case 'table_refused_save':
        return { path: `${DOCS}/${String(args.name).replace(/\.[^.]+$/, '')}-未导入.xlsx`, rows: 1 }
      case 'table_export':
        if (args.register === 'key_persons' && !args.restricted) {
          throw ipcError('restricted_register', 'register', '「重点对象/关注对象」属于受限台账，导出须明确确认（命令行加 --restricted）；导出的文件请妥善保管')
        }
        return { path: `${DOCS}/入户走访登记-${this.today}.${String(args.format)}`, rows: 12, columns: 13 }
      default:
        return { path: `${DOCS}/入户走访统计-${this.today}.xlsx`, rows: 4, columns: 8 }
    }
  }

  private report(args: Json, dryRun: boolean): TableImportReport {
    const mapping = (args.mapping as TableMapping | null)?.columns ?? {}
    const columns: TableColumn[] = HEADINGS.map(([heading, auto], index) => {
      const chosen = heading in mapping
      const target = chosen ? (mapping[heading] ?? null) : auto
      return { index, heading, target, target_label: TARGETS.find((x) => x.path === target)?.label ?? null, automatic: !chosen }
    })
    const fresh = this.importedRows === 0
    const row = (n: number, outcome: TableRow['outcome']): TableRow => ({ row: n, outcome, record_id: outcome === 'refused' ? null : `r${n}`, record_no: null, problems: [], warnings: [] })
    const rows: TableRow[] = [3, 4, 6].map((n) => row(n, fresh ? 'added' : 'duplicate'))
    rows.splice(2, 0, {
      ...row(5, 'refused'),
      problems: [{ column: '走访方式', code: 'unknown_code', field: 'method', message: '「走访方式」没有「路过」这一项，可选：入户、电话、田间/现场' }],
    })
    const count = (o: TableRow['outcome']) => rows.filter((r) => r.outcome === o).length
    return {
      register: args.register as TableImportReport['register'], file: String(args.name), sheet: 'Sheet1', encoding: '', header_row: 2,
      columns, targets: TARGETS, rows, added: count('added'), duplicates: count('duplicate'), refused: count('refused'), dry_run: dryRun,
    }
  }
}
