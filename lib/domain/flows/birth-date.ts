/**
 * Birth dates are calendar dates (YYYY-MM-DD) without a time zone. Rules of parseBirthDate:
 * 1. the format is YYYY-MM-DD (what <input type="date"> submits) and the date exists;
 * 2. not before EARLIEST_BIRTH_DATE;
 * 3. not after today (UTC; a day's slack would still refuse tomorrow).
 */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

export type BirthDateProblem = 'invalid' | 'future' | 'too_early';

/** Today as YYYY-MM-DD in UTC. */
export function isoDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function parts(value: string): [number, number, number] | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return [y, mo, d];
}

export function parseBirthDate(value: string, now: Date): { ok: true; value: string } | { ok: false; problem: BirthDateProblem } {
  const trimmed = value.trim();
  if (!parts(trimmed)) return { ok: false, problem: 'invalid' };
  // YYYY-MM-DD strings compare in date order.
  if (trimmed > isoDay(now)) return { ok: false, problem: 'future' };
  if (trimmed < EARLIEST_BIRTH_DATE) return { ok: false, problem: 'too_early' };
  return { ok: true, value: trimmed };
}

/** Full years on `today` (UTC); null for a malformed date. Someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, today: Date): number | null {
  const p = parts(birthDate);
  if (!p) return null;
  const [y, m, d] = p;
  const ty = today.getUTCFullYear();
  const tm = today.getUTCMonth() + 1;
  const td = today.getUTCDate();
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}
