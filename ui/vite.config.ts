import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// The UI is served by the Tauri shell from ui/dist; nothing is fetched from a network at run time.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  server: { port: 5173, strictPort: true, fs: { allow: ['..'] } },
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
})
