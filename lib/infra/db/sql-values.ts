/**
 * Column values as the hot-path SQL (sqlOf) returns them, which differ by database: SQLite gives
 * booleans as 0/1 and DATETIME columns as Date or text, PostgreSQL gives booleans and Dates.
 */
export function sqlDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Date(Number(v));
  return new Date(String(v));
}

export function sqlDateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : sqlDate(v);
}

export function sqlBool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === '1' || v === 't' || v === 'true';
}
