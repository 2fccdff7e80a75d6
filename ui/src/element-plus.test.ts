// Element Plus is registered component by component (src/element-plus.ts): a tag used in a
// template but not registered renders nothing, and a registered one without its stylesheet
// renders unstyled. Read as text: the module imports stylesheets, which the node test environment
// does not load.
import { describe, expect, it } from 'vitest'
import module from './element-plus.ts?raw'

// Every template of the UI, as text (Vite's glob import: the test environment has no DOM).
const templates = import.meta.glob<string>('./**/*.vue', { query: '?raw', import: 'default', eager: true })

const kebab = (pascal: string) => pascal.replace(/^El/, '').replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())

const registered = (() => {
  const block = /COMPONENTS: Record<string, Component> = \{([^}]*)\}/.exec(module)
  return new Set((block?.[1] ?? '').split(/[\s,]+/).filter(Boolean).map(kebab))
})()
const styled = new Set([...module.matchAll(/element-plus\/es\/components\/([a-z-]+)\/style\/css/g)].map((m) => m[1]))

describe('Element Plus on demand', () => {
  it('registers every <el-…> that a template uses', () => {
    const used = new Set<string>()
    for (const text of Object.values(templates)) {
      for (const m of text.matchAll(/<el-([a-z-]+)/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(30)
    expect([...used].filter((tag) => !registered.has(tag))).toEqual([])
  })
  it('imports the stylesheet of each registered component, v-loading and ElMessage', () => {
    expect([...registered].filter((tag) => !styled.has(tag))).toEqual([])
    expect(styled.has('loading') && styled.has('message')).toBe(true)
  })
})
