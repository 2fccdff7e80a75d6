// The idle lock (issue 7): keyboard, mouse and touch count as activity; after the office's
// minutes without any, the lock screen shows and the shell is told (lock_now), so it refuses every
// data command until the passphrase. Activity is reported to the shell at most every half minute
// (vault_touch), which keeps its own backstop timer from locking a working officer.
import { onBeforeUnmount, onMounted } from 'vue'
import { api } from '../api/ipc'
import { idleExpired } from '../logic/passphrase'
import { app } from '../state'

const EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const
const TOUCH_EVERY_MS = 30_000
const CHECK_EVERY_MS = 5_000

export function useIdleLock() {
  let last = Date.now()
  let lastTouch = 0
  let timer: ReturnType<typeof setInterval> | null = null

  function active() {
    return !!app.vault?.lockable && app.vault.step === 'open' && !app.locked
  }
  function onActivity() {
    if (!active()) return
    const now = Date.now()
    last = now
    if (now - lastTouch >= TOUCH_EVERY_MS) {
      lastTouch = now
      api.touch().then((open) => { if (!open) app.locked = true }, () => {})
    }
  }
  async function check() {
    if (!active()) {
      last = Date.now()
      return
    }
    if (idleExpired(last, Date.now(), app.vault?.idle_lock_minutes ?? 0)) {
      app.locked = true
      await api.lockNow().catch(() => {})
    }
  }
  onMounted(() => {
    for (const e of EVENTS) window.addEventListener(e, onActivity, { passive: true, capture: true })
    timer = setInterval(check, CHECK_EVERY_MS)
  })
  onBeforeUnmount(() => {
    for (const e of EVENTS) window.removeEventListener(e, onActivity, { capture: true })
    if (timer) clearInterval(timer)
  })
  /** 锁定 now (the header's button). */
  async function lockNow() {
    app.locked = true
    await api.lockNow().catch(() => {})
  }
  return { lockNow }
}
