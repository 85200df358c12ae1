import { randomUUID } from 'node:crypto';
import { isAccountStatus, normalizeEmail } from '../../domain/accounts/account';
import type {
  AccountPatch,
  AccountSnapshot,
  CodeRecord,
  Feedback,
  FlowPatch,
  FlowRecord,
  FlowRecordState,
  NewFlowRecord,
  SignUpStore,
  SignUpTx,
  StepSource,
} from '../../domain/flows/sign-up-store';
import { getDb, sqlOf, type Db } from './client';
import { tagTransaction, type SqlRow as Row, type SqlDatabase, type SqlRunner, type SqlTransaction, type SqlValue } from './sql-database';
import { sqlBool, sqlDate } from './sql-values';

/**
 * SignUpStore in plain SQL that SQLite and PostgreSQL both accept, run on the driver (sqlOf): a
 * sign-up step runs about ten statements, and each cost ~0.25 ms of CPU through Prisma's
 * `$queryRaw` (its query builder ~1–1.5 ms) against microseconds for a prepared statement.
 * Dates are bound the way Prisma stores them, ids are made here (Prisma's @default(uuid()) is
 * client-side), and `updated_at` is set explicitly.
 */

const FLOW_STATES: readonly FlowRecordState[] = ['active', 'complete', 'refused'];

const bool = sqlBool;
const date = sqlDate;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

function parseFeedback(text: string | null): Feedback | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Feedback;
  } catch {
    return null;
  }
}

function toFlow(row: Row): FlowRecord {
  const state = FLOW_STATES.find((s) => s === row.state);
  if (!state) throw new Error(`sign-up flow ${String(row.id)} has unknown state "${String(row.state)}"`);
  const clientRegions = str(row.client_regions);
  return {
    id: String(row.id),
    version: Number(row.version),
    state,
    region: str(row.region),
    locale: String(row.locale),
    interactionUid: str(row.interaction_uid),
    accountId: str(row.account_id),
    email: str(row.email),
    cookieBound: bool(row.cookie_bound),
    clientRegions: clientRegions ? clientRegions.split(',').filter(Boolean) : null,
    continueTo: str(row.continue_to),
    feedback: parseFeedback(str(row.feedback)),
    authMethods: str(row.auth_methods)?.split(',').filter(Boolean) ?? null,
    expiresAt: date(row.expires_at),
    createdAt: date(row.created_at),
  };
}

function toCode(row: Row): CodeRecord {
  return {
    id: String(row.id),
    flowId: String(row.flow_id),
    purpose: String(row.purpose),
    email: String(row.email),
    codeHash: String(row.code_hash),
    attempts: Number(row.attempts),
    decoy: bool(row.decoy),
    expiresAt: date(row.expires_at),
    consumedAt: row.consumed_at === null || row.consumed_at === undefined ? null : date(row.consumed_at),
    createdAt: date(row.created_at),
  };
}

const FLOW_COLUMNS: Record<keyof FlowPatch, string> = {
  state: 'state',
  region: 'region',
  locale: 'locale',
  accountId: 'account_id',
  email: 'email',
  continueTo: 'continue_to',
  feedback: 'feedback',
  expiresAt: 'expires_at',
};

const ACCOUNT_COLUMNS: Record<keyof AccountPatch, string> = {
  passwordHash: 'password_hash',
  birthDate: 'birth_date',
  name: 'name',
  marketingOptIn: 'marketing_opt_in',
  status: 'status',
  emailVerified: 'email_verified',
};

/** `"col" = ?, …, "updated_at" = ?` for the keys present in `patch`, and the values to bind. */
function assignments(patch: Record<string, unknown>, columns: Record<string, string>, now: Date): { sql: string; params: SqlValue[] } {
  const names: string[] = [];
  const params: SqlValue[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const column = columns[key];
    if (value === undefined || !column) continue;
    names.push(`"${column}" = ?`);
    params.push(key === 'feedback' ? (value === null ? null : JSON.stringify(value)) : (value as SqlValue));
  }
  names.push('"updated_at" = ?');
  params.push(now);
  return { sql: names.join(', '), params };
}

async function findFlowIn(db: SqlRunner, id: string): Promise<FlowRecord | null> {
  const rows = await db.query('SELECT * FROM "signup_flows" WHERE "id" = ?', [id]);
  return rows[0] ? toFlow(rows[0]) : null;
}

type Dialect = SqlDatabase['provider'];

/** JSON arrays of an account's rows, aggregated in the database: the account is one statement. */
const JSON_ARRAY_OF: Record<Dialect, (value: string) => string> = {
  sqlite: (value) => `json_group_array(${value})`,
  postgresql: (value) => `coalesce(json_agg(${value}), '[]'::json)::text`,
};
const JSON_TUPLE_OF: Record<Dialect, (values: string) => string> = {
  sqlite: (values) => `json_array(${values})`,
  postgresql: (values) => `json_build_array(${values})`,
};

/** The account's columns as `<prefix><name>`, its steps, acceptances and upstream flag aggregated in the database. */
function accountSelect(dialect: Dialect, prefix: string): string {
  const list = JSON_ARRAY_OF[dialect];
  const as = (name: string) => `"${prefix}${name}"`;
  return `a."id" AS ${as('id')}, a."email" AS ${as('email')}, a."email_verified" AS ${as('email_verified')}, a."status" AS ${as('status')},
    a."country_region_code" AS ${as('country_region_code')}, a."locale" AS ${as('locale')}, a."password_hash" IS NOT NULL AS ${as('has_password')},
    a."birth_date" AS ${as('birth_date')}, a."name" AS ${as('name')}, a."marketing_opt_in" AS ${as('marketing_opt_in')},
    (SELECT ${list('"step"')} FROM "account_steps" WHERE "account_id" = a."id") AS ${as('steps')},
    (SELECT ${list(JSON_TUPLE_OF[dialect]('"region", "document_id", "version"'))} FROM "terms_acceptances" WHERE "account_id" = a."id") AS ${as('acceptances')},
    EXISTS (SELECT 1 FROM "upstream_identities" WHERE "account_id" = a."id") AS ${as('has_upstream')}`;
}

/** Prefix of the account's columns next to a flow's (whose own include "account_id"). */
const JOINED = 'acct_';

type Queries = { accountById: string; accountByEmail: string; flowWithAccount: string };

function queriesOf(dialect: Dialect): Queries {
  const account = `SELECT ${accountSelect(dialect, '')} FROM "accounts" a`;
  return {
    accountById: `${account} WHERE a."id" = ?`,
    accountByEmail: `${account} WHERE a."email" = ?`,
    flowWithAccount: `SELECT f.*, ${accountSelect(dialect, JOINED)} FROM "signup_flows" f LEFT JOIN "accounts" a ON a."id" = f."account_id" WHERE f."id" = ?`,
  };
}

const QUERIES: Record<Dialect, Queries> = { sqlite: queriesOf('sqlite'), postgresql: queriesOf('postgresql') };

function toAccount(row: Row, prefix: string): AccountSnapshot | null {
  const column = (name: string) => row[`${prefix}${name}`];
  if (column('id') === null || column('id') === undefined) return null;
  const id = String(column('id'));
  const status = String(column('status'));
  if (!isAccountStatus(status)) throw new Error(`Account ${id} has unknown status "${status}"`);
  const acceptances = (JSON.parse(String(column('acceptances'))) as [string, string, string][]).map(([region, documentId, version]) => ({ region, documentId, version }));
  const marketingOptIn = column('marketing_opt_in');
  return {
    id,
    email: String(column('email')),
    emailVerified: bool(column('email_verified')),
    status,
    region: String(column('country_region_code')),
    locale: String(column('locale')),
    hasPassword: bool(column('has_password')),
    hasUpstreamIdentity: bool(column('has_upstream')),
    birthDate: str(column('birth_date')),
    name: str(column('name')),
    marketingOptIn: marketingOptIn === null || marketingOptIn === undefined ? null : bool(marketingOptIn),
    steps: new Set(JSON.parse(String(column('steps'))) as string[]),
    acceptances,
  };
}

/** The account with its steps, acceptances and whether it has an upstream identity, in one statement. */
async function findAccountIn(db: SqlRunner, dialect: Dialect, by: { id: string } | { email: string }): Promise<AccountSnapshot | null> {
  const rows = 'id' in by ? await db.query(QUERIES[dialect].accountById, [by.id]) : await db.query(QUERIES[dialect].accountByEmail, [normalizeEmail(by.email)]);
  return rows[0] ? toAccount(rows[0], '') : null;
}

/** Idempotent: a step already recorded for the account stays as it was. */
async function recordStepsIn(db: SqlRunner, accountId: string, steps: readonly string[], source: StepSource, at: Date): Promise<void> {
  if (steps.length === 0) return;
  await db.execute(
    `INSERT INTO "account_steps" ("account_id", "step", "source", "completed_at") VALUES ${steps.map(() => '(?, ?, ?, ?)').join(', ')}
    ON CONFLICT ("account_id", "step") DO NOTHING`,
    steps.flatMap((step) => [accountId, step, source, at]),
  );
}

/** A new flow, version 0. */
async function insertFlowIn(db: SqlRunner, flow: NewFlowRecord, now: Date): Promise<void> {
  await db.execute(
    `INSERT INTO "signup_flows" ("id", "version", "state", "region", "locale", "interaction_uid", "client_regions", "account_id", "email", "cookie_bound", "continue_to", "feedback", "auth_methods", "expires_at", "created_at", "updated_at")
    VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)`,
    [
      flow.id,
      flow.state,
      flow.region,
      flow.locale,
      flow.interactionUid,
      flow.clientRegions ? flow.clientRegions.join(',') : null,
      flow.accountId,
      flow.email ?? null,
      flow.cookieBound,
      flow.authMethods?.length ? flow.authMethods.join(',') : null,
      flow.expiresAt,
      now,
      now,
    ],
  );
}

/** A sign-up transaction's store, tagged so that another store can write in it (sql-database.ts). */
function txOf(tx: SqlTransaction, database: SqlDatabase, clock: () => Date): SignUpTx {
  const dialect = database.provider;
  return tagTransaction({
    insertFlow: (flow) => insertFlowIn(tx, flow, clock()),
    async claimFlow(id, expectedVersion, patch = {}) {
      const set = assignments(patch, FLOW_COLUMNS, clock());
      const rows = await tx.query(`UPDATE "signup_flows" SET "version" = "version" + 1, ${set.sql} WHERE "id" = ? AND "version" = ? RETURNING *`, [...set.params, id, expectedVersion]);
      return rows[0] ? toFlow(rows[0]) : null;
    },
    findAccount: (id) => findAccountIn(tx, dialect, { id }),
    async updateFlow(id, patch) {
      const set = assignments(patch, FLOW_COLUMNS, clock());
      await tx.execute(`UPDATE "signup_flows" SET ${set.sql} WHERE "id" = ?`, [...set.params, id]);
    },
    async insertCode(code) {
      await tx.execute(
        `INSERT INTO "email_verification_codes" ("id", "flow_id", "purpose", "email", "code_hash", "attempts", "decoy", "expires_at", "consumed_at", "created_at")
        VALUES (?, ?, ?, ?, ?, 0, ?, ?, NULL, ?)`,
        [randomUUID(), code.flowId, code.purpose, code.email, code.codeHash, code.decoy, code.expiresAt, code.createdAt],
      );
    },
    async retireCodes(flowId, now) {
      await tx.execute('UPDATE "email_verification_codes" SET "consumed_at" = ? WHERE "flow_id" = ? AND "consumed_at" IS NULL', [now, flowId]);
    },
    async countCodeAttempt(codeId, maxAttempts, consumeAt = null) {
      // RETURNING (SQLite ≥ 3.35, PostgreSQL): the counted row without a second statement.
      const rows = await tx.query(
        'UPDATE "email_verification_codes" SET "attempts" = "attempts" + 1, "consumed_at" = ? WHERE "id" = ? AND "consumed_at" IS NULL AND "attempts" < ? RETURNING *',
        [consumeAt, codeId, maxAttempts],
      );
      return rows[0] ? toCode(rows[0]) : null;
    },
    findAccountByEmail: (email) => findAccountIn(tx, dialect, { email }),
    async createAccount({ email, region, locale, emailVerified }) {
      const now = clock();
      const normalized = normalizeEmail(email);
      // ON CONFLICT DO NOTHING: an address that has an account (or a concurrent sign-up's, on
      // PostgreSQL) is answered with that account's id instead of aborting the transaction.
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO "accounts" ("id", "email", "email_verified", "password_hash", "country_region_code", "locale", "status", "created_at", "updated_at")
        VALUES (?, ?, ?, NULL, ?, ?, 'pending', ?, ?)
        ON CONFLICT ("email") DO NOTHING
        RETURNING "id"`,
        [randomUUID(), normalized, emailVerified, region.toUpperCase(), locale, now, now],
      );
      if (inserted[0]) {
        const id = inserted[0].id;
        return { id, created: true };
      }
      const rows = await tx.query<{ id: string }>('SELECT "id" FROM "accounts" WHERE "email" = ?', [normalized]);
      if (!rows[0]) throw new Error('createAccount: the account vanished');
      return { id: rows[0].id, created: false };
    },
    async updateAccount(id, patch) {
      const set = assignments(patch, ACCOUNT_COLUMNS, clock());
      await tx.execute(`UPDATE "accounts" SET ${set.sql} WHERE "id" = ?`, [...set.params, id]);
    },
    async deleteAccount(id) {
      // Steps, acceptances, consents… go with it (ON DELETE CASCADE); flows keep a null account.
      await tx.execute('DELETE FROM "accounts" WHERE "id" = ?', [id]);
    },
    recordStep: (accountId, step, source) => recordStepsIn(tx, accountId, [step], source, clock()),
    recordSteps: (accountId, steps, source) => recordStepsIn(tx, accountId, steps, source, clock()),
    async recordAcceptance({ accountId, region, documentId, version, locale, source }) {
      // Idempotent per (account, region, document, version).
      await tx.execute(
        `INSERT INTO "terms_acceptances" ("id", "account_id", "region", "document_id", "version", "locale", "source", "accepted_at")
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT ("account_id", "region", "document_id", "version") DO NOTHING`,
        [randomUUID(), accountId, region, documentId, version, locale, source, clock()],
      );
    },
    async recordConsent({ accountId, purpose, granted, method, region, locale }) {
      await tx.execute(
        `INSERT INTO "consents" ("id", "account_id", "purpose", "granted", "method", "region", "locale", "recorded_at")
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [randomUUID(), accountId, purpose, granted, method, region, locale, clock()],
      );
    },
    async recordGuardianConsent({ accountId, guardianName, guardianEmail }) {
      await tx.execute(
        `INSERT INTO "guardian_consents" ("id", "account_id", "guardian_name", "guardian_email", "status", "created_at")
        VALUES (?, ?, ?, ?, 'declared', ?)`,
        [randomUUID(), accountId, guardianName, guardianEmail, clock()],
      );
    },
    async recordIdentityVerification({ accountId, method }) {
      const now = clock();
      await tx.execute(
        `INSERT INTO "identity_verifications" ("id", "account_id", "status", "method", "created_at", "updated_at")
        VALUES (?, ?, 'pending', ?, ?, ?)`,
        [randomUUID(), accountId, method, now, now],
      );
    },
  }, tx, database);
}

/**
 * `db` is resolved per call, so importing opens no connection. `clock` stamps the rows
 * (created/updated/accepted at); tests pass theirs.
 */
export function createSqlSignUpStore(resolveDb: () => Db = getDb, clock: () => Date = () => new Date()): SignUpStore {
  const sql = () => sqlOf(resolveDb());
  return {
    findFlow: (id) => findFlowIn(sql(), id),
    insertFlow: (flow) => insertFlowIn(sql(), flow, clock()),
    async patchFlow(id, patch) {
      const set = assignments(patch, FLOW_COLUMNS, clock());
      await sql().execute(`UPDATE "signup_flows" SET ${set.sql} WHERE "id" = ?`, [...set.params, id]);
    },
    findAccount: (id) => {
      const db = sql();
      return findAccountIn(db, db.provider, { id });
    },
    async findFlowWithAccount(id) {
      const db = sql();
      const row = (await db.query(QUERIES[db.provider].flowWithAccount, [id]))[0];
      return row ? { flow: toFlow(row), account: toAccount(row, JOINED) } : null;
    },
    async latestCode(flowId) {
      const rows = await sql().query('SELECT * FROM "email_verification_codes" WHERE "flow_id" = ? ORDER BY "created_at" DESC LIMIT 1', [flowId]);
      return rows[0] ? toCode(rows[0]) : null;
    },
    async countCodes(flowId) {
      const rows = await sql().query<{ n: unknown }>('SELECT COUNT(*) AS "n" FROM "email_verification_codes" WHERE "flow_id" = ?', [flowId]);
      return Number(rows[0]?.n ?? 0);
    },
    // A flow expires after it was created (expires_at ≥ created_at), so every flow that expired
    // before `before` was also created before it: the created_at bound changes nothing but lets
    // the delete use the index on created_at, which, unlike expires_at, no step rewrites.
    deleteExpiredFlows: (before) => sql().execute('DELETE FROM "signup_flows" WHERE "created_at" < ? AND "expires_at" < ?', [before, before]),
    transaction: (fn) => {
      const db = sql();
      return db.transaction((tx) => fn(txOf(tx, db, clock)));
    },
  };
}
