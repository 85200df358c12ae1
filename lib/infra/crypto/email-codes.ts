import { createHmac, createSecretKey, randomInt, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { EmailCodes } from '../../domain/flows/sign-up-deps-types';

/**
 * Email codes: 6 uniformly random digits (crypto.randomInt), stored as
 * HMAC-SHA256(key, purpose ‖ flow id ‖ code). The key is derived from COOKIE_SECRETS, so a
 * database dump alone does not let anyone test the 10^6 candidates offline; the hash is tagged
 * with purpose and flow, so a code is useless anywhere else. Rotation: the first secret hashes,
 * every secret still verifies (codes live minutes).
 */
const KEY_LABEL = 'meridian/email-code/v1';

function deriveKey(secret: string): KeyObject {
  return createSecretKey(createHmac('sha256', secret).update(KEY_LABEL).digest());
}

export function createEmailCodes(secrets: readonly string[]): EmailCodes {
  if (secrets.length === 0) throw new Error('createEmailCodes: at least one secret is required');
  const keys = secrets.map(deriveKey);
  const mac = (key: KeyObject, input: { flowId: string; purpose: string; code: string }) =>
    createHmac('sha256', key).update(`${input.purpose}\u0000${input.flowId}\u0000${input.code}`).digest();
  return {
    generate: () => randomInt(0, 1_000_000).toString().padStart(6, '0'),
    hash: (input) => mac(keys[0]!, input).toString('hex'),
    matches(hash, input) {
      const stored = Buffer.from(hash, 'hex');
      let match = false;
      for (const key of keys) {
        const candidate = mac(key, input);
        // Every key is tried, so the time does not say which one (or whether one) matched.
        if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) match = true;
      }
      return match;
    },
  };
}
