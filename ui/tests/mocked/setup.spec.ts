// First run: no office yet, so the setup screen is all there is; filling it in (with the passphrase
// typed twice) creates the encrypted office through vault_setup and opens the dashboard; the
// core's refusal shows under its field.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend, ipcError } from './support/fakeBackend'
import { PASSPHRASE } from './support/fakeVault'
import { closeApp, field, formItem, launch, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

async function fill(page: AppPage['page']) {
  await field(page, 'setup-name').fill('翠月湖村警务室')
  await field(page, 'setup-code').fill('CYH-01')
  await field(page, 'setup-officer').fill('李建国')
  await field(page, 'setup-police-number').fill('012345')
  await field(page, 'setup-officer-phone').fill('13800001111')
  await field(page, 'setup-station-name').fill('青山镇派出所')
  await field(page, 'setup-station-phone').fill('0571-12345678')
  await field(page, 'setup-passphrase').fill(PASSPHRASE)
  await field(page, 'setup-passphrase-again').fill(PASSPHRASE)
}

describe('first-run setup', () => {
  it('shows only the setup screen until the office exists, then lands on the dashboard', async () => {
    app = await openApp(browser, new FakeBackend(codeLists, null), '#/visits')
    const { page, backend } = app
    await until(() => page.locator('h1').innerText()).toContain('首次设置')
    expect(await page.locator('body').innerText()).toContain('警务室代码')
    // The passphrase, and the plain warning that nothing recovers the data without it or the station.
    expect(await page.getByTestId('setup-warning').innerText()).toContain('数据将无法找回')
    await until(() => page.url()).toContain('#/setup')
    expect(await page.locator('.el-menu').count(), 'no side menu before setup').toBe(0)
    await screenshot(page, 'setup')

    await fill(page)
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('dashboard').waitFor()

    expect(backend.callsOf('vault_setup')).toEqual([
      {
        office: {
          name: '翠月湖村警务室', code: 'CYH-01', officer: '李建国', police_number: '012345',
          officer_phone: '13800001111', station_name: '青山镇派出所', station_phone: '0571-12345678',
        },
        passphrase: PASSPHRASE,
      },
    ])
    expect(backend.callsOf('office_setup')).toEqual([])
    await until(() => page.url()).toMatch(/#\/$/)
    const body = await page.locator('body').innerText()
    expect(body).toContain('工作情况')
    expect(body).toContain('翠月湖村警务室')
    expect(body).toContain('李建国')
  })

  it("shows the core's refusal under the 警务室代码 field and stays on setup", async () => {
    app = await openApp(browser, new FakeBackend(codeLists, null))
    const { page, backend } = app
    const message = '警务室代码只能由字母、数字和连字符组成，最多 32 位（它会出现在导出文件名中）'
    backend.failNext('vault_setup', ipcError('invalid_type', 'code', message))

    await fill(page)
    await field(page, 'setup-code').fill('CYH 01')
    await page.getByTestId('setup-submit').click()

    const codeItem = formItem(page, '警务室代码')
    await until(() => codeItem.locator('.el-form-item__error').innerText()).toBe(message)
    // Only that field is marked.
    expect(await formItem(page, '警务室名称').locator('.el-form-item__error').count()).toBe(0)
    expect(await formItem(page, '民警姓名').locator('.el-form-item__error').count()).toBe(0)
    expect(backend.callsOf('vault_setup')).toHaveLength(1)
    expect((backend.callsOf('vault_setup')[0].office as { code: string }).code).toBe('CYH 01')
    expect(await page.locator('h1').innerText()).toContain('首次设置')
    expect(backend.office).toBeNull()
    await screenshot(page, 'setup-error')

    // Correcting it goes through.
    await field(page, 'setup-code').fill('CYH-01')
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(backend.office?.code).toBe('CYH-01')
  })

  it('marks several fields at once when the core lists several problems', async () => {
    app = await openApp(browser, new FakeBackend(codeLists, null))
    const { page } = app
    // The fake refuses blanks like the core: 「警务室名称」「责任民警」 are required.
    await field(page, 'setup-code').fill('CYH-01')
    await field(page, 'setup-passphrase').fill(PASSPHRASE)
    await field(page, 'setup-passphrase-again').fill(PASSPHRASE)
    await page.getByTestId('setup-submit').click()
    await until(() => formItem(page, '警务室名称').locator('.el-form-item__error').innerText()).toBe('「警务室名称」为必填项')
    expect(await formItem(page, '民警姓名').locator('.el-form-item__error').innerText()).toBe('「责任民警」为必填项')
    expect(await formItem(page, '警务室代码').locator('.el-form-item__error').count()).toBe(0)
  })

  it('checks the passphrase before sending: too short, then the two entries differ', async () => {
    app = await openApp(browser, new FakeBackend(codeLists, null))
    const { page, backend } = app
    await fill(page)
    await field(page, 'setup-passphrase').fill('1234567')
    await field(page, 'setup-passphrase-again').fill('1234567')
    expect(await page.getByTestId('setup-passphrase-strength').innerText()).toContain('太短')
    await page.getByTestId('setup-submit').click()
    await until(() => formItem(page, '口令').locator('.el-form-item__error').innerText()).toBe('口令至少 8 个字符')
    await field(page, 'setup-passphrase').fill('Cuiyuehu-2026!')
    await field(page, 'setup-passphrase-again').fill('Cuiyuehu-2026')
    expect(await page.getByTestId('setup-passphrase-strength').innerText()).toContain('较强')
    await page.getByTestId('setup-submit').click()
    await until(() => formItem(page, '再输入一次口令').locator('.el-form-item__error').innerText()).toBe('两次输入的口令不一致')
    expect(backend.callsOf('vault_setup'), 'nothing sent while the passphrase is not right').toEqual([])
    await screenshot(page, 'setup-passphrase-mismatch')

    await field(page, 'setup-passphrase-again').fill('Cuiyuehu-2026!')
    await page.getByTestId('setup-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(backend.callsOf('vault_setup').map((c) => c.passphrase)).toEqual(['Cuiyuehu-2026!'])
  })
})
