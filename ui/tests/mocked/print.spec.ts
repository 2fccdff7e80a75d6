// The print screen: each document previews as page images from the core's SVG, "save" and
// "print" say where the PDF went, a refused period shows the core's message; the wall
// display's profile is edited in Settings. Screenshot at 1366×768: ui/test-results/mocked/print.png.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { FakeBackend, ipcError } from './support/fakeBackend'
import { closeApp, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

describe('print', () => {
  it('previews a ledger, saves and prints it, and shows a refusal', async () => {
    const backend = new FakeBackend(realCodeLists())
    app = await openApp(browser, backend, '#/print')
    const { page } = app
    await page.getByRole('heading', { name: '打印' }).waitFor()
    await page.getByTestId('print-preview').click()
    await until(() => page.locator('[data-testid="print-sheets"] img').count()).toBe(2)
    await expect(page.getByTestId('print-info').innerText()).resolves.toContain('共 3 页')
    const request = backend.callsOf('print_preview')[0].request as Record<string, unknown>
    expect(request.kind).toBe('ledger')
    expect(request.register).toBe('visits')
    expect(String(request.to)).toBe(backend.today)
    await screenshot(page, 'print')

    await page.getByTestId('print-save').click()
    await until(() => page.getByTestId('print-saved').innerText()).toContain('已保存 PDF')
    await page.getByTestId('print-send').click()
    await until(() => page.getByTestId('print-saved').innerText()).toContain('已在 PDF 阅读器中打开')

    await page.getByText('考评表', { exact: true }).click()
    backend.failNext('print_preview', ipcError('invalid_date', 'period', '期间应为月份（2026-11）或季度（2026-Q4）'))
    await page.getByTestId('print-preview').click()
    await until(() => page.getByTestId('print-error').innerText()).toContain('期间应为月份')
    const body = await page.locator('body').innerText()
    expect(leaksIn(body)).toEqual([])
    expect(app.errors).toEqual([])
  })

  it('edits the wall display profile in Settings', async () => {
    const backend = new FakeBackend(realCodeLists())
    app = await openApp(browser, backend, '#/settings')
    const { page } = app
    const card = page.getByTestId('wall-profile')
    await card.getByText('公开栏信息').waitFor()
    const textarea = card.locator('textarea').first()
    await textarea.fill('有警必接\n群众来访热情接待')
    await card.getByRole('button', { name: '保存' }).click()
    await until(() => backend.printProfile.commitments).toBe('有警必接\n群众来访热情接待')
    expect(app.errors).toEqual([])
  })
})
