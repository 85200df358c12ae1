import { dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { createCappedScore } from './zxcvbn-capped-score';
import { checkNewPassword, createStrengthEstimator, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, STRENGTH_SCORED_LENGTH } from './password-policy';

/** Passwords of every kind zxcvbn matches, and 150 deterministic passphrases from the bundled word lists. */
function samplePasswords(): string[] {
  const samples = [
    'bench-quiet-copper-meadow-lantern',
    'correct horse battery staple',
    'passwordpasswordpassword',
    'drowssapdrowssap-tnemom',
    'p4ssw0rdp4ssw0rd',
    'l3tm31nl3tm31n!!',
    'summer vvinter annual nnoon',
    'qwertyuiopasdfghjkl',
    'iloveyouiloveyou',
    'Tr0ub4dor&3-and-more',
    '2u2v2n |_| /\\/\\ |< fin',
    'mei-example-harbor-2026',
    'MeiExampleHarbor2026MEI',
    '一二三四五六七八九十一二三四五',
    'İstanbul-straße-ÆØÅ-naïve',
    '',
    'a',
    'abcabcabcabcabcabc',
    '1988-08-08 1988-08-08',
    'zxcvbnm,./zxcvbnm!!',
    // Two matches whose guesses land near 10⁶ (score 1 or 2 by the sequence's factor of 2).
    'kissmemaryjane',
    'AVENUE949',
    // Repeats, keyboard runs and separators at an end, in the middle, or both (zxcvbn-end-matchers.ts).
    'qwemeadowlanternzxc',
    'meadowqwertylantern',
    'meadow-lantern-copper-',
    'ppmeadowlanterncopper',
    'meadowlanterncopperss',
    'lanternlantern-x',
    'x-lanternlantern',
    'abab',
    '1q2w3e4r',
    'Xzq7zq7zq7zq7zq7',
    'zq7zq7zq7zq7zq7X',
    'Rb4eWhjkl;tgb',
    "Q7hjkl;'",
    "hjkl;'Q7",
    'R4zxcvfr',
    'zxcvfrR4',
  ];
  // Deterministic passphrases from the bundled word lists, with separators, capitals, digits.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const words = [...dictionary['diceware-common'].slice(0, 2000), ...dictionary['passwords-common'].slice(0, 2000)].map(String);
  for (let k = 0; k < 150; k += 1) {
    const count = 2 + Math.floor(next() * 4);
    const parts = Array.from({ length: count }, () => {
      const w = words[Math.floor(next() * words.length)]!;
      const r = next();
      return r < 0.2 ? w.toUpperCase() : r < 0.3 ? w.split('').reverse().join('') : w;
    });
    samples.push(parts.join(['-', ' ', '', '.', '_'][Math.floor(next() * 5)]!) + (next() < 0.3 ? String(Math.floor(next() * 100)) : ''));
  }
  return samples;
}

describe('new password policy (NIST SP 800-63B)', () => {
  it('requires 15 characters (the only factor) and allows at least 64, counting code points', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(15);
    expect(PASSWORD_MAX_LENGTH).toBeGreaterThanOrEqual(64);
    expect(checkNewPassword('fourteen-chars')).toMatchObject({ ok: false, reason: 'too_short' });
    expect(checkNewPassword('🙂'.repeat(14))).toMatchObject({ ok: false, reason: 'too_short' });
    expect(checkNewPassword('x'.repeat(PASSWORD_MAX_LENGTH + 1))).toMatchObject({ ok: false, reason: 'too_long' });
    expect(checkNewPassword('horse kayak umbrella tundra quietly '.repeat(2).slice(0, 64))).toMatchObject({ ok: true });
  });

  it('has no composition rules: lower-case words and spaces, or any script, are fine', () => {
    expect(checkNewPassword('violet harbor lantern ninety')).toMatchObject({ ok: true });
    expect(checkNewPassword('すずめがさえずる朝の森の小道を歩く')).toMatchObject({ ok: true });
  });

  it('refuses the common-password list case-insensitively, with the score', () => {
    expect(checkNewPassword('passwordpassword')).toEqual({ ok: false, reason: 'common', score: 0 });
    expect(checkNewPassword('1QAZ2WSX3EDC4RFV')).toMatchObject({ ok: false, reason: 'common' });
  });

  it('refuses repetitive and personal passwords by zxcvbn score', () => {
    expect(checkNewPassword('aaaaaaaaaaaaaaaaaaaa')).toMatchObject({ ok: false, reason: 'weak' });
    expect(checkNewPassword('1234567890123456')).toMatchObject({ ok: false });
    expect(checkNewPassword('mei.lin@example.com2', ['mei.lin@example.com'])).toMatchObject({ ok: false, reason: 'weak' });
  });

  it("reports a refused password's score for the strength meter, as stock zxcvbn-ts scores it", () => {
    const stock = createStrengthEstimator({ stock: true });
    for (const password of ['aaaaaaaaaaaaaaaaaaaa', '1234567890123456', 'abcabcabcabcabcabc', 'qwertyuiopasdfghjkl']) {
      const result = checkNewPassword(password);
      expect(result).toMatchObject({ ok: false, reason: 'weak' });
      expect({ password, score: result.ok ? undefined : result.score }).toEqual({ password, score: stock.check(password).score });
    }
    expect(checkNewPassword('correct horse battery staple')).toEqual({ ok: true });
  });

  it('scores only the first characters (a bounded cost), and still refuses l33t spellings of common words', () => {
    const junk = 'a'.repeat(STRENGTH_SCORED_LENGTH);
    // What follows the scored part is not looked at: a long password must be strong early on.
    expect(checkNewPassword(`${junk}violet harbor lantern ninety`)).toMatchObject({ ok: false, reason: 'weak' });
    expect(checkNewPassword(`violet harbor lantern ninety ${junk}`)).toMatchObject({ ok: true });
    expect(checkNewPassword('p4ssw0rdp4ssw0rd')).toMatchObject({ ok: false });
    expect(checkNewPassword('l3tm31nl3tm31n!!')).toMatchObject({ ok: false, reason: 'weak' });
  });

  it('estimates exactly as stock zxcvbn-ts with its matching and scoring shortcuts (zxcvbn-speedups.ts, zxcvbn-scoring.ts)', () => {
    const ours = createStrengthEstimator();
    const stock = createStrengthEstimator({ stock: true });
    const samples = samplePasswords();
    const describe = (r: ReturnType<typeof ours.check>) => ({
      guesses: r.guesses,
      guessesLog10: r.guessesLog10,
      score: r.score,
      // Every field of every match (pattern, span, token, guesses, dictionary data…).
      sequence: r.sequence,
      warning: r.feedback.warning,
    });
    for (const password of samples) {
      for (const inputs of [[], ['mei@example.com', 'mei', 'example', 'harbor']]) {
        expect({ password, ...describe(ours.check(password, inputs)) }).toEqual({ password, ...describe(stock.check(password, inputs)) });
      }
    }
  });

  it('caps the score exactly where stock zxcvbn-ts would score at or above the cap (zxcvbn-capped-score.ts)', () => {
    const capped = createCappedScore(createStrengthEstimator());
    const stock = createStrengthEstimator({ stock: true });
    const seen = new Set<number>();
    for (const password of samplePasswords()) {
      for (const inputs of [[], ['mei@example.com', 'mei', 'example', 'harbor']]) {
        const score = stock.check(password, inputs).score;
        seen.add(score);
        for (const cap of [1, 2, 3]) expect({ password, inputs, cap, score: capped(password, inputs, cap) }).toEqual({ password, inputs, cap, score: Math.min(cap, score) });
      }
    }
    // The samples reach every score, so each side of every cap is compared.
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
