/** A JSON submission as flat string values (booleans as "true"; false and null left out); null if not an object. */
export function submissionValuesOf(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') values[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) values[k] = String(v);
    else if (v === true) values[k] = 'true';
  }
  return values;
}
