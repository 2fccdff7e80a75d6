import { createApp } from 'vue'
import { elementPlus } from './element-plus'
import './styles.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { loadApp } from './state'

loadApp().then(() => {
  createApp(App).use(elementPlus).use(i18n).use(router).mount('#app')
})
