// New passphrases (issue 7): the rules the core applies (at least 8 characters) checked as the
// officer types, the two entries compared, and a rough strength hint. Nothing here is secret
// handling: the passphrase goes to the shell as typed.

/** The core refuses shorter passphrases (ErrorCode weak_passphrase). */
export const MIN_PASSPHRASE = 8

export type Strength = 'weak' | 'fair' | 'strong'

/** Characters, not UTF-16 units: 8 Chinese characters are 8. */
export function length(p: string): number {
  return [...p].length
}

/** weak: too short for the core; fair: long enough; strong: 12+ with mixed kinds, or 16+. */
export function strength(p: string): Strength {
  const n = length(p)
  if (n < MIN_PASSPHRASE) return 'weak'
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(p)).length
  if (n >= 16 || (n >= 12 && kinds >= 3)) return 'strong'
  return 'fair'
}

/** What is wrong with a new passphrase and its repetition, as i18n keys under `vault.` (none: ok). */
export function newPassphraseProblem(p: string, again: string): 'empty' | 'tooShort' | 'mismatch' | null {
  if (!p) return 'empty'
  if (length(p) < MIN_PASSPHRASE) return 'tooShort'
  if (p !== again) return 'mismatch'
  return null
}

/** Minutes of the idle lock as the settings offer them: whole minutes 0..240 (0: off). */
export function idleMinutesValid(m: number): boolean {
  return Number.isInteger(m) && m >= 0 && m <= 240
}

/** Has the idle time run out? `last` and `now` in ms; 0 minutes never locks. */
export function idleExpired(last: number, now: number, minutes: number): boolean {
  return minutes > 0 && now - last >= minutes * 60_000
}
