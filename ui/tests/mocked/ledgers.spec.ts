// The further ledgers (issue 8): their menu, lists and schema-driven forms (a nested list, a
// service's fields following its kind, the core's message under a nested field), 重点对象/关注对象
// with its notice and record of looks, the 考评 screen, the dashboard's new figures, the patrol
// form's team pickers and the new targets in settings. Screenshots at 1366×768 go to
// ui/test-results/mocked/ and target/screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend, ipcError, type Json } from './support/fakeBackend'
import { closeApp, DIST, field, formItem, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

let browser: Browser
let codeLists: CodeLists
let app: AppPage | null = null
const TARGET_SHOTS = resolve(DIST, '..', '..', 'target', 'screenshots')
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/

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

async function shot(page: Page, name: string) {
  await screenshot(page, name)
  mkdirSync(TARGET_SHOTS, { recursive: true })
  await page.screenshot({ path: join(TARGET_SHOTS, `${name}.png`), animations: 'disabled' })
}

function village() {
  const backend = new FakeBackend(codeLists)
  const households = backend.seedVillage()
  const ledgers = backend.seedLedgers(households)
  return { backend, ...households, ...ledgers }
}

/** Clicks the radio / checkbox / option labelled `text` inside the form item `label`. */
async function choose(page: Page, label: string, text: string) {
  const item = formItem(page.locator('.el-dialog:visible'), label)
  const radio = item.locator('.el-radio, .el-checkbox').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) })
  if (await radio.count()) return radio.first().click()
  await item.locator('.el-select').first().click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().click()
}

async function bodyClean(a: AppPage, where: string) {
  await a.page.waitForLoadState('networkidle')
  const body = await a.page.locator('body').innerText()
  expect(leaksIn(body), `leaks on ${where}`).toEqual([])
  expect(UUID.exec(body)?.[0], `raw id on ${where}`).toBeUndefined()
  expect(body).not.toContain('重点人口')
  expect(a.errors, `console errors on ${where}`).toEqual([])
}

const LISTS: [register: string, title: string, shows: string[]][] = [
  ['work_log', '民警工作日志', ['矛盾化解', '调解三组宅基地纠纷', '李建国']],
  ['meetings', '村（社区）会议', ['翠月湖村', '村支书张伟', '23']],
  ['services', '为民服务', ['好事实事', '结对帮扶', '赵大山', '200 元', '（帮扶走访 1 次）']],
  ['notices', '警情社情通报', ['年第1期', '近期电信诈骗警情通报', '张贴、微信群']],
  ['intel', '情报信息', ['群体性事件苗头', '青山镇派出所']],
  ['key_persons', '重点对象/关注对象', ['孙某某', '重点对象', '社区矫正人员', '在管']],
  ['surveys', '民意测评', ['翠月湖村全村', '问卷', '95.0%']],
  ['teams', '群防群治队伍', ['翠月湖村打更队', '打更队', '刘强']],
  ['team_members', '群防群治队员', ['刘强', '翠月湖村打更队', '队长', '在岗']],
]

describe('the further ledgers', () => {
  it('are under 「其他台账」 in the menu, with 考评 beside them', async () => {
    app = await openApp(browser, village().backend, '#/')
    const { page } = app
    await page.getByTestId('menu-ledgers').locator('.el-sub-menu__title').click()
    for (const [, title] of LISTS) await page.locator('.el-menu-item:visible').filter({ hasText: title }).first().waitFor()
    await page.locator('.el-menu-item').filter({ hasText: '民意测评' }).click()
    await until(() => page.locator('.page-title').innerText()).toBe('民意测评')
    await page.locator('.el-menu-item').filter({ hasText: /^\s*考评\s*$/ }).click()
    await until(() => page.locator('.page-title').first().innerText()).toBe('考评')
  })

  for (const [register, title, shows] of LISTS) {
    it(`#/ledger/${register}: 「${title}」 lists in Chinese, names not ids`, async () => {
      app = await openApp(browser, village().backend, `#/ledger/${register}`)
      const { page } = app
      await until(() => page.locator('.page-title').innerText()).toBe(title)
      const table = page.getByTestId('register-table')
      await until(() => table.locator('tbody tr').count()).toBeGreaterThan(0)
      for (const text of shows) await until(() => table.innerText()).toContain(text)
      await bodyClean(app, register)
      if (register === 'services' || register === 'team_members') await shot(page, `ledger-${register}`)
    })
  }

  it('every ledger’s new-entry form: focused, save in view, Ctrl+Enter sends it', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/ledger/work_log')
    const { page } = app
    for (const [register, title] of LISTS) {
      await page.locator('.el-menu-item').filter({ hasText: new RegExp(`^\\s*${title.replace(/[()（）/]/g, '.')}\\s*$`) }).click()
      await until(() => page.locator('.page-title').innerText()).toBe(title)
      await page.getByTestId('add').click()
      const dialog = page.locator('.el-dialog').filter({ hasText: `新增 · ${title}` })
      await dialog.waitFor({ state: 'visible' })
      await until(() => page.evaluate(() => !!document.activeElement?.closest('.el-dialog'))).toBe(true)
      const box = await dialog.getByTestId('save').boundingBox()
      expect(box!.y + box!.height).toBeLessThanOrEqual(768)
      const before = backend.callsOf('record_add').length
      await page.keyboard.press('Control+Enter')
      await until(() => backend.callsOf('record_add').length).toBe(before + 1)
      expect(backend.callsOf('record_add')[before].register).toBe(register)
      await dialog.waitFor({ state: 'hidden' })
    }
    // The officer and today were filled in.
    const meeting = backend.callsOf('record_add').find((c) => c.register === 'meetings')!.record as Json
    expect(meeting).toMatchObject({ date: backend.today, recorder: '李建国' })
  })

  it('services: the fields follow the kind; a pairing’s visits are a nested list in 元; the core’s message shows under the nested field', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/ledger/services')
    const { page } = app
    await page.getByTestId('add').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增 · 为民服务' })
    await dialog.waitFor({ state: 'visible' })
    // 好事实事 (the default): money and goods, no visits, no document fields.
    await formItem(dialog, '资金（元）').waitFor()
    expect(await dialog.getByTestId('rows-visits').count()).toBe(0)
    expect(await formItem(dialog, '证件种类').count()).toBe(0)
    // 上门办证/送证: the document fields, required.
    await choose(page, '服务类别', '上门办证/送证')
    await formItem(dialog, '证件种类').waitFor()
    expect(await formItem(dialog, '资金（元）').count()).toBe(0)
    for (const label of ['办证方式', '证件数量', '上门原因', '签收人']) expect(await formItem(dialog, label).count()).toBe(1)
    // 结对帮扶: the visits, the end date; no money on the record itself.
    await choose(page, '服务类别', '结对帮扶')
    await dialog.getByTestId('rows-visits').waitFor()
    expect(await formItem(dialog, '证件种类').count()).toBe(0)
    expect(await formItem(dialog, '结对结束日期').count()).toBe(1)
    await field(page, 'field-beneficiary').fill('赵大山')
    await field(page, 'field-content').fill('独居老人，腿脚不便')
    await dialog.getByTestId('add-visits').click()
    await until(() => page.evaluate(() => document.activeElement?.closest('[data-row]')?.getAttribute('data-row'))).toBe('visits-0')
    await field(page, 'field-visits-0-content').fill('送米面油')
    await field(page, 'field-visits-0-money_fen').fill('200.5')
    await shot(page, 'services-form-pairing')

    backend.failNext('record_add', ipcError('end_before_start', 'visits[0].date', '帮扶走访日期早于结对开始日期'))
    await dialog.getByTestId('save').click()
    const visitDate = formItem(dialog.locator('[data-row="visits-0"]'), '走访日期')
    await until(() => visitDate.locator('.el-form-item__error').innerText()).toBe('帮扶走访日期早于结对开始日期')
    expect(await dialog.locator('.el-alert').count()).toBe(0) // placed, not left at the top
    const sent = backend.callsOf('record_add')[0].record as Json
    expect(sent).toMatchObject({ kind: 'pairing', beneficiary: '赵大山', visits: [{ content: '送米面油', money_fen: 20050, date: backend.today }] })
    expect('money_fen' in sent).toBe(false)
    expect('certificate_count' in sent).toBe(false)

    // An amount the form cannot read is pointed out before the core is asked.
    await field(page, 'field-visits-0-money_fen').fill('两百')
    await page.keyboard.press('Control+Enter')
    await until(() => formItem(dialog.locator('[data-row="visits-0"]'), '资金（元）').locator('.el-form-item__error').innerText()).toContain('元')
    expect(backend.callsOf('record_add').length).toBe(1)

    await field(page, 'field-visits-0-money_fen').fill('200.5')
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })
    expect(backend.records.services.at(-1)).toMatchObject({ kind: 'pairing', visits: [{ money_fen: 20050 }] })
    await shot(page, 'ledger-services-after-save')
    // The detail: codes by name, money in 元, the household by name.
    await page.getByTestId('register-table').locator('tbody tr').filter({ hasText: '王芳' }).click()
    const detail = page.getByTestId('record-detail')
    await until(() => detail.innerText()).toContain('王芳　翠月湖村三组12号')
    expect(await detail.innerText()).toContain('资金（元）：200 元')
    expect(await detail.innerText()).toContain('结对帮扶')
    await bodyClean(app, 'service detail')
    await shot(page, 'services-detail')
  })

  it('team members: the form picks the team by name and keeps trainings; the team’s detail lists its members', async () => {
    const { backend, team } = village()
    app = await openApp(browser, backend, '#/ledger/teams')
    const { page } = app
    await page.getByTestId('register-table').locator('tbody tr').filter({ hasText: '翠月湖村打更队' }).click()
    const members = page.getByTestId('team-members')
    await until(() => members.innerText()).toContain('刘强')
    expect(await members.innerText()).toContain('陈明')
    await shot(page, 'team-detail')
    await members.getByTestId('add-member').click()
    await until(() => page.locator('.page-title').innerText()).toBe('群防群治队员')
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增 · 群防群治队员' })
    await dialog.waitFor({ state: 'visible' })
    await until(() => dialog.getByTestId('field-team_id').innerText()).toContain('翠月湖村打更队')
    await field(page, 'field-name').fill('周小兵')
    await dialog.getByTestId('add-trainings').click()
    await field(page, 'field-trainings-0-content').fill('消防器材使用')
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })
    expect(backend.callsOf('record_add')[0].record).toMatchObject({
      team_id: team.id, name: '周小兵', role: 'member', status: 'active', joined_on: backend.today,
      trainings: [{ date: backend.today, content: '消防器材使用' }],
    })
    await until(() => page.getByTestId('register-table').innerText()).toContain('周小兵')
    await page.getByTestId('register-table').locator('tbody tr').filter({ hasText: '周小兵' }).click()
    const detail = page.getByTestId('record-detail')
    await until(() => detail.innerText()).toContain('所属队伍')
    expect(await detail.innerText()).toContain('翠月湖村打更队')
    expect(await detail.innerText()).toContain('培训内容：消防器材使用')
    await bodyClean(app, 'team member detail')
  })

  it('重点对象/关注对象: says every look is recorded and shows the record of looks', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/ledger/key_persons')
    const { page } = app
    await until(() => page.locator('.page-title').innerText()).toBe('重点对象/关注对象')
    await until(() => page.getByTestId('restricted-notice').innerText()).toContain('每次查看都会记录')
    const log = page.getByTestId('view-log')
    await until(() => log.innerText()).toContain('查看列表')
    await page.getByTestId('register-table').locator('tbody tr').filter({ hasText: '孙某某' }).click()
    await until(() => page.getByTestId('record-detail').innerText()).toContain('社区矫正期间')
    await page.keyboard.press('Escape')
    await until(() => log.innerText()).toContain('查看详情')
    expect(await log.innerText()).toContain('孙某某')
    expect(backend.callsOf('view_log').length).toBeGreaterThan(0)
    await bodyClean(app, 'key persons')
    await shot(page, 'key-persons')

    // A check visit, nested, with the officer and today filled in.
    await page.getByTestId('add').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增 · 重点对象/关注对象' })
    await dialog.waitFor({ state: 'visible' })
    await field(page, 'field-name').fill('钱某')
    await choose(page, '列管级别', '关注对象')
    await choose(page, '对象类别', '信访人员')
    await field(page, 'field-address').fill('翠月湖村四组')
    await field(page, 'field-reason').fill('多次越级上访')
    await dialog.getByTestId('add-checks').click()
    await field(page, 'field-checks-0-situation').fill('情绪稳定')
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })
    expect(backend.callsOf('record_add')[0].record).toMatchObject({
      name: '钱某', level: 'attention', category: 'petition', responsible: '李建国', since: backend.today,
      checks: [{ date: backend.today, officer: '李建国', method: 'in_home', situation: '情绪稳定' }],
    })
  })

  it('work log: links another record by name; the detail names it', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/ledger/work_log')
    const { page } = app
    await page.getByTestId('add').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增 · 民警工作日志' })
    await dialog.waitFor({ state: 'visible' })
    await choose(page, '工作类别', '走访调查')
    await field(page, 'field-content').fill('走访赵大山家')
    await dialog.getByTestId('add-links').click()
    await dialog.getByTestId('field-links-0-id').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '赵大山' }).first().click()
    await page.keyboard.press('Control+Enter')
    await dialog.waitFor({ state: 'hidden' })
    const visit = backend.records.visits[0]
    expect(backend.callsOf('record_add')[0].record).toMatchObject({ category: 'visit', in_village: true, links: [{ register: 'visits', id: visit.id }] })
    await page.getByTestId('register-table').locator('tbody tr').filter({ hasText: '走访赵大山家' }).click()
    await until(() => page.getByTestId('record-detail').innerText()).toContain('入户走访登记：')
    expect(await page.getByTestId('record-detail').innerText()).toContain('赵大山')
    await bodyClean(app, 'work log detail')
  })

  it('patrols: a team and its members picked by name fill team_id, team_member_ids and the names', async () => {
    const { backend, team, liu } = village()
    app = await openApp(browser, backend, '#/patrols')
    const { page } = app
    await page.getByTestId('add').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增 · 巡逻登记' })
    await dialog.waitFor({ state: 'visible' })
    await field(page, 'field-start_time').fill('20:00')
    await field(page, 'field-end_time').fill('22:00')
    await field(page, 'field-route').fill('村委会—小学')
    await dialog.getByTestId('field-team_id').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '翠月湖村打更队' }).click()
    await dialog.getByTestId('field-team_member_ids').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '刘强' }).click()
    await page.keyboard.press('Escape')
    await until(() => dialog.getByTestId('field-members').innerText()).toContain('刘强')
    await page.keyboard.press('Control+Enter')
    await until(() => backend.callsOf('record_add').length).toBe(1)
    expect(backend.callsOf('record_add')[0].record).toMatchObject({ team_id: team.id, team_member_ids: [liu.id], members: ['刘强'] })
  })
})

describe('考评 and the dashboard', () => {
  it('考评: this quarter by default, five criteria with figures and formulas, overall and grade, in-progress note', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/assessment')
    const { page } = app
    await until(() => page.getByTestId('assessment-summary').innerText()).toContain('年第')
    const q = Math.floor((Number(backend.today.slice(5, 7)) - 1) / 3) + 1
    expect(backend.callsOf('assessment')[0].period).toBe(`${backend.today.slice(0, 4)}-Q${q}`)
    const text = await page.getByTestId('assessment').innerText()
    for (const name of ['熟悉辖区程度', '信息收集情况', '辖区治安状况', '见警率', '满意率']) expect(text).toContain(name)
    expect(text).toContain('77')
    expect(text).toContain('良好')
    expect(text).toContain('本期尚未结束')
    expect(text).toContain('计算方法：走访户数完成率')
    expect(await page.getByTestId('criterion-familiarity').innerText()).toContain('71 / 59 户')
    expect(await page.getByTestId('criterion-satisfaction').innerText()).toContain('不计分')
    await bodyClean(app, 'assessment')
    await shot(page, 'assessment')
    await page.getByTestId('period-kind').locator('.el-radio-button').filter({ hasText: '半年' }).click()
    await until(() => backend.callsOf('assessment').at(-1)?.period).toMatch(/^\d{4}-H[12]$/)
    await until(() => page.getByTestId('assessment-summary').innerText()).toMatch(/半年/)
    await page.getByTestId('period-kind').locator('.el-radio-button').filter({ hasText: '全年' }).click()
    await until(() => backend.callsOf('assessment').at(-1)?.period).toBe(backend.today.slice(0, 4))
  })

  it('the dashboard shows the further targets, key persons not checked and work-log follow-ups (overdue marked)', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/')
    const { page } = app
    const others = page.getByTestId('other-targets')
    await until(() => others.innerText()).toContain('村（社区）会议')
    const text = await others.innerText()
    for (const s of ['本周好事实事', '结对帮扶（进行中）', '上门办证/送证', '警情社情通报', '本季度情报信息']) expect(text).toContain(s)
    expect(await page.getByTestId('card-meetings').innerText()).toMatch(/1\s*\/ 1/)
    expect(await page.getByTestId('card-certificates').innerText()).toContain('还差 8')
    await until(() => page.getByTestId('key-unchecked').innerText()).toBe('1')
    expect(await page.getByTestId('key-persons').innerText()).toContain('本月未走访 1 人')
    const follow = page.getByTestId('work-followups')
    expect(await follow.innerText()).toContain('工作日志待跟进（2）')
    expect(await follow.locator('.due.overdue').count()).toBe(1)
    expect(await follow.locator('.due.overdue').innerText()).toContain('已逾期')
    await bodyClean(app, 'dashboard')
    await shot(page, 'dashboard')
    // Every card is within the window's width.
    const right = await page.getByTestId('card-intel').evaluate((el) => el.getBoundingClientRect().right)
    expect(right).toBeLessThanOrEqual(1366)
    await page.getByTestId('open-key-persons').click()
    await until(() => page.locator('.page-title').innerText()).toBe('重点对象/关注对象')
  })

  it('settings: the further targets beside the others, saved together', async () => {
    const { backend } = village()
    app = await openApp(browser, backend, '#/settings')
    const { page } = app
    const form = page.getByTestId('targets-form')
    await until(() => form.innerText()).toContain('每月村（社区）会议次数')
    for (const s of ['每周好事实事件数', '结对帮扶户数', '每月上门办证/送证件数', '每月警情社情通报期数', '每季度情报信息条数']) expect(await form.innerText()).toContain(s)
    await field(page, 'target-intel_per_quarter').fill('3')
    await form.locator('button[type=submit]').click()
    await until(() => backend.callsOf('targets_set').length).toBe(1)
    expect(backend.targets.intel_per_quarter).toBe(3)
    await bodyClean(app, 'settings')
  })
})
