// Spreadsheets in and out (issue 9): the table commands of the Rust side, typed.
import { call } from './ipc'
import type { RefusedRowsFile } from '../bindings/RefusedRowsFile'
import type { RegisterKind } from '../bindings/RegisterKind'
import type { StationTable } from '../bindings/StationTable'
import type { TableExport } from '../bindings/TableExport'
import type { TableImportReport } from '../bindings/TableImportReport'
import type { TableMapping } from '../bindings/TableMapping'

/** A file the user chose: its name (the extension tells its kind) and its bytes. */
export interface ChosenFile {
  name: string
  bytes: number[]
}

export interface ExportRequest {
  register: RegisterKind
  format: 'xlsx' | 'csv'
  from: string | null
  to: string | null
  search: string | null
  restricted: boolean
}

export const tablesApi = {
  /** What importing the file would do (nothing is written). */
  check: (register: RegisterKind, file: ChosenFile, mapping: TableMapping | null) =>
    call<TableImportReport>('table_import_check', { register, name: file.name, bytes: file.bytes, mapping }),
  /** Imports the accepted rows in one transaction. */
  import: (register: RegisterKind, file: ChosenFile, mapping: TableMapping | null) =>
    call<TableImportReport>('table_import', { register, name: file.name, bytes: file.bytes, mapping }),
  /** Writes the refused rows to a sheet in the documents folder. */
  saveRefused: (register: RegisterKind, file: ChosenFile, mapping: TableMapping | null) =>
    call<RefusedRowsFile>('table_refused_save', { register, name: file.name, bytes: file.bytes, mapping, folderPath: null }),
  export: (r: ExportRequest) => call<TableExport>('table_export', { ...r, folderPath: null }),
  stationExport: (table: StationTable, format: 'xlsx' | 'csv', from: string | null, to: string | null) =>
    call<TableExport>('station_table_export', { table, format, from, to, folderPath: null }),
}
