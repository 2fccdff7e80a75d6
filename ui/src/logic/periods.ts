// 考评 periods: a quarter (`2026-Q4`), a half-year (`2026-H2`) or a year (`2026`).

export type PeriodKind = 'quarter' | 'half' | 'year'

export interface PeriodChoice {
  kind: PeriodKind
  year: number
  /** The quarter (1–4) or the half (1–2); unused for a year. */
  n: number
}

/** The quarter holding `today` (`2026-11-28` → 2026 Q4). */
export function currentQuarter(today: string): PeriodChoice {
  const year = Number(today.slice(0, 4))
  const month = Number(today.slice(5, 7))
  return { kind: 'quarter', year, n: Math.floor((month - 1) / 3) + 1 }
}

/** The code the core reads. */
export function periodCode(p: PeriodChoice): string {
  if (p.kind === 'year') return String(p.year)
  return p.kind === 'quarter' ? `${p.year}-Q${p.n}` : `${p.year}-H${p.n}`
}

/** Keeps `n` in range when the kind changes (Q4 → H2). */
export function withKind(p: PeriodChoice, kind: PeriodKind, today: string): PeriodChoice {
  if (kind === 'quarter') return { kind, year: p.year, n: p.kind === 'half' ? (p.n === 1 ? 2 : 4) : currentQuarter(today).n }
  if (kind === 'half') return { kind, year: p.year, n: p.kind === 'quarter' ? (p.n <= 2 ? 1 : 2) : Number(today.slice(5, 7)) <= 6 ? 1 : 2 }
  return { kind, year: p.year, n: 1 }
}

/** Score colour: green ≥ 90, blue ≥ 75, orange ≥ 60, red below. */
export function scoreStatus(score: number | null): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  if (score === null) return 'info'
  if (score >= 90) return 'success'
  if (score >= 75) return 'primary'
  if (score >= 60) return 'warning'
  return 'danger'
}
