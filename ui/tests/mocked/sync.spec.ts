// USB sync screens against the fake backend: the office enrolls from the stick, exports, is told
// when there is nothing new, and imports the receipt; a station machine shows only the station,
// runs a dry run before the import and reports the missing bundle. Screenshots at 1366×768.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend } from './support/fakeBackend'
import { PASSPHRASE, STATION_CODE } from './support/fakeVault'
import { OFFICE_FP, STATION_FP, STICK } from './support/fakeSync'
import { closeApp, field, launch, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

let browser: Browser
let codeLists: CodeLists
let app: AppPage | null = null

beforeAll(async () => {
  codeLists = realCodeLists()
  browser = await launch()
})
afterEach(async () => {
  if (app) expect(app.errors, 'console errors').toEqual([])
  await closeApp(app)
  app = null
})
afterAll(async () => {
  await browser?.close()
})

describe('office USB sync', () => {
  it('enrolls from the stick, exports, says when there is nothing new, imports the receipt', async () => {
    const backend = new FakeBackend(codeLists)
    backend.sync.plugIn('CYH-01.cje')
    app = await openApp(browser, backend, '#/sync')
    const { page } = app
    await page.getByTestId('sync-not-enrolled').waitFor()
    // The only stick is chosen by itself, and its enrollment file is offered.
    await until(() => field(page, 'usb-folder').inputValue()).toBe(STICK)
    await page.getByTestId('enroll-CYH-01.cje').click()
    await page.getByTestId('enroll-preview').waitFor()
    expect(await page.getByTestId('enroll-preview').innerText()).toContain(STATION_FP)
    await page.getByTestId('enroll-confirm').click()
    await page.getByTestId('sync-enrolled').waitFor()
    const enrolled = await page.getByTestId('sync-enrolled').innerText()
    expect(enrolled).toContain(OFFICE_FP)
    expect(enrolled).toContain('CYH-01.cjk')
    await until(() => page.getByTestId('sync-status').innerText()).toContain('青山镇派出所')

    await page.getByTestId('sync-export').click()
    await page.getByTestId('sync-exported').waitFor()
    const exported = await page.getByTestId('sync-exported').innerText()
    expect(exported).toContain('第 1 号数据包')
    expect(exported).toContain(`${STICK}/CYH-01-1.cjb`)
    expect(exported).toContain('138 KB')
    expect(backend.callsOf('sync_export')).toEqual([{ dir: STICK, mode: 'changes' }])
    await until(() => page.getByTestId('sync-pending').innerText()).toContain('0')
    await screenshot(page, 'sync-exported')

    await page.getByTestId('sync-export').click()
    await until(() => page.getByTestId('sync-nothing').innerText()).toContain('没有新的变更')

    backend.sync.folders[STICK].push({ name: 'CYH-01-receipt-20261129103000.cjr', path: `${STICK}/CYH-01-receipt-20261129103000.cjr`, kind: 'receipt', bytes: 348, modified: null })
    await page.getByTestId('drives-refresh').click()
    await field(page, 'usb-folder').fill(`${STICK}/`)
    await field(page, 'usb-folder').fill(STICK)
    await page.getByTestId('receipt-CYH-01-receipt-20261129103000.cjr').click()
    await page.getByTestId('sync-receipt').waitFor()
    expect(await page.getByTestId('sync-receipt').innerText()).toContain('新确认入库 12 条')
    await until(() => page.getByTestId('sync-unconfirmed').innerText()).toContain('0')
    await screenshot(page, 'sync-receipt')
  })
})

describe('station mode', () => {
  it('shows only the station, dry-runs, imports and reports the missing bundle', async () => {
    const backend = new FakeBackend(codeLists, null)
    backend.sync.handle('station_init', { name: '青山镇派出所' })
    backend.sync.plugIn('CYH-01-1.cjb', 'CYH-01-3.cjb', 'broken-1.cjb', 'CYH-01.cjk')
    app = await openApp(browser, backend, '#/visits')
    const { page } = app
    await page.getByTestId('station-view').waitFor()
    await until(() => page.url()).toContain('#/station')
    // The station's screens only: the station and its county tables (表格导入导出).
    expect(await page.locator('.el-menu').innerText()).toBe('汇总站\n表格导入导出')
    await until(() => page.getByTestId('bundle-list').innerText()).toContain('CYH-01-3.cjb')

    await page.getByTestId('station-dry-run').click()
    await page.getByTestId('import-report').waitFor()
    const dry = await page.getByTestId('import-report').innerText()
    expect(dry).toContain('试导入')
    expect(dry).toContain('拒收')
    expect(dry).toContain('新增 10')
    await screenshot(page, 'station-dry-run')

    await page.getByTestId('station-import').click()
    await until(() => page.getByTestId('import-gap').innerText()).toContain('缺少 翠月湖村警务室（CYH-01）的第 2 号数据包')
    expect(backend.callsOf('station_import').map((c) => c.dryRun)).toEqual([true, false])

    await page.getByRole('tab', { name: '各警务室' }).click()
    await until(() => page.getByTestId('offices-table').innerText()).toContain('缺第 2 号')
    await page.getByTestId('receipt-CYH-01').click()
    await until(() => page.getByTestId('station-written').innerText()).toContain('CYH-01-receipt-20261129103000.cjr')
    await screenshot(page, 'station-offices')
  })

  it('first run can make this machine the station', async () => {
    const backend = new FakeBackend(codeLists, null)
    app = await openApp(browser, backend, '#/')
    const { page } = app
    await page.getByTestId('setup-mode-station').click()
    await field(page, 'setup-station-mode-name').fill('青山镇派出所')
    await field(page, 'setup-station-passphrase').fill(PASSPHRASE)
    await field(page, 'setup-station-passphrase-again').fill(PASSPHRASE)
    expect(await page.getByTestId('setup-station-warning').innerText()).toContain('恢复码')
    await page.getByTestId('setup-station-submit').click()
    // The station's 恢复码, once, before anything else.
    await until(() => page.getByTestId('station-recovery-code-value').innerText()).toBe(STATION_CODE)
    await screenshot(page, 'station-recovery-code')
    await page.getByTestId('station-recovery-code-done').click()
    await page.getByTestId('station-view').waitFor()
    expect(backend.callsOf('vault_setup_station')).toEqual([{ name: '青山镇派出所', passphrase: PASSPHRASE }])
    expect(await page.locator('h2').first().innerText()).toContain('青山镇派出所')
  })
})
