// The few Node APIs the browser tests use. tsconfig.json type-checks tests/ with only
// `vite/client` types (no @types/node in the project), so `vue-tsc --noEmit` needs these.
// If @types/node is ever added, delete this file.
declare module 'node:child_process' {
  export function execFileSync(file: string, args: string[], options: { encoding: 'utf8' }): string
}
declare module 'node:fs' {
  export function existsSync(path: string): boolean
  export function mkdirSync(path: string, options?: { recursive?: boolean }): void
  export function readFileSync(path: string): Uint8Array
}
declare module 'node:path' {
  export function dirname(path: string): string
  export function extname(path: string): string
  export function join(...parts: string[]): string
  export function resolve(...parts: string[]): string
}
declare module 'node:url' {
  export function fileURLToPath(url: string | URL): string
}
declare module 'node:process' {
  export const env: Record<string, string | undefined>
}
