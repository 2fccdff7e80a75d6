// Encryption at rest and the idle lock (issue 7): the unlock screen of an encrypted database
// (wrong passphrase, then right), the lock screen (by the button, by the idle timer, and when
// the shell refuses a command as locked), recovery through the station, encrypting an older
// plain database, and the passphrase and idle minutes in 设置.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { CodeLists } from '../../src/bindings/CodeLists'
import { FakeBackend } from './support/fakeBackend'
import { STICK } from './support/fakeSync'
import { PASSPHRASE, RESPONSE_CODE } from './support/fakeVault'
import { closeApp, field, formItem, launch, leaksIn, openApp, realCodeLists, screenshot, until, type AppPage } from './support/app'

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

/** An encrypted office, not yet unlocked. */
function encrypted(): FakeBackend {
  const backend = new FakeBackend(codeLists)
  backend.seedVillage()
  backend.vault.step = 'unlock'
  return backend
}

describe('unlock', () => {
  it('shows only the passphrase screen; a wrong passphrase says so, the right one opens the office', async () => {
    app = await openApp(browser, encrypted(), '#/visits')
    const { page, backend } = app
    await page.getByTestId('unlock-view').waitFor()
    const text = await page.locator('body').innerText()
    expect(text).toContain('本机台账已加密')
    expect(leaksIn(text)).toEqual([])
    expect(await page.locator('.el-menu').count(), 'no menu before unlock').toBe(0)
    expect(backend.calls.map((c) => c.cmd), 'nothing but the vault is asked before unlock').toEqual(['vault_status'])
    await screenshot(page, 'unlock')

    await field(page, 'unlock-passphrase').fill('not-the-passphrase')
    await page.getByTestId('unlock-submit').click()
    await until(() => formItem(page, '口令').locator('.el-form-item__error').innerText()).toBe('口令不对')
    expect(await page.getByTestId('unlock-view').count()).toBe(1)
    await screenshot(page, 'unlock-wrong')

    await field(page, 'unlock-passphrase').fill(PASSPHRASE)
    await page.keyboard.press('Enter')
    await page.getByTestId('register-table').waitFor()
    expect(backend.callsOf('vault_unlock').map((c) => c.passphrase)).toEqual(['not-the-passphrase', PASSPHRASE])
    await until(() => page.getByTestId('register-table').innerText()).toContain('赵大山')
    expect(await page.getByTestId('lock-now').count(), 'the lock button is in the header').toBe(1)
  })
})

describe('lock', () => {
  it('锁定 covers the window until the passphrase; the shell refuses data commands meanwhile', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    app = await openApp(browser, backend, '#/')
    const { page } = app
    await page.getByTestId('dashboard').waitFor()
    await page.getByTestId('lock-now').click()
    const lock = page.getByTestId('lock-screen')
    await lock.waitFor()
    expect(backend.callsOf('lock_now')).toHaveLength(1)
    expect(await lock.innerText()).toContain('已锁定')
    expect(await lock.innerText()).toContain('翠月湖村警务室')
    // Nothing of the registers shows through: the lock covers the whole window.
    const box = await lock.boundingBox()
    expect(box).toEqual({ x: 0, y: 0, width: 1366, height: 768 })
    expect(() => backend.handle('record_list', { register: 'visits', query: {} })).toThrow()
    await screenshot(page, 'lock')

    await field(page, 'lock-passphrase').fill('wrong-passphrase')
    await page.getByTestId('lock-submit').click()
    await until(() => lock.locator('.el-form-item__error').innerText()).toBe('口令不对')
    await field(page, 'lock-passphrase').fill(PASSPHRASE)
    await page.getByTestId('lock-submit').click()
    await until(() => page.getByTestId('lock-screen').count()).toBe(0)
    expect(backend.vault.locked).toBe(false)
    await page.getByTestId('dashboard').waitFor()
  })

  it('locks by itself after the office’s idle minutes without activity, not before', async () => {
    const backend = new FakeBackend(codeLists)
    backend.vault.idleMinutes = 10
    app = await openApp(browser, backend, '#/', { fakeClock: true })
    const { page } = app
    await page.getByTestId('dashboard').waitFor()
    await page.clock.fastForward('09:00')
    await page.mouse.move(200, 300) // activity: the ten minutes start again
    await page.clock.fastForward('09:00')
    expect(await page.getByTestId('lock-screen').count(), 'active within the minutes: open').toBe(0)
    await page.clock.fastForward('01:30')
    await page.getByTestId('lock-screen').waitFor()
    expect(backend.vault.locked).toBe(true)
    expect(backend.callsOf('lock_now')).toHaveLength(1)
  })

  it('shows the lock screen when the shell refuses a command as locked (its own idle backstop)', async () => {
    const backend = new FakeBackend(codeLists)
    backend.seedVillage()
    app = await openApp(browser, backend, '#/')
    const { page } = app
    await page.getByTestId('dashboard').waitFor()
    backend.vault.locked = true
    await page.locator('.el-menu-item', { hasText: '入户走访' }).click()
    await page.getByTestId('lock-screen').waitFor()
  })

  it('the demo has no passphrase: no lock button, no lock, and 设置 says so', async () => {
    const backend = new FakeBackend(codeLists, null)
    backend.handle('demo_enter', {})
    app = await openApp(browser, backend, '#/settings')
    const { page } = app
    await until(() => page.getByTestId('settings-security').innerText()).toContain('演示数据不加密')
    expect(await page.getByTestId('lock-now').count()).toBe(0)
  })
})

describe('forgotten passphrase', () => {
  it('writes the request to the stick, then the station’s answer, its code and a new passphrase open the office', async () => {
    const backend = encrypted()
    backend.vault.stationWrap = true
    backend.sync.plugIn()
    app = await openApp(browser, backend, '#/')
    const { page } = app
    await page.getByTestId('unlock-forgot').click()
    await page.getByTestId('recover-write').click()
    await until(() => page.getByTestId('recover-written').innerText()).toContain(`${STICK}/CYH-01-recovery.cjq`)
    expect(backend.callsOf('recovery_request_write')).toEqual([{ dir: STICK }])

    // At the station: the answer goes on the stick; the code is told in person.
    backend.vault.addFile(STICK, 'CYH-01-recovery.cja', 'response')
    await page.getByTestId('drives-refresh').click()
    await field(page, 'usb-folder').fill('')
    await field(page, 'usb-folder').fill(STICK)
    await page.getByTestId('recover-response-CYH-01-recovery.cja').waitFor()
    await field(page, 'recover-code').fill('AAAA-BBBB-CCCC')
    await field(page, 'recover-passphrase').fill('新的口令2026年冬')
    await field(page, 'recover-passphrase-again').fill('新的口令2026年冬')
    await page.getByTestId('recover-submit').click()
    await until(() => page.getByTestId('recover-error').innerText()).toContain('恢复码不对')
    await screenshot(page, 'recover')

    await field(page, 'recover-code').fill(RESPONSE_CODE)
    await page.getByTestId('recover-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(backend.callsOf('vault_recover').at(-1)).toEqual({ response: `${STICK}/CYH-01-recovery.cja`, code: RESPONSE_CODE, newPassphrase: '新的口令2026年冬' })
    expect(backend.vault.passphrase).toBe('新的口令2026年冬')
  })

  it('says plainly when the office was never enrolled (no station can help)', async () => {
    app = await openApp(browser, encrypted(), '#/')
    const { page } = app
    await page.getByTestId('unlock-forgot').click()
    await until(() => page.getByTestId('recover-no-wrap').innerText()).toContain('无法经汇总站找回')
    expect(await page.getByTestId('recover-write').count()).toBe(0)
  })

  it('the station answers a request: the answer on the stick, the code on screen only', async () => {
    const backend = new FakeBackend(codeLists, null)
    backend.sync.handle('station_init', { name: '青山镇派出所' })
    backend.vault.desk = 'station'
    backend.sync.plugIn()
    backend.vault.addFile(STICK, 'CYH-01-recovery.cjq', 'request')
    app = await openApp(browser, backend, '#/station')
    const { page } = app
    await page.getByTestId('station-view').waitFor()
    await page.locator('.el-tabs__item', { hasText: '找回口令答复' }).click()
    await page.getByTestId('recovery-answer-CYH-01-recovery.cjq').click()
    const answer = page.getByTestId('recovery-answer')
    await until(() => answer.innerText()).toContain('CYH-01 翠月湖村警务室')
    expect(await page.getByTestId('recovery-answer-code').innerText()).toBe(RESPONSE_CODE)
    expect(await answer.innerText()).toContain(`${STICK}/CYH-01-recovery.cja`)
    await screenshot(page, 'station-recovery-answer')
  })
})

describe('an older plain database', () => {
  it('is encrypted under a new passphrase before anything opens', async () => {
    const backend = new FakeBackend(codeLists)
    backend.vault.step = 'encrypt'
    app = await openApp(browser, backend, '#/')
    const { page } = app
    await page.getByTestId('encrypt-view').waitFor()
    expect(await page.locator('body').innerText()).toContain('还没有加密')
    expect(await page.locator('.el-menu').count()).toBe(0)
    await screenshot(page, 'encrypt')
    await field(page, 'encrypt-passphrase').fill(PASSPHRASE)
    await field(page, 'encrypt-passphrase-again').fill(PASSPHRASE)
    await page.getByTestId('encrypt-submit').click()
    await page.getByTestId('dashboard').waitFor()
    expect(backend.callsOf('vault_encrypt')).toEqual([{ passphrase: PASSPHRASE }])
    await until(() => page.locator('.el-message').innerText()).toContain('已删除 2 个未加密的旧备份')
  })
})

describe('设置: passphrase and idle lock', () => {
  it('saves the idle minutes and changes the passphrase (the old one checked)', async () => {
    const backend = new FakeBackend(codeLists)
    app = await openApp(browser, backend, '#/settings')
    const { page } = app
    const card = page.getByTestId('settings-security')
    await until(() => card.innerText()).toContain('无操作自动锁定')
    await field(page, 'idle-minutes').fill('5')
    await page.getByTestId('idle-save').click()
    await until(() => backend.callsOf('idle_lock_set')).toEqual([{ minutes: 5 }])
    await until(() => page.locator('.el-message').first().innerText()).toContain('5 分钟无操作后锁定')

    await field(page, 'passphrase-old').fill('wrong-old-one')
    await field(page, 'passphrase-new').fill('新的口令2026年冬')
    await field(page, 'passphrase-new-again').fill('新的口令2026年冬')
    await page.getByTestId('passphrase-submit').click()
    await until(() => formItem(card, '原口令').locator('.el-form-item__error').innerText()).toBe('口令不对')
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-passphrase')
    await field(page, 'passphrase-old').fill(PASSPHRASE)
    await page.getByTestId('passphrase-submit').click()
    await until(() => backend.vault.passphrase).toBe('新的口令2026年冬')
    expect(backend.callsOf('passphrase_change').at(-1)).toEqual({ old: PASSPHRASE, new: '新的口令2026年冬' })
  })
})
