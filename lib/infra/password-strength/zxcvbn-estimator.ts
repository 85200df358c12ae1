import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { STRENGTH_SCORED_LENGTH } from '../../domain/credentials/password-policy';
import type { PasswordStrengthEstimator } from '../../domain/credentials/password-strength';

/**
 * Stock zxcvbn-ts with the common-language dictionaries. Its options bound the cost: `maxLength`
 * scores only the first characters and `l33tMaxSubstitutions` caps the l33t readings it tries
 * (with the defaults a 128-character password of letters and digits took ~160 ms of the event
 * loop; with these ≤ ~10 ms, same scores on our samples). Built on first use (~70 ms: the
 * dictionaries are ranked once).
 */
export function createZxcvbnEstimator({ maxLength = STRENGTH_SCORED_LENGTH }: { maxLength?: number } = {}): PasswordStrengthEstimator {
  let zxcvbn: ZxcvbnFactory | undefined;
  let common: Set<string> | undefined;
  return {
    score(password, userInputs) {
      zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, useLevenshteinDistance: false, maxLength, l33tMaxSubstitutions: 10 });
      return zxcvbn.check(password, [...userInputs]).score;
    },
    isCommon(password) {
      common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
      return common.has(password.toLowerCase());
    },
  };
}
