// App-wide state loaded once at start: the office (null before setup), the station (station
// mode only) and the choice lists.
import { reactive } from 'vue'
import { api } from './api/ipc'
import type { CodeLists } from './bindings/CodeLists'
import type { Office } from './bindings/Office'
import type { StationInfo } from './bindings/StationInfo'
import type { StartupStatus } from './bindings/StartupStatus'

export const app = reactive({
  loaded: false,
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

export async function loadApp() {
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
