import type { PairwiseSubjectEntry, PairwiseSubjectStore } from '../../domain/pairwise/pairwise-subjects';
import { getDb, sqlOf, type Db } from './client';

// Bind parameters per statement stay well under every database's cap: 3 per inserted row, 1 per
// looked-up id (plus a few), so a batch of 1,000 conversions takes two lookups and a few INSERTs.
const INSERT_CHUNK = 300;
const LOOKUP_CHUNK = 900;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// Same syntax on both databases: the first writer of a (sector, ppid) wins, the others change
// nothing (Prisma's createMany has no skipDuplicates on SQLite).
const insertStatement = (rows: number) =>
  `INSERT INTO "pairwise_subjects" ("sector", "ppid", "account_id") VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(', ')} ON CONFLICT DO NOTHING`;

/** PairwiseSubjectStore (table pairwise_subjects): Prisma Client, the batch insert in the hot-path SQL; `db` is resolved per call. */
export function createPrismaPairwiseSubjectStore(resolveDb: () => Db = getDb): PairwiseSubjectStore {
  return {
    async record(entries: readonly PairwiseSubjectEntry[]) {
      const sql = sqlOf(resolveDb());
      for (const chunk of chunks(entries, INSERT_CHUNK)) {
        await sql.execute(insertStatement(chunk.length), chunk.flatMap((e) => [e.sector, e.ppid, e.accountId]));
      }
    },

    async findAccountIds(sector: string, ppids: readonly string[]) {
      const found = new Map<string, string>();
      for (const chunk of chunks(ppids, LOOKUP_CHUNK)) {
        const rows = await resolveDb().pairwiseSubject.findMany({
          where: { sector, ppid: { in: chunk }, account: { status: 'active' } },
          select: { ppid: true, accountId: true },
        });
        for (const r of rows) found.set(r.ppid, r.accountId);
      }
      return found;
    },

    async findActiveAccountIds(accountIds: readonly string[]) {
      const active = new Set<string>();
      for (const chunk of chunks(accountIds, LOOKUP_CHUNK)) {
        const rows = await resolveDb().account.findMany({ where: { id: { in: chunk }, status: 'active' }, select: { id: true } });
        for (const r of rows) active.add(r.id);
      }
      return active;
    },
  };
}

export const prismaPairwiseSubjectStore: PairwiseSubjectStore = createPrismaPairwiseSubjectStore();
