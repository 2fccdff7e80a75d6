// Backups and recovery (issue 7): 数据备份与检查 reached from 设置 (back up now, back up to a
// stick, restore with its confirmation, the data check), the recovery screen alone when the
// database is damaged, and the one-time notice after a restore.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend, ipcError } from './support/fakeBackend'
import { badReport, DB_PATH } from './support/fakeBackup'
import { STICK } from './support/fakeSync'
import { closeApp, field, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

let browser: Browser
let codeLists: CodeLists
let app: AppPage | null = null

beforeAll(async () => {
  codeLists = realCodeLists()
  browser = await launch()
})
afterEach(async () => {
  await closeApp(app)
  app = null
})
afterAll(async () => {
  await browser?.close()
})

function office() {
  const backend = new FakeBackend(codeLists)
  backend.seedVillage()
  return backend
}

async function clean(a: AppPage) {
  await a.page.waitForLoadState('networkidle')
  expect(leaksIn(await a.page.locator('body').innerText()), 'leaks').toEqual([])
  expect(a.errors, 'console errors').toEqual([])
}

describe('数据备份与检查', () => {
  it('is reached from 设置; 立即备份 makes a rotated backup and it tops the list', async () => {
    app = await openApp(browser, office(), '#/settings')
    const { page, backend } = app
    const bar = page.getByTestId('settings-backup')
    await until(() => bar.innerText()).toContain('最近一次备份：2026年11月28日 18:30')
    await page.getByTestId('open-backup').click()
    await until(() => page.locator('.page-title').first().innerText()).toBe('数据备份与检查')
    expect(await page.locator('.el-menu-item.is-active').innerText()).toContain('设置')

    const rows = page.getByTestId('backup-table').locator('tbody tr')
    await until(() => rows.count()).toBe(3)
    expect(await rows.nth(0).innerText()).toContain('2026年11月28日 18:30')
    expect(await rows.nth(0).innerText()).toContain('280 KB')
    expect(await page.getByTestId('backup-list').innerText()).toContain('保存在 /home/jing/.local/share/cunjing/backups')
    expect(await rows.nth(2).innerText()).toContain('2026年11月26日 09:15')

    await page.getByTestId('backup-now').click()
    const made = page.getByTestId('backup-made')
    await until(() => made.innerText()).toContain('已备份：2026年11月29日 09:41，6 条记录，284 KB')
    expect(await made.innerText()).toContain('/home/jing/.local/share/cunjing/backups/office-CYH-01-20261129T094107.db')
    expect(backend.callsOf('backup_now')).toEqual([{ folder: null }])
    await until(() => rows.count()).toBe(4)
    expect(await rows.nth(0).innerText()).toContain('2026年11月29日 09:41')
    await clean(app)
    await screenshot(page, 'backup')
  })

  it('备份到 U 盘 writes into the chosen stick, not the rotated folder', async () => {
    const backend = office()
    backend.sync.plugIn()
    app = await openApp(browser, backend, '#/backup')
    const { page } = app
    const button = page.getByTestId('backup-stick')
    // The one stick plugged in is chosen by itself.
    await until(() => field(page, 'usb-folder').inputValue()).toBe(STICK)
    await until(() => button.isDisabled()).toBe(false)
    await button.click()
    const made = page.getByTestId('backup-made')
    await until(() => made.innerText()).toContain(`${STICK}/office-CYH-01-20261129T094107.db`)
    expect(backend.callsOf('backup_now')).toEqual([{ folder: STICK }])
    expect(await page.getByTestId('backup-table').locator('tbody tr').count()).toBe(3)
    expect(await page.getByTestId('check-card').innerText()).not.toContain('发现')
    expect(await page.locator('.page').innerText()).toContain('U 盘上的备份是加密的')
    await clean(app)
  })

  it('恢复 asks first, in plain words, then sends restore_backup with that row\'s file', async () => {
    const backend = office()
    app = await openApp(browser, backend, '#/backup')
    const { page } = app
    const chosen = backend.backup.backups[1]
    await page.getByTestId('restore-1').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '用这份备份恢复？' })
    await until(() => dialog.isVisible()).toBe(true)
    const text = await dialog.innerText()
    expect(text).toContain('备份时间：2026年11月27日 18:02')
    expect(text).toContain('自动关闭并重新启动')
    expect(text).toContain('这份备份之后录入或修改的内容（包括今天在此之后的工作）都会丢失')
    expect(text).toContain('「office.db.before-restore-（时间）」')
    expect(text).toContain('/home/jing/.local/share/cunjing')
    await screenshot(page, 'backup-restore-dialog')

    // Cancel: nothing asked of the shell.
    await dialog.getByRole('button', { name: '取消' }).click()
    await until(() => dialog.isVisible()).toBe(false)
    expect(backend.callsOf('restore_backup')).toEqual([])

    // Refused (a damaged backup): the dialog says why and stays.
    backend.failNext('restore_backup', ipcError('backup_refused', '', '备份文件已损坏，不能用来恢复'))
    await page.getByTestId('restore-1').click()
    await until(() => dialog.isVisible()).toBe(true)
    await page.getByTestId('restore-confirm').click()
    await until(() => page.getByTestId('restore-error').innerText()).toContain('备份文件已损坏，不能用来恢复')

    await page.getByTestId('restore-confirm').click()
    await until(() => page.getByTestId('restore-restarting').isVisible()).toBe(true)
    expect(backend.callsOf('restore_backup')).toEqual([{ file: chosen.path }, { file: chosen.path }])
    expect(backend.backup.restoreRequests).toEqual([chosen.path])
    expect(app.errors).toEqual([])
  })

  it('检查数据: green when in order; each problem listed, the differing record shown', async () => {
    const backend = office()
    app = await openApp(browser, backend, '#/backup')
    const { page } = app
    await page.getByTestId('check-run').click()
    await until(() => page.getByTestId('check-ok').innerText()).toContain('数据检查通过')
    expect(await page.getByTestId('check-audit').innerText()).toContain('1388 条，环环相扣')
    expect(await page.getByTestId('check-lines').locator('li.bad').count()).toBe(0)

    backend.backup.report = badReport(backend.backup.backups)
    await page.getByTestId('check-run').click()
    const problems = page.getByTestId('check-problems')
    await until(() => problems.innerText()).toContain('发现 2 个问题')
    const items = await problems.locator('li').allInnerTexts()
    expect(items).toEqual(['1 条记录与修改留痕不符（可能在程序之外被改动）', '最近一次备份是 3 天前，请及时备份'])
    expect(await page.getByTestId('check-ok').count()).toBe(0)
    expect(await page.getByTestId('check-records').innerText()).toContain('已核对 1342 条记录，1 条不符')
    expect(await page.getByTestId('check-records').getAttribute('class')).toContain('bad')
    expect(await page.getByTestId('check-backups').innerText()).toContain('最近一份是 3 天前（2026年11月28日 18:30）')
    const mismatch = await page.getByTestId('check-mismatches').locator('tbody tr').first().innerText()
    expect(mismatch).toContain('入户走访')
    expect(mismatch).toContain('0193a7c2')
    expect(mismatch).toContain('在程序之外被改动')
    await clean(app)
    await screenshot(page, 'backup-check')
  })
})

describe('start-up', () => {
  it('asks vault_status, then startup_status, before anything else', async () => {
    app = await openApp(browser, office(), '#/')
    const { page, backend } = app
    await until(() => page.locator('.page-title').first().innerText()).toContain('工作情况')
    // vault_status says the database is open (unlocked); the start-up check's result comes next.
    expect(backend.calls.slice(0, 2).map((c) => c.cmd)).toEqual(['vault_status', 'startup_status'])
    expect(await page.getByTestId('restored-notice').count()).toBe(0)
  })

  it('a damaged database: the recovery screen alone, and its button calls recovery_restore', async () => {
    const backend = office()
    backend.backup.damage()
    app = await openApp(browser, backend, '#/visits')
    const { page } = app
    const view = page.getByTestId('recovery-view')
    await until(() => view.innerText()).toContain('数据库文件已损坏，无法打开')
    const text = await view.innerText()
    expect(text).toContain(`数据库文件 ${DB_PATH} 已损坏`)
    expect(text).toContain('最近一份完好的备份')
    expect(text).toContain('可以用最近一份完好的备份恢复')
    expect(await page.getByTestId('recovery-backup').innerText()).toMatch(/2026年11月28日 18:30[\s\S]*1342 条/)
    // Nothing else: no menu, no search, no other screen, no other command.
    expect(await page.locator('.el-menu').count()).toBe(0)
    expect(await page.getByTestId('global-search').count()).toBe(0)
    expect(await page.getByTestId('register-table').count()).toBe(0)
    expect(backend.calls.map((c) => c.cmd)).toEqual(['vault_status', 'startup_status'])
    await clean(app)
    await screenshot(page, 'recovery')

    await page.getByTestId('recovery-restore').click()
    await until(() => page.getByTestId('recovery-restarting').innerText()).toContain('程序将重新启动')
    expect(backend.callsOf('recovery_restore')).toEqual([{}])
    expect(backend.backup.restoreRequests).toEqual([backend.backup.startup.newest_good_backup!.path])
  })

  it('a damaged database and no backup: says to contact the police station, no button', async () => {
    const backend = office()
    backend.backup.damage(null)
    app = await openApp(browser, backend, '#/')
    const { page } = app
    const none = page.getByTestId('recovery-none')
    await until(() => none.innerText()).toContain('没有找到可用的备份')
    expect(await none.innerText()).toContain('联系派出所')
    expect(await page.getByTestId('recovery-view').innerText()).not.toContain('可以用最近一份完好的备份恢复')
    expect(await page.getByTestId('recovery-restore').count()).toBe(0)
    await clean(app)
    await screenshot(page, 'recovery-none')
  })

  it('after a restore: 已从 X 的备份恢复, once', async () => {
    const backend = office()
    backend.backup.startup.restored_from = '2026-11-28T18:30:05'
    app = await openApp(browser, backend, '#/')
    const { page } = app
    const notice = page.getByTestId('restored-notice')
    await until(() => notice.innerText()).toContain('已从 2026年11月28日 18:30 的备份恢复')
    await until(() => page.locator('.page-title').first().innerText()).toContain('工作情况')
    await screenshot(page, 'restored-notice')
    await notice.locator('.el-alert__close-btn').click()
    await until(() => notice.count()).toBe(0)
    await page.locator('.el-menu-item', { hasText: '入户走访' }).click()
    await until(() => page.locator('.page-title').first().innerText()).toBe('入户走访')
    expect(await page.getByTestId('restored-notice').count()).toBe(0)
    await clean(app)
  })

  it('a refused restore says why, and the app opens as before', async () => {
    const backend = office()
    backend.backup.startup.restore_refused = '备份文件已损坏（database disk image is malformed），没有恢复'
    app = await openApp(browser, backend, '#/')
    const { page } = app
    const notice = page.getByTestId('restore-refused-notice')
    await until(() => notice.innerText()).toContain('备份没有恢复，台账仍是原来的数据')
    expect(await notice.innerText()).toContain('备份文件已损坏（database disk image is malformed），没有恢复')
    await until(() => page.locator('.page-title').first().innerText()).toContain('工作情况')
  })
})
