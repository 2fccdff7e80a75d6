import { createRouter, createWebHashHistory } from 'vue-router'
import { app } from './state'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'dashboard', component: () => import('./views/DashboardView.vue') },
    { path: '/setup', name: 'setup', component: () => import('./views/SetupView.vue') },
    { path: '/households', name: 'households', component: () => import('./views/HouseholdsView.vue') },
    { path: '/residents', name: 'residents', component: () => import('./views/ResidentsView.vue') },
    { path: '/disputes', name: 'disputes', component: () => import('./views/DisputesView.vue') },
    { path: '/patrols', name: 'patrols', component: () => import('./views/PatrolsView.vue') },
    { path: '/visits', name: 'visits', component: () => import('./views/VisitsView.vue') },
    { path: '/search', name: 'search', component: () => import('./views/SearchView.vue') },
    { path: '/print', name: 'print', component: () => import('./views/PrintView.vue') },
    { path: '/sync', name: 'sync', component: () => import('./views/SyncView.vue') },
    { path: '/station', name: 'station', component: () => import('./views/StationView.vue') },
    { path: '/settings', name: 'settings', component: () => import('./views/SettingsView.vue') },
    { path: '/backup', name: 'backup', component: () => import('./views/BackupView.vue') },
    { path: '/ledger/:register', name: 'ledger', component: () => import('./views/LedgerView.vue') },
    { path: '/assessment', name: 'assessment', component: () => import('./views/AssessmentView.vue') },
    { path: '/tables', name: 'tables', component: () => import('./views/TablesView.vue') },
  ],
})

// Until the office (or the station) is set up, every screen is the setup screen; a station
// machine shows the station's screen only.
router.beforeEach((to) => {
  if (!app.loaded) return true
  // Before unlock (or the encryption of an older file) App shows that screen whatever the route;
  // the route asked for opens afterwards.
  if (app.vault && app.vault.step !== 'open' && app.vault.step !== 'setup') return true
  // Recovery mode (a damaged database): App shows the recovery screen alone, whatever the route.
  if (app.startup?.damaged) return true
  // The county tables' export (表格导入导出) serves the station too.
  if (app.station && !app.office) return to.name === 'station' || to.name === 'tables' ? true : { name: 'station' }
  if (!app.office && to.name !== 'setup') return { name: 'setup' }
  if (app.office && (to.name === 'setup' || to.name === 'station')) return { name: 'dashboard' }
  return true
})
