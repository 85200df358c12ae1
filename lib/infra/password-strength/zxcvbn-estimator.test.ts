import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { describe, expect, it } from 'vitest';
import { checkNewPassword as checkWith, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, STRENGTH_SCORED_LENGTH } from '../../domain/credentials/password-policy';
import { createZxcvbnEstimator } from './zxcvbn-estimator';

const estimator = createZxcvbnEstimator();
const checkNewPassword = (password: string, userInputs: string[] = []) => checkWith(password, userInputs, estimator);

describe('new password policy (NIST SP 800-63B) with zxcvbn-ts', () => {
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
    const stock = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
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
});
