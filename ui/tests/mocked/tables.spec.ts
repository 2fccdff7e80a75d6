// The spreadsheet screen (表格导入导出): choose an old ledger sheet, see how its columns are
// read and correct one (kept for the next import), see the refused row and why, import, write
// the refused rows out, and export a register (a restricted one only after confirming).
// Screenshot at 1366×768: ui/test-results/mocked/tables.png.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { closeApp, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'
import { TablesBackend } from './support/fakeTables'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let browser: Browser
let app: AppPage | null = null

beforeAll(async () => {
  browser = await launch()
})
afterEach(async () => {
  await closeApp(app)
  app = null
})
afterAll(async () => {
  await browser?.close()
})

// A real old-ledger sheet made by another program (openpyxl; crates/cunjing-table/tests/fixtures).
const SHEET = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'crates', 'cunjing-table', 'tests', 'fixtures', 'visits_openpyxl.xlsx')

async function chooseFile(page: Page) {
  await page.getByTestId('tables-file').setInputFiles(SHEET)
}

describe('tables', () => {
  it('checks a sheet, takes a corrected column, imports, writes the refused rows and exports', async () => {
    const backend = new TablesBackend(realCodeLists())
    app = await openApp(browser, backend, '#/tables')
    const { page } = app
    await page.getByRole('heading', { name: '表格导入导出' }).waitFor()
    await chooseFile(page)
    await until(() => page.getByTestId('tables-summary').innerText()).toContain('可导入 3 行')
    await expect(page.getByTestId('tables-summary').innerText()).resolves.toContain('未通过 1 行')
    await expect(page.getByTestId('tables-sheet').innerText()).resolves.toContain('表头在第 2 行')
    const check = backend.callsOf('table_import_check')[0]
    expect(check.register).toBe('visits')
    expect(check.name).toBe('visits_openpyxl.xlsx')
    expect(check.bytes).toEqual([...readFileSync(SHEET)])
    const refused = page.getByTestId('tables-refused')
    await expect(refused.innerText()).resolves.toContain('走访方式')
    await expect(refused.innerText()).resolves.toContain('「走访方式」没有「路过」这一项')

    // 备注 is not recognised; the officer sends it to 群众反映问题/诉求.
    await page.getByTestId('map-7').click()
    await page.getByRole('option', { name: '群众反映问题/诉求' }).click()
    await until(() => backend.callsOf('table_import_check').length).toBe(2)
    expect(backend.callsOf('table_import_check')[1].mapping).toEqual({ columns: { 备注: 'concerns' } })
    await until(() => page.getByTestId('tables-mapping').innerText()).toContain('已改')
    await screenshot(page, 'tables')

    await page.getByTestId('tables-do-import').click()
    await until(() => page.getByTestId('tables-imported').innerText()).toContain('已导入 3 行')
    expect(backend.callsOf('table_import')[0].mapping).toEqual({ columns: { 备注: 'concerns' } })
    await until(() => page.getByTestId('tables-summary').innerText()).toContain('已有 3 行')

    await page.getByTestId('tables-write-refused').click()
    await until(() => page.getByTestId('tables-refused-file').innerText()).toContain('未通过的 1 行已写成表格')
    await expect(page.getByTestId('tables-refused-file').innerText()).resolves.toContain('visits_openpyxl-未导入.xlsx')

    // Export: a restricted register needs an explicit confirmation.
    await page.getByTestId('tables-export-register').click()
    await page.getByRole('option', { name: '重点对象/关注对象' }).click()
    await page.getByTestId('tables-do-export').click()
    await until(() => page.getByTestId('tables-export-error').innerText()).toContain('受限台账')
    await page.getByTestId('tables-restricted').click()
    await page.getByTestId('tables-do-export').click()
    await until(() => page.getByTestId('tables-exported').innerText()).toContain('已导出 12 行')
    const exports = backend.callsOf('table_export')
    expect(exports.map((a) => [a.register, a.restricted, a.format])).toEqual([['key_persons', false, 'xlsx'], ['key_persons', true, 'xlsx']])
    expect(leaksIn(await page.locator('body').innerText())).toEqual([])
    expect(app.errors, app.errors.join("\n")).toEqual([])
  })

  it('uses the saved column choices for the next sheet with the same headings', async () => {
    const backend = new TablesBackend(realCodeLists())
    app = await openApp(browser, backend, '#/tables')
    const { page } = app
    await page.evaluate(() => localStorage.setItem('cunjing.tables.mapping.visits', JSON.stringify({ columns: { 备注: 'hazards', 别的表的列: null } })))
    await chooseFile(page)
    await until(() => backend.callsOf('table_import_check').length).toBe(2)
    expect(backend.callsOf('table_import_check')[1].mapping).toEqual({ columns: { 备注: 'hazards' } })
    await until(() => page.getByTestId('tables-mapping').innerText()).toContain('已改')
    expect(app.errors, app.errors.join("\n")).toEqual([])
  })

  it('exports the county tables in station mode', async () => {
    const backend = new TablesBackend(realCodeLists(), null)
    backend.sync.handle('station_init', { name: '青山镇派出所' })
    app = await openApp(browser, backend, '#/tables')
    const { page } = app
    await page.getByTestId('tables-export').waitFor()
    expect(await page.getByTestId('tables-import').count()).toBe(0)
    await page.getByTestId('tables-county-table').click()
    await page.getByRole('option', { name: '纠纷调处统计（按类型和结果）' }).click()
    await page.getByTestId('tables-do-export').click()
    await until(() => page.getByTestId('tables-exported').innerText()).toContain('已导出 4 行')
    expect(backend.callsOf('station_table_export').map((a) => [a.table, a.format])).toEqual([['disputes', 'xlsx']])
    expect(app.errors, app.errors.join('\n')).toEqual([])
  })
})
