import { describe, expect, it } from 'vitest';
import { ageOn, parseBirthDate } from './birth-date';

const now = new Date('2026-11-22T23:30:00Z');

describe('birth dates', () => {
  it('accepts real past dates in YYYY-MM-DD', () => {
    expect(parseBirthDate(' 2000-02-29 ', now)).toEqual({ ok: true, value: '2000-02-29' });
    expect(parseBirthDate('2026-11-22', now)).toEqual({ ok: true, value: '2026-11-22' });
  });

  it('refuses malformed, impossible, future and too early dates', () => {
    expect(parseBirthDate('1990-13-01', now)).toEqual({ ok: false, problem: 'invalid' });
    expect(parseBirthDate('1990-02-30', now)).toEqual({ ok: false, problem: 'invalid' });
    expect(parseBirthDate('01/02/1990', now)).toEqual({ ok: false, problem: 'invalid' });
    expect(parseBirthDate('2026-11-23', now)).toEqual({ ok: false, problem: 'future' });
    expect(parseBirthDate('1899-12-31', now)).toEqual({ ok: false, problem: 'too_early' });
  });

  it('counts full years, birthdays included', () => {
    expect(ageOn('2013-11-22', now)).toBe(13);
    expect(ageOn('2013-11-23', now)).toBe(12);
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
    expect(ageOn('2008-02-29', new Date('2026-03-01T00:00:00Z'))).toBe(18);
    expect(ageOn('nope', now)).toBeNull();
  });
});
