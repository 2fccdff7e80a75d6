// Every screen with an office and a few records: its title, its table where it has one, real
// content in Chinese, no raw codes or English leaks, no errors in the console, and a screenshot
// at 1366×768 (ui/test-results/mocked/<name>.png) for a person to look at.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend } from './support/fakeBackend'
import { closeApp, dateZh, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

interface Screen {
  name: string
  hash: string
  /** The page heading. */
  title: string | RegExp
  /** data-testid of the screen's table, if it has one. */
  table?: string
  /** Text that must show (in the table if there is one, else anywhere on the page). */
  shows: (today: string) => string[]
}

const SCREENS: Screen[] = [
  {
    name: 'dashboard', hash: '#/', title: /^\d{4}年\d{1,2}月工作情况$/,
    shows: (today) => [`截至 ${dateZh(today)}`, '走访户数', '重点对象走访', '本周驻村天数', '群防群治自行巡逻', '还差 29', '走访 1 次，谈心 1 人', '未结（受理/调解中）', '没有待回访的纠纷', '登记走访'],
  },
  {
    name: 'visits', hash: '#/visits', title: '入户走访', table: 'register-table',
    shows: (today) => [dateZh(today), '赵大山', '翠月湖村一组3号', '入户', '信息采集核对、帮扶', '李建国', '共 1 条'],
  },
  {
    name: 'patrols', hash: '#/patrols', title: '巡逻登记', table: 'register-table',
    shows: () => ['民警带队', '徒步', '李建国'],
  },
  {
    name: 'disputes', hash: '#/disputes', title: '纠纷调处', table: 'register-table',
    shows: (today) => [`${today.slice(0, 4)}-纠-001`, '房屋宅基地', '调解中'],
  },
  {
    name: 'households', hash: '#/households', title: '住户', table: 'register-table',
    shows: () => ['王芳', '赵大山', '翠月湖村'],
  },
  {
    name: 'residents', hash: '#/residents', title: '人员', table: 'register-table',
    shows: () => ['王芳', '女'],
  },
  {
    name: 'settings', hash: '#/settings', title: '设置',
    shows: () => ['警务室信息', '工作目标', '每月走访户数', '调解成功后回访期限（天）', '数据库文件'],
  },
  {
    name: 'search', hash: '#/search?q=王芳', title: '查找结果：王芳', table: 'search-results',
    shows: () => ['住户登记', '翠月湖村三组12号 户主 王芳', '实有人口登记', '纠纷调处登记簿', '姓名：王芳'],
  },
]

describe('every screen, in Chinese', () => {
  for (const s of SCREENS) {
    it(`${s.hash}: heading${s.table ? ', table' : ''}, Chinese only → ${s.name}.png`, async () => {
      const backend = new FakeBackend(codeLists)
      backend.seedVillage()
      app = await openApp(browser, backend, s.hash)
      const { page } = app
      const heading = page.locator('.page-title').first()
      await until(() => heading.innerText()).toMatch(typeof s.title === 'string' ? new RegExp(`^${s.title}$`) : s.title)

      // The side menu and the header are there and in Chinese.
      const menu = await page.locator('.el-menu').first().innerText()
      for (const item of ['首页', '入户走访', '巡逻登记', '纠纷调处', '住户', '人员', '设置']) expect(menu).toContain(item)
      expect(await page.getByTestId('global-search').getAttribute('placeholder')).toContain('拼音')

      const where = s.table ? page.getByTestId(s.table) : page.locator('.page')
      if (s.table) await until(() => where.locator('tbody tr').count()).toBeGreaterThan(0)
      for (const text of s.shows(backend.today)) await until(() => page.locator('.page').innerText()).toContain(text)
      if (s.table) for (const text of s.shows(backend.today).filter((t) => !t.startsWith('共'))) expect(await where.innerText()).toContain(text)

      await page.waitForLoadState('networkidle')
      const body = await page.locator('body').innerText()
      expect(leaksIn(body), `leaks on ${s.hash}`).toEqual([])
      expect(app.errors, `console errors on ${s.hash}`).toEqual([])
        await screenshot(page, s.name)
    })
  }
})
