// The global search box: Enter shows the hits of every register with what matched, a hit opens
// its record in its register; nothing found and a refused search are said in Chinese.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend, ipcError } from './support/fakeBackend'
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

async function search(page: Page, text: string) {
  const box = field(page, 'global-search')
  await box.fill(text)
  await box.press('Enter')
}

const results = (page: Page) => page.getByTestId('search-results')
const row = (page: Page, text: string) => results(page).locator('tbody tr', { hasText: text })

describe('global search', () => {
  it('Enter shows the hits of every register with what matched', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    app = await openApp(browser, backend, '#/')
    const { page } = app

    await search(page, '王芳')
    await until(() => page.url()).toContain(`#/search?q=${encodeURIComponent('王芳')}`)
    await until(() => results(page).locator('tbody tr').count()).toBe(3)
    expect(backend.callsOf('search')).toContainEqual({ text: '王芳', limit: 100, includeVoided: true })
    expect(await page.locator('.page-title').innerText()).toBe('查找结果：王芳')

    expect(await row(page, '户主 王芳').innerText()).toMatch(/住户登记\s+翠月湖村三组12号 户主 王芳\s+姓名：王芳/)
    expect(await row(page, '1949年生').innerText()).toMatch(/实有人口登记\s+王芳（女，1949年生，常住（户籍））\s+姓名：王芳/)
    expect(await row(page, '纠-001').innerText()).toMatch(/纠纷调处登记簿\s+\d{4}-纠-001 房屋宅基地纠纷（调解中）张三、王芳\s+姓名：王芳/)
    expect(leaksIn(await page.locator('body').innerText())).toEqual([])

    // Other kinds of match are named too.
    await search(page, '翠月湖')
    await until(() => results(page).locator('tbody tr').count()).toBe(4)
    expect(await row(page, '户主 赵大山').innerText()).toContain('地点：翠月湖')
    await search(page, '路灯')
    await until(() => results(page).innerText()).toContain('内容：村口路灯坏了三个月')
    expect(await results(page).innerText()).toContain('入户走访登记')
    await screenshot(page, 'search-text-match')
  })

  it('a hit opens its record in its register', async () => {
    const backend = new FakeBackend(codeLists)
    const { wang } = backend.seedVillage()
    const visit = backend.records.visits[0]
    app = await openApp(browser, backend, '#/')
    const { page } = app

    await search(page, '路灯')
    await row(page, '赵大山').click()
    await until(() => page.url()).toContain(`#/visits?open=${visit.id}`)
    expect(await page.locator('.page-title').innerText()).toBe('入户走访')
    const detail = page.locator('.el-drawer').getByTestId('record-detail')
    await until(() => detail.innerText()).toContain('村口路灯坏了三个月')
    expect(backend.callsOf('record_get')).toContainEqual({ register: 'visits', id: visit.id })

    await page.locator('.el-drawer__close-btn').click()
    await search(page, '王芳')
    await row(page, '户主 王芳').click()
    await until(() => page.url()).toContain(`#/households?open=${wang.id}`)
    expect(await page.locator('.page-title').first().innerText()).toBe('住户')
    await until(() => page.getByTestId('record-detail').first().innerText()).toContain('留守老人/儿童')
    expect(backend.callsOf('record_get')).toContainEqual({ register: 'households', id: wang.id })
  })

  it('shows voided hits marked, says when nothing is found, and shows a refused search', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    backend.handle('record_void', { register: 'visits', id: backend.records.visits[0].id, reason: '重复录入' })
    app = await openApp(browser, backend, '#/')
    const { page } = app

    await search(page, '路灯')
    await until(() => results(page).locator('tbody tr.voided-row').count()).toBe(1)
    expect(await results(page).locator('tbody tr.voided-row').innerText()).toContain('已作废')

    await search(page, '李四光')
    await until(() => page.locator('.page').innerText()).toContain('没有找到「李四光」')
    expect(await results(page).count()).toBe(0)

    backend.failNext('search', ipcError('database', '', '数据库文件无法打开，请检查磁盘'))
    await search(page, '王芳')
    await until(() => page.locator('.page .el-alert').innerText()).toContain('数据库文件无法打开，请检查磁盘')
  })
})
