import { createHash } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, type JWK } from 'jose';

/**
 * Private signing keys at rest: a compact JWE (`dir`, A256GCM: AES-GCM straight with the
 * key-encryption key from KEY_ENCRYPTION_KEY). The protected header, authenticated by GCM, names
 * the key-encryption key (`kid`: a fingerprint, not the key) and the signing key it holds
 * (`signing_kid`), so a row copied onto another kid does not decrypt. Rows of earlier versions
 * hold the JWK as plain JSON; they still load and are re-encrypted (see signing-key-store.ts).
 */

export class KeyEncryptionError extends Error {
  override name = 'KeyEncryptionError';
}

/** A short public name for a key-encryption key, so the error can say which key a row needs. */
export function keyEncryptionKeyId(kek: Uint8Array): string {
  return createHash('sha256').update('meridian-kek-id:').update(kek).digest('base64url').slice(0, 11);
}

export function isPlaintextJwk(stored: string): boolean {
  return stored.trimStart().startsWith('{');
}

export async function encryptPrivateJwk(jwk: JWK, signingKid: string, kek: Uint8Array): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(jwk)))
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: keyEncryptionKeyId(kek), signing_kid: signingKid })
    .encrypt(kek);
}

/** The private JWK of a stored row (encrypted, or plaintext from an earlier version). */
export async function decryptPrivateJwk(stored: string, signingKid: string, kek: Uint8Array): Promise<JWK> {
  if (isPlaintextJwk(stored)) return JSON.parse(stored) as JWK;
  const expected = keyEncryptionKeyId(kek);
  let header: { kid?: unknown; signing_kid?: unknown };
  try {
    header = decodeProtectedHeader(stored);
  } catch {
    throw new KeyEncryptionError(`signing key ${signingKid}: the stored key is neither a JWK nor an encrypted one`);
  }
  if (header.kid !== expected) {
    throw new KeyEncryptionError(
      `signing key ${signingKid} was encrypted with key-encryption key ${String(header.kid)}, but KEY_ENCRYPTION_KEY is ${expected}: set the KEY_ENCRYPTION_KEY the keys were written with`,
    );
  }
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(stored, kek, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] });
    if (protectedHeader['signing_kid'] !== signingKid) throw new Error('bound to another kid');
    return JSON.parse(new TextDecoder().decode(plaintext)) as JWK;
  } catch {
    throw new KeyEncryptionError(`signing key ${signingKid} cannot be decrypted with KEY_ENCRYPTION_KEY (${expected}): the stored key was altered or belongs to another kid`);
  }
}
