import { defineConfig } from 'vitest/config'

// Playwright (playwright-core + Debian's chromium) against the built UI, Tauri IPC mocked.
export default defineConfig({
  test: {
    include: ['tests/mocked/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
