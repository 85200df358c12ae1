import { randomUUID } from 'node:crypto';
import type { SignInCodeMail, SignInCodeStore } from '../../domain/sign-in/email-code-sign-in';
import { sqlOf, type Db } from './client';
import type { SqlTransaction } from './sql-database';

/** Queues a sign-in code mail in the transaction that stores the code (wired in lib/composition/root.ts). */
export type QueueSignInCodeMail = (tx: SqlTransaction, mail: SignInCodeMail) => Promise<void>;

/**
 * Sign-in codes (table sign_in_codes). Prisma Client, except `insert`: its code and its mail
 * commit together, and the mail outbox writes in the hot-path SQL's transactions.
 */
export function createSignInCodeStore(resolveDb: () => Db, queueMail: QueueSignInCodeMail): SignInCodeStore {
  return {
    async insert(code, mail) {
      const db = resolveDb();
      await sqlOf(db).transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO "sign_in_codes" ("id", "interaction_uid", "email", "account_id", "code_hash", "attempts", "expires_at", "consumed_at", "created_at")
          VALUES (?, ?, ?, ?, ?, 0, ?, NULL, ?)`,
          [randomUUID(), code.interactionUid, code.email, code.accountId, code.codeHash, code.expiresAt, code.createdAt],
        );
        if (mail) await queueMail(tx, mail);
      });
      // Expired codes are useless; clear them now and then.
      if (Math.random() < 0.02) await db.signInCode.deleteMany({ where: { expiresAt: { lt: code.createdAt } } });
    },
    latest(interactionUid) {
      return resolveDb().signInCode.findFirst({ where: { interactionUid }, orderBy: { createdAt: 'desc' } });
    },
    async countAttempt(id, maxAttempts) {
      const db = resolveDb();
      const { count } = await db.signInCode.updateMany({ where: { id, consumedAt: null, attempts: { lt: maxAttempts } }, data: { attempts: { increment: 1 } } });
      if (count !== 1) return null;
      return db.signInCode.findUnique({ where: { id } });
    },
    async consume(id, now) {
      const { count } = await resolveDb().signInCode.updateMany({ where: { id, consumedAt: null }, data: { consumedAt: now } });
      return count === 1;
    },
  };
}
