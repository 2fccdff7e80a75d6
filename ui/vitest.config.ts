import { defineConfig } from 'vitest/config'

// Unit tests of view logic (pure TypeScript, no DOM).
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
})
