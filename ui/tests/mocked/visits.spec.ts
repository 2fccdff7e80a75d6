// 入户走访 from the keyboard: the dashboard's quick button, the household picker, Ctrl+Enter;
// the core's refusal under the field it concerns; the detail drawer with its history; void with
// a reason.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend, ipcError } from './support/fakeBackend'
import { closeApp, dateZh, field, formItem, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

const dialog = (page: Page) => page.locator('.el-dialog').filter({ has: page.getByTestId('visit-form') })
const drawer = (page: Page) => page.locator('.el-drawer')

/** Types into the household picker and takes the option holding `title`. */
async function pickHousehold(page: Page, query: string, title: string) {
  const picker = page.getByTestId('household-picker')
  await picker.click()
  await page.keyboard.type(query)
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: title })
  await option.click()
  await until(() => picker.innerText()).toContain(title)
}

async function check(page: Page, label: string) {
  await dialog(page).locator('.el-checkbox', { hasText: label }).click()
}

describe('入户走访', () => {
  it('the quick button opens the form; picker, purposes and Ctrl+Enter add the visit', async () => {
    const backend = new FakeBackend(codeLists)
    const { wang } = backend.seedVillage()
    app = await openApp(browser, backend, '#/')
    const { page } = app

    await page.getByTestId('quick-visit').click()
    await until(() => page.url()).toContain('#/visits?new=1')
    await dialog(page).waitFor()
    expect(await dialog(page).locator('.el-dialog__title').innerText()).toBe('新增 · 入户走访')
    // Defaults: today, the office's officer, in the home.
    expect(await field(page, 'field-officer').inputValue()).toBe('李建国')
    // The picker shows today as people write dates; the record carries it as ISO (checked below).
    expect(await field(page, 'field-date').inputValue()).toBe(dateZh(backend.today))
    expect(await formItem(dialog(page), '走访方式').locator('.el-radio.is-checked').innerText()).toBe('入户')
    const labels = await dialog(page).locator('.el-form-item__label').allInnerTexts()
    expect(labels).toEqual(expect.arrayContaining(['日期', '民警', '走访户', '走访方式', '走访内容', '谈心人数', '群众反映问题/诉求', '满意度']))

    const searchesBefore = backend.callsOf('search').length
    await pickHousehold(page, '王芳', '翠月湖村三组12号 户主 王芳')
    expect(backend.callsOf('search').slice(searchesBefore)).toContainEqual({ text: '王芳', limit: 30, includeVoided: false })
    await check(page, '安全防范/反诈宣传')
    await check(page, '矛盾排查')
    await screenshot(page, 'visit-form')
    await page.keyboard.press('Control+Enter')

    await dialog(page).waitFor({ state: 'hidden' })
    expect(backend.callsOf('record_add')).toEqual([
      {
        register: 'visits',
        record: { date: backend.today, officer: '李建国', household_id: wang.id, method: 'in_home', purposes: ['safety_publicity', 'dispute_screening'] },
      },
    ])
    const table = page.getByTestId('register-table')
    await until(() => table.locator('tbody tr').count()).toBe(2)
    const newRow = table.locator('tbody tr', { hasText: '王芳' })
    expect(await newRow.innerText()).toContain('安全防范/反诈宣传、矛盾排查')
    expect(await newRow.innerText()).toContain('翠月湖村三组12号')
    expect(await page.locator('.page').innerText()).toContain('共 2 条')
    expect(await page.locator('.el-message').innerText()).toContain('已保存')
    await screenshot(page, 'visits-after-add')
  })

  it("shows the core's message under 走访内容, and a message about no shown field above the form", async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    app = await openApp(browser, backend, '#/visits')
    const { page } = app
    await page.getByTestId('add').click()
    await dialog(page).waitFor()
    await pickHousehold(page, '赵大山', '翠月湖村一组3号 户主 赵大山')

    backend.failNext('record_add', ipcError('required', 'purposes', '「走访内容」至少选择 1 项', [
      { code: 'database', field: '', message: '数据库暂时不能写入，请稍后再试' },
    ]))
    await page.getByTestId('save').click()

    const purposes = formItem(dialog(page), '走访内容')
    await until(() => purposes.locator('.el-form-item__error').innerText()).toBe('「走访内容」至少选择 1 项')
    expect(await dialog(page).locator('.el-alert').innerText()).toContain('数据库暂时不能写入，请稍后再试')
    expect(await formItem(dialog(page), '日期').locator('.el-form-item__error').count()).toBe(0)
    expect(await formItem(dialog(page), '走访户').locator('.el-form-item__error').count()).toBe(0)
    expect(backend.records.visits).toHaveLength(1)
    await screenshot(page, 'visit-form-error')

    // Fixing it and saving again clears the message and saves.
    await check(page, '帮扶')
    await page.keyboard.press('Control+Enter')
    await dialog(page).waitFor({ state: 'hidden' })
    expect(backend.callsOf('record_add')).toHaveLength(2)
    expect((backend.callsOf('record_add')[1].record as { purposes: string[] }).purposes).toEqual(['aid'])
    expect(backend.records.visits).toHaveLength(2)
  })

  it('the detail drawer shows Chinese labels and the history', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    const visit = backend.records.visits[0]
    app = await openApp(browser, backend, '#/visits')
    const { page } = app

    await page.getByTestId('register-table').locator('tbody tr', { hasText: '赵大山' }).click()
    const detail = drawer(page).getByTestId('record-detail')
    await detail.waitFor()
    const text = await detail.innerText()
    for (const [label, value] of [
      ['日期', dateZh(backend.today)], ['民警', '李建国'], ['户主姓名', '赵大山'], ['住址', '翠月湖村一组3号'],
      ['走访方式', '入户'], ['走访内容', '信息采集核对、帮扶'], ['谈心人数', '1'], ['群众反映问题/诉求', '村口路灯坏了三个月'],
      ['满意度', '满意'], ['登记人', '李建国'], ['版本', '1'],
    ]) {
      expect(text).toMatch(new RegExp(`${label}\\s+${value}`))
    }
    expect(leaksIn(await drawer(page).innerText())).toEqual([])
    expect(backend.callsOf('record_history')).toContainEqual({ register: 'visits', id: visit.id })
    const history = drawer(page).getByTestId('record-history')
    expect(await history.innerText()).toContain('新建（第 1 版，李建国）')
    await screenshot(page, 'visit-detail')
  })

  it('修改 in the drawer opens the form with the record; the update shows in the history', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    const visit = backend.records.visits[0]
    app = await openApp(browser, backend, `#/visits?open=${visit.id}`)
    const { page } = app

    await drawer(page).getByTestId('record-detail').waitFor()
    await drawer(page).getByRole('button', { name: '修改' }).click()
    await until(async () => (await dialog(page).isVisible()) || app!.errors.length > 0).toBe(true)
    expect(app.errors, 'errors on 修改').toEqual([])
    expect(await dialog(page).locator('.el-dialog__title').innerText()).toBe('修改 · 入户走访')
    expect(await field(page, 'field-concerns').inputValue()).toBe('村口路灯坏了三个月')
    await field(page, 'field-concerns').fill('村口路灯已报修')
    await page.keyboard.press('Control+Enter')
    await dialog(page).waitFor({ state: 'hidden' })
    const [update] = backend.callsOf('record_update')
    expect(update).toMatchObject({ register: 'visits', id: visit.id, patch: { concerns: '村口路灯已报修', purposes: ['info_check', 'aid'], method: 'in_home' } })

    await page.getByTestId('register-table').locator('tbody tr', { hasText: '赵大山' }).click()
    await until(() => drawer(page).getByTestId('record-history').innerText()).toContain('修改（第 2 版，李建国）')
    expect(await drawer(page).getByTestId('record-history').innerText()).toContain('改动：群众反映问题/诉求')
    expect(await drawer(page).getByTestId('record-detail').innerText()).toContain('村口路灯已报修')
  })

  it('voiding asks for a reason and sends it; the record leaves the list', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    const visit = backend.records.visits[0]
    app = await openApp(browser, backend, `#/visits?open=${visit.id}`)
    const { page } = app

    await drawer(page).getByTestId('record-detail').waitFor()
    await drawer(page).getByRole('button', { name: '作废' }).click()
    const voidDialog = page.locator('.el-dialog', { hasText: '作废记录' })
    await voidDialog.waitFor()
    expect(await voidDialog.innerText()).toContain('作废后记录仍保留')

    // No reason: the core refuses and the dialog says so under 作废原因.
    await page.getByTestId('void-confirm').click()
    await until(() => formItem(voidDialog, '作废原因').locator('.el-form-item__error').innerText()).toBe('作废必须填写原因')
    expect(backend.records.visits[0].voided).toBe(false)
    await screenshot(page, 'void-no-reason')

    await field(page, 'void-reason').fill('重复录入')
    await page.getByTestId('void-confirm').click()
    await voidDialog.waitFor({ state: 'hidden' })
    expect(backend.callsOf('record_void')).toEqual([
      { register: 'visits', id: visit.id, reason: '' },
      { register: 'visits', id: visit.id, reason: '重复录入' },
    ])
    expect(backend.records.visits[0]).toMatchObject({ voided: true, void_reason: '重复录入', version: 2 })

    await until(() => drawer(page).innerText()).toContain('已作废：重复录入')
    const history = await drawer(page).getByTestId('record-history').innerText()
    expect(history).toContain('作废（第 2 版，李建国）')
    expect(history).toContain('原因：重复录入')
    expect(history).toContain('改动：已作废')
    expect(await drawer(page).getByRole('button', { name: '修改' }).count(), 'a voided record cannot be edited').toBe(0)

    // Out of the default list; back with 含已作废.
    await drawer(page).locator('.el-drawer__close-btn').click()
    const table = page.getByTestId('register-table')
    await until(() => page.locator('.page').innerText()).toContain('共 0 条')
    await page.locator('.el-checkbox', { hasText: '含已作废' }).click()
    await until(() => table.locator('tbody tr.voided-row').count()).toBe(1)
    expect(await table.locator('tbody tr.voided-row').innerText()).toContain('已作废')
  })
})
