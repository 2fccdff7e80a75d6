// 用演示数据体验 (issue 6): from the first-run screen into the demo's own database and back.
// The real shell restarts to switch databases; here the page is reloaded after the command.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend } from './support/fakeBackend'
import { closeApp, launch, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

describe('explore with demo data', () => {
  it('opens the demo from the setup screen, marks every screen 演示, and goes back to the real office', async () => {
    app = await openApp(browser, new FakeBackend(codeLists, null), '#/')
    const { page, backend } = app
    await until(() => page.locator('h1').innerText()).toContain('首次设置')
    expect(await page.getByTestId('demo-enter').innerText()).toContain('用演示数据体验')
    expect(await page.getByTestId('demo-banner').count(), 'no demo band on the real setup screen').toBe(0)

    await page.getByTestId('demo-enter').click()
    await until(() => backend.callsOf('demo_enter').length).toBe(1)
    await page.reload()
    await page.getByTestId('dashboard').waitFor()

    // Marked on every screen: the band under the window's top edge and the tag by the name.
    for (const hash of ['#/', '#/visits', '#/residents', '#/settings']) {
      await page.goto(`http://cunjing.test/${hash}`)
      await page.getByTestId('demo-banner').waitFor()
      expect(await page.getByTestId('demo-banner').innerText()).toContain('演示数据')
      expect(await page.getByTestId('brand-demo').innerText()).toBe('演示')
      expect(await page.locator('.brand-office').innerText()).toBe('演示警务室')
    }
    await page.goto('http://cunjing.test/#/')
    await page.getByTestId('dashboard').waitFor()
    const band = await page.getByTestId('demo-banner').boundingBox()
    expect(band, 'the band is on screen').not.toBeNull()
    expect(band!.y + band!.height).toBeLessThan(100)
    expect(band!.x + band!.width).toBeLessThanOrEqual(1366)
    await screenshot(page, 'demo-dashboard')

    await page.getByTestId('demo-leave').click()
    await until(() => backend.callsOf('demo_leave').length).toBe(1)
    await page.reload()
    await until(() => page.locator('h1').innerText()).toContain('首次设置')
    expect(await page.getByTestId('demo-banner').count()).toBe(0)
    expect(app.outside).toEqual([])
  })
})
