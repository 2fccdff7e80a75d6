// Running the built UI (ui/dist) in Debian's Chromium with the Tauri IPC replaced by a
// FakeBackend living in the test process. Nothing is served over a socket and nothing is
// downloaded: every request the page makes is answered from ui/dist or refused (and noted).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, extname, join, resolve } from 'node:path'
import { env } from 'node:process'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import type { CodeLists } from '../../../src/bindings/CodeLists'
import { FakeBackend, type Json } from './fakeBackend'

const UI = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
/** The built UI; CUNJING_UI_DIST may point at another build. */
export const DIST = resolve(env.CUNJING_UI_DIST ?? join(UI, 'dist'))
export const SHOTS = join(UI, 'test-results', 'mocked')
export const ORIGIN = 'http://cunjing.test'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.json': 'application/json',
}

/** The code lists the real core serves, from `cunjing codes --json` (no database needed). */
export function realCodeLists(): CodeLists {
  const bin = env.CUNJING_BIN ?? join(UI, '..', 'target', 'debug', 'cunjing')
  if (!existsSync(bin)) throw new Error(`the cunjing CLI is not built at ${bin} (cargo build -p cunjing-cli, or set CUNJING_BIN)`)
  return JSON.parse(execFileSync(bin, ['codes', '--json'], { encoding: 'utf8' })) as CodeLists
}

export async function launch(): Promise<Browser> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no built UI in ${DIST}: run npx vite build first`)
  return chromium.launch({
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  })
}

export interface AppPage {
  context: BrowserContext
  page: Page
  backend: FakeBackend
  /** URLs the page asked for outside ui/dist (refused). */
  outside: string[]
  /** console.error lines and uncaught exceptions. */
  errors: string[]
}

/** A fresh context (own storage) on `hash` of the built UI, talking to `backend`. */
export async function openApp(browser: Browser, backend: FakeBackend, hash = '#/', opts: { fakeClock?: boolean } = {}): Promise<AppPage> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  // The page's timers and Date under the test's control (the idle lock).
  if (opts.fakeClock) await context.clock.install()
  const outside: string[] = []
  const errors: string[] = []
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url())
    if (url.origin !== ORIGIN) {
      outside.push(url.href)
      return route.abort('blockedbyclient')
    }
    const file = join(DIST, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname))
    if (!file.startsWith(DIST) || !existsSync(file)) {
      errors.push(`not in ui/dist: ${url.pathname}`)
      return route.fulfill({ status: 404, body: 'not in ui/dist' })
    }
    return route.fulfill({ status: 200, body: readFileSync(file), contentType: TYPES[extname(file)] ?? 'application/octet-stream' })
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.exposeFunction('__cunjingIpc', (cmd: string, argsJson: string) => {
    try {
      return JSON.stringify({ ok: true, value: backend.handle(cmd, JSON.parse(argsJson) as Json) ?? null })
    } catch (error) {
      return JSON.stringify({ ok: false, error })
    }
  })
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>
    const ipc = w.__cunjingIpc as (cmd: string, args: string) => Promise<string>
    w.__TAURI_INTERNALS__ = {
      invoke: async (cmd: string, args?: unknown) => {
        const r = JSON.parse(await ipc(cmd, JSON.stringify(args ?? {})))
        if (r.ok) return r.value
        throw r.error
      },
      transformCallback: (cb: unknown) => {
        const id = Math.random()
        w[`_${id}`] = cb
        return id
      },
      metadata: { currentWindow: { label: 'main' }, currentWebview: { label: 'main', windowLabel: 'main' } },
    }
  })
  await page.goto(`${ORIGIN}/${hash}`)
  await page.locator('#app > *').first().waitFor()
  return { context, page, backend, outside, errors }
}

/** Closes the page's context; fails the test if the page asked for anything outside ui/dist. */
export async function closeApp(app: AppPage | null) {
  if (!app) return
  await app.context.close()
  expect(app.outside, 'requests outside ui/dist (refused)').toEqual([])
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled' })
}

/** The <input>/<textarea> of an Element Plus input carrying `data-testid` (on the input or a wrapper). */
export function field(page: Page, testid: string): Locator {
  return page.locator(`input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`).first()
}

/** The form item labelled exactly `label` (its error text is `.el-form-item__error`). */
export function formItem(scope: Page | Locator, label: string): Locator {
  const page = 'page' in scope ? scope.page() : scope
  return scope.locator('.el-form-item').filter({ has: page.locator('.el-form-item__label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
}

/** Words that must not show in the zh-CN UI: raw values, English leaks, raw codes, i18n keys. */
export const LEAKS: RegExp[] = [
  /\bundefined\b/, /\bnull\b/, /\bNaN\b/, /\bLoading\b/, /Invalid Date/, /\[object Object\]/,
  /\b(in_home|on_site|info_check|safety_publicity|officer_led|volunteer|homestead|mediating|party_request|left_behind|key_person|registered|female|satisfied|yellow)\b/,
  /\b(nav|common|fields|meta|history|dashboard|setup|search|settings|void|sort)\.[a-z_]+/,
]

export function leaksIn(text: string): string[] {
  return LEAKS.map((re) => re.exec(text)?.[0]).filter((m): m is string => Boolean(m))
}

/** Today as the zh-CN UI writes it: `2026年11月28日`. */
export function dateZh(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** expect.poll with a timeout fit for a browser (UI updates after an IPC round trip). */
export function until<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 10_000, interval: 100 })
}
