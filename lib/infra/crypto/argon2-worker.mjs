// One argon2id job on a piscina worker thread (argon2-password-hasher.ts). Plain JavaScript, so
// Node loads it as it is under server.mjs or `next start`, tsx and vitest alike.
import { hashSync, verifySync } from '@node-rs/argon2';

export default function argon2Job(job) {
  return job.op === 'hash' ? hashSync(job.password, job.options) : verifySync(job.hash, job.password);
}
