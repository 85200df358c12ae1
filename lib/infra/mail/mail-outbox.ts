import { randomUUID } from 'node:crypto';
import type { SqlDatabase, SqlTransaction } from '../db/sql-database';
import { sqlDate, sqlDateOrNull } from '../db/sql-values';
import type { MailMessage } from './mail-message';

/**
 * The mail outbox (table mail_outbox), in plain SQL that SQLite and PostgreSQL both accept.
 * Rules:
 * 1. a mail is written in the transaction of the change that causes it; the worker is woken
 *    once that transaction commits (never for one that rolls back);
 * 2. without delivery (no SMTP_URL) a mail is written `local`: kept for the demo outbox page,
 *    never sent, not even once SMTP_URL is set later;
 * 3. a claim takes due `pending` rows and `sending` rows whose lease ran out (their process
 *    died mid-send), each row by one claimant: SKIP LOCKED on PostgreSQL, where several server
 *    processes share the table; SQLite has one writer at a time;
 * 4. every claim counts an attempt, and that count fences the claim: a claimant whose lease ran
 *    out and whose row was claimed again can no longer settle it;
 * 5. a settled row (sent or failed) keeps no body: codes stay at rest no longer than needed.
 */

export type MailStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'local';

/** A claimed mail: `attempt` is the claim's fencing token (rule 4). */
export type ClaimedMail = { id: string; attempt: number; message: MailMessage };

export type OutboxEntry = MailMessage & { id: string; status: MailStatus; attempts: number; createdAt: Date; sentAt: Date | null; lastError: string | null };

export type MailOutbox = {
  /** Writes `message` in the open transaction `tx` (rules 1 and 2). */
  queue(tx: SqlTransaction, message: MailMessage): Promise<void>;
  /** Claims up to `limit` due mails until `leaseUntil` (rule 3), oldest due first. */
  claim(options: { now: Date; leaseUntil: Date; limit: number }): Promise<ClaimedMail[]>;
  /** False when the claim was lost meanwhile (rule 4). */
  markSent(mail: ClaimedMail, at: Date): Promise<boolean>;
  /** Back to `pending`, due at `retryAt`. */
  retryLater(mail: ClaimedMail, error: string, retryAt: Date): Promise<boolean>;
  /** Given up on: `failed`. */
  markFailed(mail: ClaimedMail, error: string): Promise<boolean>;
  /** The newest mails first (the demo outbox page). */
  list(limit: number, statuses?: readonly MailStatus[]): Promise<OutboxEntry[]>;
  /** Deletes sent and failed mails created before `before`. */
  deleteSettledBefore(before: Date): Promise<number>;
};

const STATUSES: readonly MailStatus[] = ['pending', 'sending', 'sent', 'failed', 'local'];
/** last_error is a diagnosis, not a log: an SMTP reply fits. */
const MAX_ERROR_LENGTH = 500;

// PostgreSQL: rows another process is claiming right now are skipped, not waited for; a row that
// process claimed and committed meanwhile is re-checked against the WHERE and left out. SQLite
// has no row locks: its writers take turns.
const LOCK_CLAIMED: Record<SqlDatabase['provider'], string> = { sqlite: '', postgresql: 'FOR UPDATE SKIP LOCKED' };

function toEntry(row: Record<string, unknown>): OutboxEntry {
  const status = STATUSES.find((s) => s === row.status);
  if (!status) throw new Error(`mail ${String(row.id)} has unknown status "${String(row.status)}"`);
  return {
    id: String(row.id),
    to: String(row.to_address),
    subject: String(row.subject),
    text: String(row.text),
    html: String(row.html),
    status,
    attempts: Number(row.attempts),
    createdAt: sqlDate(row.created_at),
    sentAt: sqlDateOrNull(row.sent_at),
    lastError: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
  };
}

export function createMailOutbox(resolveSql: () => SqlDatabase, options: { deliver: boolean; onQueued?: () => void; clock?: () => Date }): MailOutbox {
  const clock = options.clock ?? (() => new Date());
  const status: MailStatus = options.deliver ? 'pending' : 'local';
  const settle = async (mail: ClaimedMail, set: string, params: (string | Date | null)[]) =>
    (await resolveSql().execute(`UPDATE "mail_outbox" SET ${set}, "lease_until" = NULL WHERE "id" = ? AND "status" = 'sending' AND "attempts" = ?`, [...params, mail.id, mail.attempt])) === 1;
  return {
    async queue(tx, message) {
      const now = clock();
      await tx.execute(
        `INSERT INTO "mail_outbox" ("id", "to_address", "subject", "text", "html", "status", "attempts", "next_attempt_at", "lease_until", "sent_at", "last_error", "created_at")
        VALUES (?, ?, ?, ?, ?, ?, 0, ?, NULL, NULL, NULL, ?)`,
        [randomUUID(), message.to, message.subject, message.text, message.html, status, now, now],
      );
      const onQueued = options.onQueued;
      if (options.deliver && onQueued) tx.afterCommit(onQueued);
    },
    async claim({ now, leaseUntil, limit }) {
      const sql = resolveSql();
      const rows = await sql.query(
        `UPDATE "mail_outbox" SET "status" = 'sending', "attempts" = "attempts" + 1, "lease_until" = ?
        WHERE "id" IN (
          SELECT "id" FROM "mail_outbox"
          WHERE ("status" = 'pending' AND "next_attempt_at" <= ?) OR ("status" = 'sending' AND "lease_until" <= ?)
          ORDER BY "next_attempt_at" LIMIT ? ${LOCK_CLAIMED[sql.provider]}
        )
        RETURNING "id", "attempts", "to_address", "subject", "text", "html"`,
        [leaseUntil, now, now, limit],
      );
      return rows.map((r) => ({
        id: String(r.id),
        attempt: Number(r.attempts),
        message: { to: String(r.to_address), subject: String(r.subject), text: String(r.text), html: String(r.html) },
      }));
    },
    markSent: (mail, at) => settle(mail, `"status" = 'sent', "sent_at" = ?, "last_error" = NULL, "text" = '', "html" = ''`, [at]),
    retryLater: (mail, error, retryAt) => settle(mail, `"status" = 'pending', "next_attempt_at" = ?, "last_error" = ?`, [retryAt, error.slice(0, MAX_ERROR_LENGTH)]),
    markFailed: (mail, error) => settle(mail, `"status" = 'failed', "last_error" = ?, "text" = '', "html" = ''`, [error.slice(0, MAX_ERROR_LENGTH)]),
    async list(limit, statuses = STATUSES) {
      const rows = await resolveSql().query(
        `SELECT * FROM "mail_outbox" WHERE "status" IN (${statuses.map(() => '?').join(', ')}) ORDER BY "created_at" DESC LIMIT ?`,
        [...statuses, limit],
      );
      return rows.map(toEntry);
    },
    deleteSettledBefore: (before) => resolveSql().execute(`DELETE FROM "mail_outbox" WHERE "status" IN ('sent', 'failed') AND "created_at" < ?`, [before]),
  };
}
