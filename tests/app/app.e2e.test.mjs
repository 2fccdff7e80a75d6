// The real desktop app end to end: the Tauri binary under Xvfb, driven over WebDriver
// (tauri-driver + Debian's WebKitWebDriver). First-run setup (with the passphrase that encrypts
// the database) and a household visit go in through the UI; the `cunjing` CLI then reads the
// visit back from the same encrypted file (CUNJING_PASSPHRASE). Then the app starts again: the
// unlock screen, a wrong passphrase, the right one, and the lock screen.
//
// Needs: CUNJING_APP (the app binary), CUNJING_BIN (the CLI), tauri-driver on PATH, a display
// (run under xvfb-run). scripts/test-app.sh sets all of that up.
import { test, before, after } from 'node:test'
import { requireCli, fillSetup, freshHome, startDriver, startApp, pageHelpers } from './support.mjs'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const cli = requireCli()

const { home, env } = freshHome('cunjing-e2e-')
const dbPath = join(home, 'data', 'cunjing', 'office.db')
const PASSPHRASE = '翠月湖村警务室2026'

let driver
let browser
const { waitFor, typeInto, shot } = pageHelpers(() => browser)

function cunjing(...args) {
  return execFileSync(cli, args, { env: { ...env, CUNJING_PASSPHRASE: PASSPHRASE }, encoding: 'utf8' })
}

async function restartApp() {
  browser = await startApp()
}

before(async () => {
  driver = await startDriver(env)
  await restartApp()
})

after(async () => {
  await browser?.deleteSession().catch(() => {})
  driver?.kill()
})

test('setup, a visit through the UI, and the CLI reads it back', async () => {
  // 1. First run: the setup screen, in Chinese.
  const title = await waitFor('h1')
  assert.match(await title.getText(), /首次设置/)
  await fillSetup(typeInto, PASSPHRASE)
  const warning = await waitFor('[data-testid="setup-warning"]')
  assert.match(await warning.getText(), /数据将无法找回/)
  await warning.scrollIntoView()
  await shot('setup')
  await (await waitFor('[data-testid="setup-submit"]')).click()
  await waitFor('[data-testid="dashboard"]', 60000)
  assert.ok(existsSync(dbPath), `the office database is in the OS data directory: ${dbPath}`)
  // Encrypted at rest: the key file beside it, and no plain SQLite header in the file.
  assert.ok(existsSync(`${dbPath}.key`), 'the key file is beside the database')
  assert.notEqual(readFileSync(dbPath).subarray(0, 15).toString('latin1'), 'SQLite format 3', 'the database file is encrypted')
  const office = JSON.parse(cunjing('office', '--json'))
  assert.equal(office.code, 'CYH-01')
  assert.equal(office.station_phone, '0571-12345678')

  // 2. A household on the roster (through the CLI, while the app is running: WAL allows both).
  const household = cunjing('add', 'households', '--json',
    JSON.stringify({ village: '翠月湖村', group: '三组', house_no: '12号', head_name: '王芳' })).trim()

  // 3. The visit, through the UI: quick entry from the dashboard, household by initials.
  await (await waitFor('[data-testid="quick-visit"]')).click()
  const picker = await waitFor('[data-testid="household-picker"]')
  await picker.click()
  await browser.keys('wf'.split(''))
  const option = await waitFor('//li[contains(@class, "el-select-dropdown__item")][contains(., "王芳")]')
  await option.click()
  const purpose = await waitFor('//label[contains(@class, "el-checkbox")][contains(., "安全防范")]')
  await purpose.click()
  await typeInto('field-concerns', '村口路灯坏了')
  await (await waitFor('[data-testid="save"]')).click()
  // The new row appears in the visits list.
  await shot('after-save')
  const tableText = () => browser.execute(() => document.querySelector('[data-testid="register-table"]')?.innerText ?? '')
  await browser.waitUntil(async () => (await tableText()).includes('王芳'),
    { timeout: 20000, timeoutMsg: 'the saved visit shows in the list' })

  // 4. The CLI reads the visit back from the same file.
  const visits = JSON.parse(cunjing('list', 'visits', '--json'))
  assert.equal(visits.length, 1)
  const v = visits[0]
  assert.equal(v.household_id, household)
  assert.equal(v.head_name, '王芳')
  assert.equal(v.officer, '李建国')
  assert.equal(v.method, 'in_home')
  assert.deepEqual(v.purposes, ['safety_publicity'])
  assert.equal(v.concerns, '村口路灯坏了', JSON.stringify(v))
  assert.equal(v.office_code, 'CYH-01')
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  assert.equal(v.date, today, 'the date defaulted to today (China time)')
  const history = JSON.parse(cunjing('history', 'visits', v.id, '--json'))
  assert.equal(history[0].action, 'create')
  assert.equal(history[0].actor, '李建国')

  await shot('visits')
})

// Every screen of the real app renders in Chinese, with no raw codes or placeholders leaking.
test('every screen renders in Chinese at 1366×768', async () => {
  // Some records on every register so lists and details have content.
  const h = JSON.parse(cunjing('list', 'households', '--json'))[0].id
  cunjing('add', 'residents', '--json', JSON.stringify({ household_id: h, name: '王芳', id_number: '11010519491231002X', category: 'registered' }))
  cunjing('add', 'patrols', '--json', JSON.stringify({ date: '2026-11-20', start_time: '22:00', end_time: '01:00', crosses_midnight: true,
    kind: 'volunteer', mode: 'foot', route: '村委会—小学—水库', members: ['刘强', '陈明'], headcount: 2, recorder: '李建国' }))
  cunjing('add', 'disputes', '--json', JSON.stringify({ accepted_on: '2026-11-02', source: 'party_request', dispute_type: 'homestead',
    location: '翠月湖村三组', people_count: 2, summary: '两家因宅基地边界发生争执', mediators: '李建国',
    parties: [{ name: '张三', role: 'applicant' }, { name: '曾小明', role: 'respondent' }] }))
  const leaks = /undefined|null|NaN|in_home|officer_led|volunteer|homestead|party_request|registered|accepted\b/
  for (const [route, expect] of [['#/', '工作情况'], ['#/visits', '入户走访'], ['#/patrols', '巡逻'], ['#/disputes', '纠纷调处'],
    ['#/households', '住户'], ['#/residents', '人员'], ['#/settings', '设置'], ['#/search?q=wf', '查找结果']]) {
    await browser.execute((r) => { location.hash = r }, route)
    await browser.waitUntil(async () => (await browser.execute(() => document.body.innerText)).includes(expect),
      { timeout: 15000, timeoutMsg: `${route} shows ${expect}` })
    await sleep(600) // let tables fill
    const text = await browser.execute(() => document.body.innerText)
    assert.doesNotMatch(text, leaks, `${route} shows no raw codes or placeholders`)
    await shot(`screen-${route.replace(/[#/?=]/g, '') || 'dashboard'}`)
  }
})

// The next start: nothing opens without the passphrase; a wrong one is refused in Chinese; the
// lock screen covers the window and the same passphrase opens it again.
test('a new start asks for the passphrase; 锁定 locks until it is typed again', async () => {
  await browser.deleteSession()
  await restartApp()
  const view = await waitFor('[data-testid="unlock-view"]', 30000)
  assert.match(await view.getText(), /本机台账已加密/)
  assert.equal((await browser.$$('.el-menu')).length, 0, 'no menu before unlock')
  await shot('unlock')

  await typeInto('unlock-passphrase', 'not-the-passphrase')
  await (await waitFor('[data-testid="unlock-submit"]')).click()
  const error = await waitFor('[data-testid="unlock-view"] .el-form-item__error')
  await browser.waitUntil(async () => /口令/.test(await error.getText()), { timeout: 10000, timeoutMsg: 'a wrong passphrase is refused' })
  await sleep(500) // the error's fade-in
  await shot('unlock-wrong')

  await typeInto('unlock-passphrase', PASSPHRASE)
  await (await waitFor('[data-testid="unlock-submit"]')).click()
  await waitFor('[data-testid="dashboard"]', 30000)
  const text = await browser.execute(() => document.body.innerText)
  assert.match(text, /翠月湖村警务室/)

  await (await waitFor('[data-testid="lock-now"]')).click()
  const lock = await waitFor('[data-testid="lock-screen"]')
  assert.match(await lock.getText(), /已锁定/)
  await shot('lock')
  // The shell itself refuses data while locked (not only the screen): a command sent anyway.
  const refused = await browser.executeAsync((done) => {
    window.__TAURI_INTERNALS__.invoke('record_list', { register: 'visits', query: { limit: 10 } })
      .then(() => done('answered'), (e) => done(e && e.code))
  })
  assert.equal(refused, 'locked', 'record_list is refused with `locked` while the app is locked')
  await typeInto('lock-passphrase', PASSPHRASE)
  await (await waitFor('[data-testid="lock-submit"]')).click()
  await browser.waitUntil(async () => (await browser.$$('[data-testid="lock-screen"]')).length === 0,
    { timeout: 20000, timeoutMsg: 'the lock screen goes after the passphrase' })
  // The data commands answer again.
  await browser.execute(() => { location.hash = '#/visits' })
  await browser.waitUntil(async () => (await browser.execute(() => document.body.innerText)).includes('王芳'),
    { timeout: 15000, timeoutMsg: 'the visits list answers after unlocking' })
})

// A forgotten passphrase, recovered through the station with the real key files: the office is
// enrolled (the CLI, as the station's clerk and the officer would), the app writes the request
// to the "stick", the station answers it (CLI), and the answer, the code and a new passphrase
// open the office in the app; the CLI then reads it with the new passphrase.
test('忘记口令: the request to the stick, the station’s answer and code, a new passphrase', async () => {
  const stick = join(home, 'stick')
  mkdirSync(stick, { recursive: true })
  const stationDb = join(home, 'station', 'station.db')
  mkdirSync(join(home, 'station'), { recursive: true })
  const station = (...args) => execFileSync(cli, ['station', '--station-db', stationDb, ...args],
    { env: { ...env, CUNJING_PASSPHRASE: '汇总站口令2026冬' }, encoding: 'utf8' })
  station('init', '--station-name', '青山镇派出所')
  station('enroll', '--office-code', 'CYH-01', '--office-name', '翠月湖村警务室', '--out', join(stick, 'CYH-01.cje'))
  cunjing('enroll', join(stick, 'CYH-01.cje'))

  await browser.deleteSession()
  await restartApp()
  await waitFor('[data-testid="unlock-view"]', 30000)
  await (await waitFor('[data-testid="unlock-forgot"]')).click()
  await typeInto('usb-folder', stick)
  await (await waitFor('[data-testid="recover-write"]')).click()
  const written = await waitFor('[data-testid="recover-written"]')
  await browser.waitUntil(async () => (await written.getText()).includes('CYH-01-recovery.cjq'), { timeout: 10000, timeoutMsg: 'the request is written' })
  const request = join(stick, 'CYH-01-recovery.cjq')
  assert.ok(existsSync(request), 'the request is on the stick')

  const answer = JSON.parse(station('recover', request, '--out', join(stick, 'CYH-01-recovery.cja'), '--json'))
  assert.match(answer.label, /CYH-01/)
  // The folder again, so the answer is listed.
  await typeInto('usb-folder', `${stick}/`)
  await waitFor('[data-testid="recover-response-CYH-01-recovery.cja"]')
  await (await waitFor('[data-testid="recover-response-CYH-01-recovery.cja"]')).click()
  await typeInto('recover-code', answer.code)
  await typeInto('recover-passphrase', '新的口令2026年冬')
  await typeInto('recover-passphrase-again', '新的口令2026年冬')
  await shot('recover')
  await (await waitFor('[data-testid="recover-submit"]')).click()
  await waitFor('[data-testid="dashboard"]', 30000)
  const office = JSON.parse(execFileSync(cli, ['office', '--json'], { env: { ...env, CUNJING_PASSPHRASE: '新的口令2026年冬' }, encoding: 'utf8' }))
  assert.equal(office.code, 'CYH-01')
})
