import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import type { TransactionLock } from './transaction-lock';

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

/**
 * The better-sqlite3 adapter runs every statement on one connection, and only transactions take
 * its lock: a statement of another request issued while a transaction is open (between its
 * awaits) runs INSIDE that transaction, reads its uncommitted rows, and is lost if it rolls back
 * (seen: a rate-limit row written by one request vanished with another's rollback). This gate
 * makes statements outside a transaction wait until the open transaction commits or rolls back,
 * which is what separate connections would give. Code inside a transaction must use its `tx`
 * (a root-client statement there would wait for the transaction itself: a deadlock broken only
 * by the transaction's timeout). `lock` is shared with the direct SQL executor on the same
 * connection (sqlite-executor.ts).
 */
export function gateStatementsBehindTransactions(adapter: Adapter, lock: TransactionLock): Adapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  const gated =
    <A, R>(run: (arg: A) => Promise<R>) =>
    async (arg: A): Promise<R> => {
      const release = await lock.acquire();
      try {
        return await run(arg);
      } finally {
        release();
      }
    };
  adapter.queryRaw = gated(queryRaw);
  adapter.executeRaw = gated(executeRaw);
  adapter.startTransaction = async (isolationLevel) => {
    const release = await lock.acquire();
    let tx: Transaction;
    try {
      tx = await startTransaction(isolationLevel);
    } catch (e) {
      release();
      throw e;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(release);
    tx.rollback = () => rollback().finally(release);
    return tx;
  };
  return adapter;
}
