// Every register's new-entry form: opened by 新增 with its title, the first field focused, the
// save button inside the 1366×768 window, and Ctrl+Enter from that field sending the record.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend } from './support/fakeBackend'
import { closeApp, launch, openApp, realCodeLists, until, type AppPage } from './support/app'

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

const FORMS: [register: string, title: string][] = [
  ['households', '新增 · 住户'],
  ['residents', '新增 · 人员'],
  ['disputes', '新增 · 纠纷调处'],
  ['patrols', '新增 · 巡逻登记'],
  ['visits', '新增 · 入户走访'],
]

describe('new-entry forms', () => {
  for (const [register, title] of FORMS) {
    it(`${register}: 新增 opens「${title}」, keyboard-ready, Ctrl+Enter sends it`, async () => {
      const backend = new FakeBackend(codeLists)
      backend.seedVillage()
      app = await openApp(browser, backend, `#/${register}`)
      const { page } = app
      await page.getByTestId('add').click()
      const dialog = page.locator('.el-dialog').filter({ hasText: title })
      await dialog.waitFor({ state: 'visible' })
      expect((await dialog.locator('.el-dialog__title').textContent())?.trim()).toBe(title)
      // Focus is inside the form, so typing can start at once.
      await until(() => page.evaluate(() => !!document.activeElement?.closest('.el-dialog'))).toBe(true)
      // The save button is on screen without scrolling.
      const save = dialog.getByTestId('save')
      const box = await save.boundingBox()
      expect(box).not.toBeNull()
      expect(box!.y + box!.height).toBeLessThanOrEqual(768)
      await page.keyboard.press('Control+Enter')
      await until(() => backend.callsOf('record_add').length).toBe(1)
      expect(backend.callsOf('record_add')[0].register).toBe(register)
    })
  }
})
