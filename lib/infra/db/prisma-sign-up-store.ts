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
  SignUpStore,
  SignUpTx,
} from '../../domain/flows/sign-up-store';
import { getDb, type Db, type DbTransaction } from './client';
import { Prisma } from './generated/sqlite/client';

/**
 * SignUpStore over the Prisma client, in plain SQL ($queryRaw / $executeRaw with bound
 * parameters) that SQLite and PostgreSQL both accept: a sign-up step runs about ten statements,
 * and Prisma's query builder costs ~1–1.5 ms of CPU per statement against ~0.25 ms for raw SQL
 * (measured on this machine). Dates are bound as Date (stored the way Prisma stores them), ids
 * are made here (Prisma's @default(uuid()) is client-side), and `updated_at` is set explicitly.
 */

type Client = Db | DbTransaction;
type Row = Record<string, unknown>;

const FLOW_STATES: readonly FlowRecordState[] = ['active', 'complete', 'refused'];

const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';
const date = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
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

/** `"col" = value, …, "updated_at" = now` for the keys present in `patch`. */
function assignments(patch: Record<string, unknown>, columns: Record<string, string>, now: Date): Prisma.Sql {
  const parts = Object.entries(patch)
    .filter(([key, value]) => value !== undefined && key in columns)
    .map(([key, value]) => {
      const bound = key === 'feedback' ? (value === null ? null : JSON.stringify(value)) : value;
      return Prisma.sql`${Prisma.raw(`"${columns[key]}"`)} = ${bound}`;
    });
  parts.push(Prisma.sql`"updated_at" = ${now}`);
  return Prisma.join(parts, ', ');
}

async function findFlowIn(db: Client, id: string): Promise<FlowRecord | null> {
  const rows = await db.$queryRaw<Row[]>`SELECT * FROM "signup_flows" WHERE "id" = ${id}`;
  return rows[0] ? toFlow(rows[0]) : null;
}

async function findAccountIn(db: Client, by: { id: string } | { email: string }): Promise<AccountSnapshot | null> {
  const rows =
    'id' in by
      ? await db.$queryRaw<Row[]>`SELECT * FROM "accounts" WHERE "id" = ${by.id}`
      : await db.$queryRaw<Row[]>`SELECT * FROM "accounts" WHERE "email" = ${normalizeEmail(by.email)}`;
  const row = rows[0];
  if (!row) return null;
  const id = String(row.id);
  const status = String(row.status);
  if (!isAccountStatus(status)) throw new Error(`Account ${id} has unknown status "${status}"`);
  // Steps and acceptances in one round trip.
  const parts = await db.$queryRaw<{ kind: string; a: string; b: string | null; c: string | null }[]>`
    SELECT 'step' AS "kind", "step" AS "a", NULL AS "b", NULL AS "c" FROM "account_steps" WHERE "account_id" = ${id}
    UNION ALL
    SELECT 'acceptance', "region", "document_id", "version" FROM "terms_acceptances" WHERE "account_id" = ${id}
    UNION ALL
    SELECT 'upstream', "provider", NULL, NULL FROM "upstream_identities" WHERE "account_id" = ${id}`;
  const steps = parts.filter((p) => p.kind === 'step').map((p) => ({ step: p.a }));
  const acceptances = parts.filter((p) => p.kind === 'acceptance').map((p) => ({ region: p.a, document_id: String(p.b), version: String(p.c) }));
  return {
    id,
    email: String(row.email),
    emailVerified: bool(row.email_verified),
    status,
    region: String(row.country_region_code),
    locale: String(row.locale),
    hasPassword: row.password_hash !== null && row.password_hash !== undefined,
    hasUpstreamIdentity: parts.some((p) => p.kind === 'upstream'),
    birthDate: str(row.birth_date),
    name: str(row.name),
    marketingOptIn: row.marketing_opt_in === null || row.marketing_opt_in === undefined ? null : bool(row.marketing_opt_in),
    steps: new Set(steps.map((s) => s.step)),
    acceptances: acceptances.map((a) => ({ region: a.region, documentId: a.document_id, version: a.version })),
  };
}

function txOf(tx: DbTransaction, clock: () => Date): SignUpTx {
  return {
    async claimFlow(id, expectedVersion, patch = {}) {
      const set = assignments(patch, FLOW_COLUMNS, clock());
      const count = await tx.$executeRaw`UPDATE "signup_flows" SET "version" = "version" + 1, ${set} WHERE "id" = ${id} AND "version" = ${expectedVersion}`;
      return count === 1;
    },
    findFlow: (id) => findFlowIn(tx, id),
    findAccount: (id) => findAccountIn(tx, { id }),
    async updateFlow(id, patch) {
      await tx.$executeRaw`UPDATE "signup_flows" SET ${assignments(patch, FLOW_COLUMNS, clock())} WHERE "id" = ${id}`;
    },
    async insertCode(code) {
      await tx.$executeRaw`INSERT INTO "email_verification_codes" ("id", "flow_id", "purpose", "email", "code_hash", "attempts", "decoy", "expires_at", "consumed_at", "created_at")
        VALUES (${randomUUID()}, ${code.flowId}, ${code.purpose}, ${code.email}, ${code.codeHash}, ${0}, ${code.decoy}, ${code.expiresAt}, ${null}, ${code.createdAt})`;
    },
    async retireCodes(flowId, now) {
      await tx.$executeRaw`UPDATE "email_verification_codes" SET "consumed_at" = ${now} WHERE "flow_id" = ${flowId} AND "consumed_at" IS NULL`;
    },
    async countCodeAttempt(codeId, maxAttempts) {
      const count = await tx.$executeRaw`UPDATE "email_verification_codes" SET "attempts" = "attempts" + 1
        WHERE "id" = ${codeId} AND "consumed_at" IS NULL AND "attempts" < ${maxAttempts}`;
      if (count !== 1) return null;
      const rows = await tx.$queryRaw<Row[]>`SELECT * FROM "email_verification_codes" WHERE "id" = ${codeId}`;
      return rows[0] ? toCode(rows[0]) : null;
    },
    async consumeCode(codeId, now) {
      const count = await tx.$executeRaw`UPDATE "email_verification_codes" SET "consumed_at" = ${now} WHERE "id" = ${codeId} AND "consumed_at" IS NULL`;
      return count === 1;
    },
    findAccountByEmail: (email) => findAccountIn(tx, { email }),
    async createAccount({ email, region, locale }) {
      const now = clock();
      const normalized = normalizeEmail(email);
      // ON CONFLICT DO NOTHING: a concurrent sign-up of the same address (PostgreSQL) finds the
      // other one's pending account below instead of aborting the transaction.
      await tx.$executeRaw`INSERT INTO "accounts" ("id", "email", "email_verified", "password_hash", "country_region_code", "locale", "status", "created_at", "updated_at")
        VALUES (${randomUUID()}, ${normalized}, ${false}, ${null}, ${region.toUpperCase()}, ${locale}, ${'pending'}, ${now}, ${now})
        ON CONFLICT ("email") DO NOTHING`;
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "accounts" WHERE "email" = ${normalized}`;
      if (!rows[0]) throw new Error('createAccount: the account vanished');
      return rows[0].id;
    },
    async updateAccount(id, patch) {
      await tx.$executeRaw`UPDATE "accounts" SET ${assignments(patch, ACCOUNT_COLUMNS, clock())} WHERE "id" = ${id}`;
    },
    async deleteAccount(id) {
      // Steps, acceptances, consents… go with it (ON DELETE CASCADE); flows keep a null account.
      await tx.$executeRaw`DELETE FROM "accounts" WHERE "id" = ${id}`;
    },
    async recordStep(accountId, step, source) {
      await tx.$executeRaw`INSERT INTO "account_steps" ("account_id", "step", "source", "completed_at") VALUES (${accountId}, ${step}, ${source}, ${clock()})
        ON CONFLICT ("account_id", "step") DO NOTHING`;
    },
    async recordAcceptance({ accountId, region, documentId, version, locale, source }) {
      await tx.$executeRaw`INSERT INTO "terms_acceptances" ("id", "account_id", "region", "document_id", "version", "locale", "source", "accepted_at")
        VALUES (${randomUUID()}, ${accountId}, ${region}, ${documentId}, ${version}, ${locale}, ${source}, ${clock()})
        ON CONFLICT ("account_id", "region", "document_id", "version") DO NOTHING`;
    },
    async recordConsent({ accountId, purpose, granted, method, region, locale }) {
      await tx.$executeRaw`INSERT INTO "consents" ("id", "account_id", "purpose", "granted", "method", "region", "locale", "recorded_at")
        VALUES (${randomUUID()}, ${accountId}, ${purpose}, ${granted}, ${method}, ${region}, ${locale}, ${clock()})`;
    },
    async recordGuardianConsent({ accountId, guardianName, guardianEmail }) {
      await tx.$executeRaw`INSERT INTO "guardian_consents" ("id", "account_id", "guardian_name", "guardian_email", "status", "created_at")
        VALUES (${randomUUID()}, ${accountId}, ${guardianName}, ${guardianEmail}, ${'declared'}, ${clock()})`;
    },
    async recordIdentityVerification({ accountId, method }) {
      const now = clock();
      await tx.$executeRaw`INSERT INTO "identity_verifications" ("id", "account_id", "status", "method", "created_at", "updated_at")
        VALUES (${randomUUID()}, ${accountId}, ${'pending'}, ${method}, ${now}, ${now})`;
    },
  };
}

/**
 * `db` is resolved per call, so importing opens no connection. `clock` stamps the rows
 * (created/updated/accepted at); tests pass theirs.
 */
export function createPrismaSignUpStore(resolveDb: () => Db = getDb, clock: () => Date = () => new Date()): SignUpStore {
  return {
    findFlow: (id) => findFlowIn(resolveDb(), id),
    async insertFlow(flow) {
      const now = clock();
      await resolveDb().$executeRaw`INSERT INTO "signup_flows" ("id", "version", "state", "region", "locale", "interaction_uid", "client_regions", "account_id", "email", "cookie_bound", "continue_to", "feedback", "auth_methods", "expires_at", "created_at", "updated_at")
        VALUES (${flow.id}, ${0}, ${flow.state}, ${flow.region}, ${flow.locale}, ${flow.interactionUid}, ${flow.clientRegions ? flow.clientRegions.join(',') : null},
          ${flow.accountId}, ${flow.email ?? null}, ${flow.cookieBound}, ${null}, ${null}, ${flow.authMethods?.length ? flow.authMethods.join(',') : null}, ${flow.expiresAt}, ${now}, ${now})`;
    },
    async patchFlow(id, patch) {
      await resolveDb().$executeRaw`UPDATE "signup_flows" SET ${assignments(patch, FLOW_COLUMNS, clock())} WHERE "id" = ${id}`;
    },
    findAccount: (id) => findAccountIn(resolveDb(), { id }),
    async latestCode(flowId) {
      const rows = await resolveDb().$queryRaw<Row[]>`SELECT * FROM "email_verification_codes" WHERE "flow_id" = ${flowId} ORDER BY "created_at" DESC LIMIT 1`;
      return rows[0] ? toCode(rows[0]) : null;
    },
    async countCodes(flowId) {
      const rows = await resolveDb().$queryRaw<{ n: unknown }[]>`SELECT COUNT(*) AS "n" FROM "email_verification_codes" WHERE "flow_id" = ${flowId}`;
      return Number(rows[0]?.n ?? 0);
    },
    async deleteExpiredFlows(before) {
      return resolveDb().$executeRaw`DELETE FROM "signup_flows" WHERE "expires_at" < ${before}`;
    },
    // Waits for the write lock rather than failing fast: submissions are short, but many may queue.
    transaction: (fn) => resolveDb().$transaction((tx) => fn(txOf(tx, clock)), { maxWait: 10_000, timeout: 15_000 }),
  };
}

export const prismaSignUpStore: SignUpStore = createPrismaSignUpStore();
