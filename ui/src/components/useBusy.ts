// One action at a time on a screen: which one is running (for its button's spinner) and the
// core's error of the last one, shown until the next action or dismissed.
import { ref } from 'vue'
import type { IpcError } from '../bindings/IpcError'
import { CommandError, toIpcError } from '../api/ipc'

export function useBusy() {
  const busy = ref('')
  const error = ref<IpcError | null>(null)

  /** Runs `work` as action `what`; on failure keeps the error and gives `undefined`. */
  async function run<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    busy.value = what
    error.value = null
    try {
      return await work()
    } catch (e) {
      error.value = e instanceof CommandError ? e.detail : toIpcError(e)
      return undefined
    } finally {
      busy.value = ''
    }
  }

  return { busy, error, run }
}
