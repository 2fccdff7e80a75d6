// Dashboard arithmetic: how far an actual figure is towards its target.

export interface Progress {
  actual: number
  target: number
  percent: number
  done: boolean
  /** No target set (0): show the figure only. */
  noTarget: boolean
}

export function progress(actual: number, target: number): Progress {
  if (target <= 0) return { actual, target, percent: 100, done: true, noTarget: true }
  const percent = Math.min(100, Math.round((actual / target) * 100))
  return { actual, target, percent, done: actual >= target, noTarget: false }
}

/** Element Plus progress colour: green when met, orange when behind. */
export function progressStatus(p: Progress): 'success' | 'warning' | '' {
  if (p.noTarget) return ''
  return p.done ? 'success' : 'warning'
}
