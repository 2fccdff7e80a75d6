// What every register screen shares: its table, its form, the record open in the detail drawer,
// and the links that arrive as `?new=1[&household=<id>]` (a new entry) or `?open=<id>` (a record),
// also when the screen is already showing (the view is then reused, not mounted again).
import { onMounted, ref, watch } from 'vue'
import { useRoute, type LocationQuery } from 'vue-router'
import type { RecordJson } from '../api/ipc'

interface TableHandle {
  reload: () => void
}
interface FormHandle {
  startNew: (preset?: Record<string, unknown>) => void
  startEdit: (record: RecordJson) => void
}

export function useRegisterPage(routeName: string, presetFromQuery: (q: LocationQuery) => Record<string, unknown> = () => ({})) {
  const route = useRoute()
  const table = ref<TableHandle | null>(null)
  const form = ref<FormHandle | null>(null)
  const openId = ref<string | null>(null)

  /** After a save: the list shows it, the drawer closes. */
  function saved() {
    table.value?.reload()
    openId.value = null
  }
  /** 修改 in the drawer: the drawer gives way to the form. */
  function edit(record: RecordJson) {
    openId.value = null
    form.value?.startEdit(record)
  }
  function followLink() {
    if (route.name !== routeName) return
    if (route.query.open) openId.value = String(route.query.open)
    if (route.query.new) form.value?.startNew(presetFromQuery(route.query))
  }
  onMounted(followLink)
  watch(() => route.fullPath, followLink)

  return { table, form, openId, saved, edit }
}

/** `?household=<id>` presets the household of a new visit or resident. */
export const householdFromQuery = (q: LocationQuery) => (q.household ? { household_id: String(q.household) } : {})
