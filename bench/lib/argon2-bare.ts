import type { Algorithm, Options } from '@node-rs/argon2';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane (the server's parameters). */
export const OWASP_ARGON2ID: Options = {
  // Algorithm is an ambient const enum (not usable under isolatedModules): 2 = Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};
