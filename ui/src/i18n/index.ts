import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export type Locale = 'zh-CN' | 'en'

const saved = (typeof localStorage !== 'undefined' && localStorage.getItem('cunjing.locale')) as Locale | null

export const i18n = createI18n({
  legacy: false,
  locale: saved ?? 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function setLocale(locale: Locale) {
  i18n.global.locale.value = locale
  localStorage.setItem('cunjing.locale', locale)
}

/** 'zh' or 'en', for the code lists' labels. */
export function lang(): 'zh' | 'en' {
  return i18n.global.locale.value === 'en' ? 'en' : 'zh'
}
