// App-wide state loaded once at start: the office (null before setup), the station (station
// mode only) and the choice lists.
import { reactive } from 'vue'
import { api, lockListener } from './api/ipc'
import type { CodeLists } from './bindings/CodeLists'
import type { Office } from './bindings/Office'
import type { StationInfo } from './bindings/StationInfo'
import type { StartupStatus } from './bindings/StartupStatus'
import type { VaultStatus } from './bindings/VaultStatus'

export const app = reactive({
  loaded: false,
  /** Which first screen (setup, unlock, encrypt) or open; the lock (issue 7). Null when the shell
   *  could not say. */
  vault: null as VaultStatus | null,
  /** The idle lock (or 锁定) is on: the lock screen covers everything until the passphrase. */
  locked: false,
  office: null as Office | null,
  /** Set when this machine is a county station (station mode). */
  station: null as StationInfo | null,
  databasePath: '',
  /** The demo's own database is open (用演示数据体验): every screen says 演示. */
  demo: false,
  today: '',
  codeLists: null as CodeLists | null,
  loadError: '',
  /** How this start went (issue 7): a damaged database (recovery mode: nothing else works),
   *  a restore done or refused at start-up. Null when the shell could not say. */
  startup: null as StartupStatus | null,
  /** The notice of a restore done or refused at this start was closed. */
  startupNoticeSeen: false,
})

// The shell refused a command because the app is locked: show the lock screen.
lockListener.onLocked = () => {
  if (app.vault?.lockable) app.locked = true
}

/** Is the database open (unlocked once, or the demo)? Before that only the vault's screens show. */
export function isOpen(): boolean {
  return app.vault?.step === 'open'
}

export async function loadApp() {
  // Asked first: nothing is open until the passphrase is typed (or first-start setup is done).
  try {
    app.vault = await api.vaultStatus()
  } catch (e) {
    app.loadError = e instanceof Error ? e.message : String(e)
    app.loaded = true
    return
  }
  app.locked = app.vault.locked
  if (app.vault.step !== 'open') {
    app.loaded = true
    return
  }
  await loadOpened()
}

/** Once the database is open: how the start went, the office or station, the choice lists. */
export async function loadOpened() {
  app.loadError = ''
  // Asked first: when the database is damaged no other command answers, and the app shows the
  // recovery screen only.
  try {
    app.startup = await api.startupStatus()
  } catch {
    app.startup = null
  }
  if (app.startup?.damaged) {
    app.databasePath = app.startup.database_path
    app.loaded = true
    return
  }
  try {
    const [info, lists] = await Promise.all([api.appInfo(), api.codeLists()])
    app.office = info.office
    app.station = info.station
    app.databasePath = info.database_path
    app.demo = info.demo
    app.today = info.today
    app.codeLists = lists
  } catch (e) {
    app.loadError = e instanceof Error ? e.message : String(e)
  } finally {
    app.loaded = true
  }
}

/** After unlock, setup or encryption opened the database: the vault's status again, then the rest. */
export async function opened() {
  app.vault = await api.vaultStatus()
  app.locked = false
  await loadOpened()
}
