/** Port for password hashing (argon2id in lib/infra/crypto/argon2-password-hasher.ts). */
export interface PasswordHasher {
  /** A self-describing hash string (PHC format) including salt and parameters. */
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /**
   * Costs what verify costs and always answers false: used when the email is unknown, so the
   * response time does not reveal whether an account exists.
   */
  verifyAgainstDummy(password: string): Promise<false>;
}
