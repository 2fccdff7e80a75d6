// The real app as a county station (issue 7): first start in station mode with the station's own
// passphrase and its 恢复码 shown once; a new start asks for the station passphrase; an office's
// recovery request (made by the CLI, with real key files) is answered on the station screen, and
// the code shown there opens the office's key file again (CLI).
//
// Needs what app.e2e.test.mjs needs (CUNJING_APP, CUNJING_BIN, tauri-driver, a display).
import { test, before, after } from 'node:test'
import { requireCli, freshHome, startDriver, startApp, pageHelpers } from './support.mjs'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

const cli = requireCli()

const { home, env } = freshHome('cunjing-e2e-station-', ['stick', 'office'])
const stationDb = join(home, 'data', 'cunjing', 'station.db')
const officeDb = join(home, 'office', 'office.db')
const stick = join(home, 'stick')
const STATION_PASS = '青山镇汇总站口令'
const OFFICE_PASS = '翠月湖村警务室2026'

let driver
let browser
const { waitFor, typeInto, shot } = pageHelpers(() => browser)

function run(args, extra = {}) {
  return execFileSync(cli, args, { env: { ...env, ...extra }, encoding: 'utf8' })
}
const station = (...args) => run(['station', '--station-db', stationDb, ...args], { CUNJING_PASSPHRASE: STATION_PASS })
const office = (...args) => run(['--db', officeDb, ...args], { CUNJING_PASSPHRASE: OFFICE_PASS })

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

test('station: first start with its passphrase and 恢复码, then unlock, then a recovery answer', async () => {
  // 1. First start as the station.
  await (await waitFor('[data-testid="setup-mode-station"]')).click()
  await typeInto('setup-station-mode-name', '青山镇派出所')
  await typeInto('setup-station-passphrase', STATION_PASS)
  await typeInto('setup-station-passphrase-again', STATION_PASS)
  await (await waitFor('[data-testid="setup-station-submit"]')).click()
  const code = await waitFor('[data-testid="station-recovery-code-value"]', 30000)
  const recoveryCode = (await code.getText()).trim()
  assert.match(recoveryCode, /\S{8,}/, 'the station recovery code is shown')
  await shot('station-recovery-code')
  await (await waitFor('[data-testid="station-recovery-code-done"]')).click()
  await waitFor('[data-testid="station-view"]', 30000)
  assert.ok(existsSync(`${stationDb}.key`), 'the station database has its key file')
  assert.ok(!existsSync(join(home, 'data', 'cunjing', 'office.db')), 'no office database is made on a station machine')

  // 2. An office enrolled with this station, and its officer's recovery request (CLI).
  station('enroll', '--office-code', 'CYH-01', '--office-name', '翠月湖村警务室', '--out', join(stick, 'CYH-01.cje'))
  office('init', '--office-name', '翠月湖村警务室', '--office-code', 'CYH-01', '--officer', '李建国')
  office('enroll', join(stick, 'CYH-01.cje'))
  run(['--db', officeDb, 'recovery', 'request', '--out', join(stick, 'CYH-01-recovery.cjq')])

  // 3. A new start asks for the station's passphrase.
  await browser.deleteSession()
  await restartApp()
  const unlock = await waitFor('[data-testid="unlock-view"]', 30000)
  assert.match(await unlock.getText(), /汇总站/)
  await typeInto('unlock-passphrase', STATION_PASS)
  await (await waitFor('[data-testid="unlock-submit"]')).click()
  await waitFor('[data-testid="station-view"]', 30000)

  // 4. The answer: on the stick; the code on screen.
  await typeInto('usb-folder', stick)
  await (await waitFor('//div[contains(@class, "el-tabs__item")][contains(., "找回口令答复")]')).click()
  await (await waitFor('[data-testid="recovery-answer-CYH-01-recovery.cjq"]')).click()
  const answerCode = await waitFor('[data-testid="recovery-answer-code"]', 30000)
  const oneTime = (await answerCode.getText()).trim()
  assert.match(await (await waitFor('[data-testid="recovery-answer"]')).getText(), /CYH-01 翠月湖村警务室/)
  await sleep(500)
  await shot('station-recovery-answer')
  assert.ok(existsSync(join(stick, 'CYH-01-recovery.cja')), 'the answer is on the stick')

  // 5. The officer applies it (CLI): the new passphrase opens the office.
  run(['--db', officeDb, 'recovery', 'apply', join(stick, 'CYH-01-recovery.cja')],
    { CUNJING_RECOVERY_CODE: oneTime, CUNJING_NEW_PASSPHRASE: '新的口令2026年冬' })
  const info = JSON.parse(run(['--db', officeDb, 'office', '--json'], { CUNJING_PASSPHRASE: '新的口令2026年冬' }))
  assert.equal(info.code, 'CYH-01')
})
