// The app's idle memory (issue 6), measured on the real debug app: the Tauri binary under Xvfb,
// driven over WebDriver (tauri-driver + WebKitWebDriver) exactly like app.e2e.test.mjs, with a
// fresh HOME and XDG folders. It goes through first-start setup with a passphrase (the database is
// created encrypted), waits for the dashboard, lets the app sit idle, then reads
// /proc/PID/smaps_rollup of EVERY process of the app — cunjing-app and the WebKit processes it
// spawned (WebKitWebProcess, WebKitNetworkProcess, any other child) — and sums RSS, PSS and
// private (clean + dirty) memory. PSS summed over the processes is "the app's idle memory"
// (docs/PERFORMANCE.md): a shared page is counted once in total, split between its users.
//
// Not a test (its name does not match node --test's patterns): run it with
// scripts/measure-memory.sh, which sets up Xvfb at 1366×768 and the environment.
//
// Environment:
//   CUNJING_APP      the app binary (required)
//   IDLE_SECONDS     idle time on the dashboard before reading /proc (default 30)
//   RUNS             how many fresh starts to measure (default 1); the median is reported
//   SCREEN           dashboard (default: setup with a passphrase, then the dashboard) | setup
//                    (the first-start screen, nothing typed)
//   NO_DRIVER=1      SCREEN=setup only: start the app directly, without WebDriver (to see what
//                    the automation session itself costs)
//   MEASURE_SHOT     a PNG path: a screenshot of the X screen once measured (ImageMagick's import)
//   MEASURE_JSON     a path: the per-run figures as JSON
//   MEASURE_SMAPS    a directory: a copy of each process's /proc/PID/smaps (per-mapping detail)
//   APP_ENV          extra environment for the app, e.g. 'WEBKIT_DISABLE_COMPOSITING_MODE=1 FOO=bar'
//                    (tauri-driver → WebKitWebDriver → the app inherit it)
//   DRIVER_PORT      tauri-driver's port (default 4460; the native driver gets the next one)
//   MEASURE_NAV=1    once measured, time navigations through the menu's screens (NAV_ROUNDS rounds,
//                    default 3; the first loads each screen's chunk): how a setting that saves
//                    memory (e.g. JSC_useJIT=0) costs in responsiveness
import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync, rmSync } from 'node:fs'
import { join, basename } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { app, fillSetup, freshHome, pageHelpers, startApp } from './support.mjs'

const idleSeconds = Number(process.env.IDLE_SECONDS ?? 30)
const runs = Number(process.env.RUNS ?? 1)
const screen = process.env.SCREEN ?? 'dashboard'
const noDriver = process.env.NO_DRIVER === '1'
const port = Number(process.env.DRIVER_PORT ?? 4460)
const PASSPHRASE = '翠月湖村警务室2026'
assert.ok(['dashboard', 'setup'].includes(screen), `SCREEN must be dashboard or setup (got ${screen})`)
assert.ok(!noDriver || screen === 'setup', 'NO_DRIVER=1 only measures the setup screen (nothing can be typed without WebDriver)')

const appEnv = {}
for (const pair of (process.env.APP_ENV ?? '').split(/\s+/).filter(Boolean)) {
  const i = pair.indexOf('=')
  assert.ok(i > 0, `APP_ENV entries are NAME=value (got ${pair})`)
  appEnv[pair.slice(0, i)] = pair.slice(i + 1)
}

// What main() sets on Linux outside WebDriver (decision 0015); under tauri-driver the app leaves
// it to its environment, so it is set here to measure what the officers run. APP_ENV or the
// caller's environment may override it (WEBKIT_DISABLE_COMPOSITING_MODE=0: compositing on).
if (process.env.WEBKIT_DISABLE_COMPOSITING_MODE === undefined && appEnv.WEBKIT_DISABLE_COMPOSITING_MODE === undefined) {
  appEnv.WEBKIT_DISABLE_COMPOSITING_MODE = '1'
}

function freshEnv() {
  const fresh = freshHome('cunjing-mem-')
  Object.assign(fresh.env, appEnv)
  return fresh
}

// --- /proc -----------------------------------------------------------------------------------

function readProc(pid, file) {
  try { return readFileSync(`/proc/${pid}/${file}`, 'utf8') } catch { return null }
}

/** Every process: pid → { ppid, comm }. */
function processTable() {
  const table = new Map()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = readProc(name, 'stat')
    if (!stat) continue
    // pid (comm) state ppid … — comm may hold spaces and parentheses: split at the last ')'.
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const ppid = Number(stat.slice(close + 2).split(' ')[1])
    table.set(Number(name), { ppid, comm })
  }
  return table
}

function descendants(table, root) {
  const out = []
  const queue = [root]
  while (queue.length) {
    const p = queue.shift()
    for (const [pid, info] of table) if (info.ppid === p) { out.push(pid); queue.push(pid) }
  }
  return out
}

/** smaps_rollup in kB: Rss, Pss, Private_Clean, Private_Dirty, … */
function rollup(pid) {
  const text = readProc(pid, 'smaps_rollup')
  if (!text) return null
  const kb = {}
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+) kB/.exec(line)
    if (m) kb[m[1]] = Number(m[2])
  }
  return kb
}

/** The app's processes: cunjing-app (found under `root`, or `root` itself) and all it spawned. */
function appProcesses(root) {
  const table = processTable()
  const appPid = table.get(root)?.comm === 'cunjing-app'
    ? root
    : descendants(table, root).find((pid) => table.get(pid).comm === 'cunjing-app')
  assert.ok(appPid, 'cunjing-app is running')
  const pids = [appPid, ...descendants(table, appPid)]
  // Other WebKit or cunjing processes on the machine share library pages with ours and so lower
  // our PSS a little: name them, so a noisy run can be told apart.
  const foreign = [...table].filter(([pid, { comm }]) => !pids.includes(pid) && /^(WebKit|cunjing-app)/.test(comm))
  // comm is cut at 15 characters (WebKitWebProces): name each by its executable instead.
  const name = (pid) => { try { return basename(readlinkSync(`/proc/${pid}/exe`)) } catch { return table.get(pid)?.comm ?? '?' } }
  return { pids: pids.map((pid) => ({ pid, comm: name(pid) })), foreign: foreign.map(([pid, { comm }]) => `${comm}(${pid})`) }
}

function measure(root) {
  const { pids, foreign } = appProcesses(root)
  const rows = []
  for (const { pid, comm } of pids) {
    if (process.env.MEASURE_SMAPS) {
      mkdirSync(process.env.MEASURE_SMAPS, { recursive: true })
      try { writeFileSync(join(process.env.MEASURE_SMAPS, `${comm}-${pid}.smaps`), readFileSync(`/proc/${pid}/smaps`)) } catch {}
    }
    const r = rollup(pid)
    if (!r) continue
    rows.push({
      process: comm,
      pid,
      rss: r.Rss,
      pss: r.Pss,
      private: (r.Private_Clean ?? 0) + (r.Private_Dirty ?? 0),
      privateDirty: r.Private_Dirty ?? 0,
      pssAnon: r.Pss_Anon ?? 0,
      pssFile: r.Pss_File ?? 0,
    })
  }
  const total = { process: 'total', pid: 0 }
  for (const k of ['rss', 'pss', 'private', 'privateDirty', 'pssAnon', 'pssFile']) total[k] = rows.reduce((s, r) => s + r[k], 0)
  return { rows: [...rows, total], foreign }
}

// --- navigation timing (MEASURE_NAV=1) ------------------------------------------------------

const NAV_ROUTES = ['visits', 'residents', 'households', 'disputes', 'patrols', 'ledger/key_persons', 'assessment', 'print', 'settings', '']

/** Milliseconds from setting the route to the new screen's first frame with nothing loading. */
async function navigate(route) {
  return browser.executeAsync((hash, done) => {
    const main = document.querySelector('.el-main')
    const before = main && main.lastElementChild
    const t0 = performance.now()
    location.hash = '#/' + hash
    const check = () => {
      const view = main && main.lastElementChild
      const loading = document.querySelector('.el-loading-mask')
      if (view && view !== before && !loading) requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)))
      else if (performance.now() - t0 > 15000) done(-1)
      else requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  }, route)
}

async function timeNavigation() {
  const rounds = Number(process.env.NAV_ROUNDS ?? 3)
  const out = []
  for (let r = 0; r < rounds; r++) {
    const times = []
    for (const route of NAV_ROUTES) times.push(Math.round(await navigate(route)))
    out.push(times)
  }
  return out
}

// --- the app --------------------------------------------------------------------------------

let browser

const { waitFor, typeInto } = pageHelpers(() => browser)

async function reach(screenName) {
  if (screenName === 'setup') {
    await browser.waitUntil(async () => /首次设置/.test(await (await waitFor('h1', 60000)).getText()), { timeout: 30000 })
    return
  }
  await waitFor('h1', 60000)
  await fillSetup(typeInto, PASSPHRASE)
  await (await waitFor('[data-testid="setup-submit"]')).click()
  await waitFor('[data-testid="dashboard"]', 60000)
}

async function oneRun(n) {
  const { home, env } = freshEnv()
  let driver
  let direct
  try {
    let root
    if (noDriver) {
      direct = spawn(app, [], { env, stdio: ['ignore', 'ignore', 'inherit'] })
      root = direct.pid
      await sleep(8000) // the window and the page up
    } else {
      driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], { env, stdio: ['ignore', 'ignore', 'inherit'] })
      root = driver.pid
      await sleep(1500)
      browser = await startApp(port)
      await reach(screen)
    }
    process.stderr.write(`run ${n}: on the ${screen} screen; idle ${idleSeconds} s\n`)
    await sleep(idleSeconds * 1000)
    const m = measure(root)
    // The X screen as the officer sees it (ImageMagick's `import`), not WebKit's own snapshot:
    // WebKitWebDriver's screenshot never answers when compositing is off (decision 0015).
    if (process.env.MEASURE_SHOT) spawnSync('import', ['-window', 'root', process.env.MEASURE_SHOT], { stdio: 'inherit' })
    if (process.env.MEASURE_NAV === '1' && browser) m.nav = await timeNavigation()
    return m
  } finally {
    if (browser) await browser.deleteSession().catch(() => {})
    browser = undefined
    driver?.kill()
    direct?.kill()
    await sleep(1000)
    rmSync(home, { recursive: true, force: true })
  }
}

// --- report ---------------------------------------------------------------------------------

const mb = (kb) => (kb / 1024).toFixed(1)
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2 }

const results = []
for (let i = 1; i <= runs; i++) results.push(await oneRun(i))

console.log(`screen: ${screen}${noDriver ? ' (no WebDriver)' : ''}; idle ${idleSeconds} s; runs ${runs}; APP_ENV: ${process.env.APP_ENV || '(none)'}`)
for (const [i, r] of results.entries()) {
  console.log(`run ${i + 1}${r.foreign.length ? `  (other WebKit/app processes on the machine: ${r.foreign.join(' ')})` : ''}`)
  console.log('  process                  RSS MB   PSS MB  private MB  (private dirty)  PSS anon  PSS file')
  for (const row of r.rows) {
    console.log(`  ${row.process.padEnd(22)} ${mb(row.rss).padStart(8)} ${mb(row.pss).padStart(8)} ${mb(row.private).padStart(11)} ${mb(row.privateDirty).padStart(16)} ${mb(row.pssAnon).padStart(9)} ${mb(row.pssFile).padStart(9)}`)
  }
}
if (process.env.MEASURE_NAV === '1') {
  console.log(`navigation, ms to the screen's first frame (${NAV_ROUTES.map((r) => r || 'dashboard').join(', ')})`)
  for (const [i, r] of results.entries()) {
    for (const [k, times] of (r.nav ?? []).entries()) {
      console.log(`  run ${i + 1} round ${k + 1}${k === 0 ? ' (cold)' : ''}: ${times.join(' ')}  total ${times.reduce((a, b) => a + b, 0)}`)
    }
  }
}
if (runs > 1) {
  // Median per process name (the first of each name) and of the total.
  console.log('median over runs')
  const names = results[0].rows.map((r) => r.process)
  for (const name of names) {
    const pick = (k) => median(results.map((r) => r.rows.find((x) => x.process === name)?.[k] ?? 0))
    console.log(`  ${name.padEnd(22)} RSS ${mb(pick('rss'))}  PSS ${mb(pick('pss'))}  private ${mb(pick('private'))}  (dirty ${mb(pick('privateDirty'))})`)
  }
}
const totals = results.map((r) => r.rows.at(-1).pss)
console.log(`THE APP'S IDLE MEMORY (PSS, all processes, median of ${runs}): ${mb(median(totals))} MB` +
  (runs > 1 ? ` (min ${mb(Math.min(...totals))}, max ${mb(Math.max(...totals))})` : ''))
if (process.env.MEASURE_JSON) writeFileSync(process.env.MEASURE_JSON, JSON.stringify({ screen, noDriver, idleSeconds, appEnv, results }, null, 2))
