// What every real-app test needs (not a test itself: node --test runs only *.test.mjs): the
// binaries from the environment, a fresh HOME with XDG folders (WebKit writes under $HOME, and the
// databases go to the default data directory), tauri-driver, a WebDriver session on the app, and
// the few page helpers the tests share.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { remote } from 'webdriverio'

export const app = process.env.CUNJING_APP
assert.ok(app && existsSync(app), `CUNJING_APP must name the built app binary (got ${app})`)

/** The built `cunjing` CLI, for the tests that read the app's files with it (measuring memory does not). */
export function requireCli() {
  const cli = process.env.CUNJING_BIN
  assert.ok(cli && existsSync(cli), `CUNJING_BIN must name the built cunjing CLI (got ${cli})`)
  return cli
}

/** A fresh HOME under the temp folder (`prefix`), its XDG folders and any `extra` folders in it. */
export function freshHome(prefix, extra = []) {
  const home = mkdtempSync(join(tmpdir(), prefix))
  const env = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: join(home, 'runtime'),
  }
  delete env.CUNJING_DB
  delete env.CUNJING_STATION_DB
  for (const d of ['data', 'config', 'cache', 'runtime', ...extra]) mkdirSync(join(home, d), { recursive: true, mode: 0o700 })
  return { home, env }
}

/** tauri-driver on `port`, with the test's environment (the app inherits it). */
export async function startDriver(env, port = 4444) {
  const driver = spawn('tauri-driver', ['--port', String(port)], { env, stdio: ['ignore', 'inherit', 'inherit'] })
  await sleep(1500)
  return driver
}

/** A new WebDriver session: starts the app. */
export function startApp(port = 4444) {
  return remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryCount: 5,
    capabilities: { browserName: 'wry', 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: app } },
  })
}

/** Page helpers over the current session (`session()` returns it; a test may restart the app). */
export function pageHelpers(session) {
  async function waitFor(selector, timeout = 20000) {
    const el = await session().$(selector)
    await el.waitForDisplayed({ timeout })
    return el
  }
  async function typeInto(testid, text) {
    const el = await waitFor(
      `input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`,
    )
    await el.click()
    if (await el.getValue()) {
      // WebKitWebDriver's clear leaves Vue's model as it was: select all and delete, as a user would.
      await session().keys(['Control', 'a'])
      await session().keys(['Backspace'])
    }
    await el.setValue(text)
    await session().waitUntil(async () => (await el.getValue()) === text, { timeout: 5000, timeoutMsg: `typed into ${testid}` })
  }
  async function shot(name) {
    if (process.env.CUNJING_SHOTS) await session().saveScreenshot(join(process.env.CUNJING_SHOTS, `real-app-${name}.png`))
  }
  return { waitFor, typeInto, shot }
}

/** Fills the first-start form with the test office and `passphrase` (twice); the caller submits. */
export async function fillSetup(typeInto, passphrase) {
  await typeInto('setup-name', '翠月湖村警务室')
  await typeInto('setup-code', 'CYH-01')
  await typeInto('setup-officer', '李建国')
  await typeInto('setup-police-number', '012345')
  await typeInto('setup-officer-phone', '13812345678')
  await typeInto('setup-station-name', '城关派出所')
  await typeInto('setup-station-phone', '0571-12345678')
  await typeInto('setup-passphrase', passphrase)
  await typeInto('setup-passphrase-again', passphrase)
}
