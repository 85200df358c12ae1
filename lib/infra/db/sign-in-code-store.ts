import { randomUUID } from 'node:crypto';
import type { SignInCodeMail, SignInCodeRecord, SignInCodeStore } from '../../domain/sign-in/email-code-sign-in';
import { sqlOf, type Db } from './client';
import type { SqlTransaction } from './sql-database';

type Row = Record<string, unknown>;

const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

function toRecord(row: Row): SignInCodeRecord {
  return {
    id: String(row.id),
    interactionUid: String(row.interaction_uid),
    email: String(row.email),
    accountId: row.account_id === null || row.account_id === undefined ? null : String(row.account_id),
    codeHash: String(row.code_hash),
    attempts: Number(row.attempts),
    expiresAt: date(row.expires_at),
    consumedAt: row.consumed_at === null || row.consumed_at === undefined ? null : date(row.consumed_at),
    createdAt: date(row.created_at),
  };
}

/** Queues a sign-in code mail in the transaction that stores the code (lib/infra/email-code-sign-in-deps.ts). */
export type QueueSignInCodeMail = (tx: SqlTransaction, mail: SignInCodeMail) => Promise<void>;

/** Sign-in codes (table sign_in_codes) in plain SQL for SQLite and PostgreSQL. */
export function createSignInCodeStore(resolveDb: () => Db, queueMail: QueueSignInCodeMail): SignInCodeStore {
  return {
    async insert(code, mail) {
      const db = resolveDb();
      const sql = sqlOf(db);
      await sql.transaction(async (tx) => {
        await tx.execute(
          `INSERT INTO "sign_in_codes" ("id", "interaction_uid", "email", "account_id", "code_hash", "attempts", "expires_at", "consumed_at", "created_at")
          VALUES (?, ?, ?, ?, ?, 0, ?, NULL, ?)`,
          [randomUUID(), code.interactionUid, code.email, code.accountId, code.codeHash, code.expiresAt, code.createdAt],
        );
        if (mail) await queueMail(tx, mail);
      });
      // Expired codes are useless; clear them now and then.
      if (Math.random() < 0.02) await sql.execute('DELETE FROM "sign_in_codes" WHERE "expires_at" < ?', [code.createdAt]);
    },
    async latest(interactionUid) {
      const rows = await resolveDb().$queryRaw<Row[]>`SELECT * FROM "sign_in_codes" WHERE "interaction_uid" = ${interactionUid} ORDER BY "created_at" DESC LIMIT 1`;
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async countAttempt(id, maxAttempts) {
      const db = resolveDb();
      const count = await db.$executeRaw`UPDATE "sign_in_codes" SET "attempts" = "attempts" + 1 WHERE "id" = ${id} AND "consumed_at" IS NULL AND "attempts" < ${maxAttempts}`;
      if (count !== 1) return null;
      const rows = await db.$queryRaw<Row[]>`SELECT * FROM "sign_in_codes" WHERE "id" = ${id}`;
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async consume(id, now) {
      const count = await resolveDb().$executeRaw`UPDATE "sign_in_codes" SET "consumed_at" = ${now} WHERE "id" = ${id} AND "consumed_at" IS NULL`;
      return count === 1;
    },
  };
}
