import { mkdtempSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointSqliteOffTheEventLoop, createDb, sqlOf, stopSqliteCheckpointers, type Db } from './client';
import { migrateDatabase } from './migrate';
import { DEFAULT_WAL_AUTOCHECKPOINT_PAGES, SAFETY_NET_WAL_PAGES, startSqliteCheckpointer, type SqliteCheckpointer } from './sqlite-checkpointer';

type Row = Record<string, number>;
type Connection = { pragma(sql: string): Row[]; exec(sql: string): void; prepare(sql: string): { run(...p: unknown[]): unknown }; close(): void };
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => Connection;

/** A WAL database whose own connection never checkpoints, with `rows` rows written one commit each. */
function walDatabase(rows: number): { file: string; db: Connection; frames: () => number } {
  const file = join(mkdtempSync(join(tmpdir(), 'meridian-ckpt-')), 'test.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < rows; i += 1) insert.run('x'.repeat(3000));
  // The WAL's size in frames (32-byte header, then 24-byte frame headers and 4 KiB pages).
  const frames = () => Math.max(0, (statSync(`${file}-wal`).size - 32) / (24 + 4096));
  return { file, db, frames };
}

const until = async (check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the WAL checkpointer thread', () => {
  let checkpointer: SqliteCheckpointer | undefined;
  afterEach(async () => {
    await checkpointer?.stop();
    checkpointer = undefined;
  });

  it('copies the WAL into the database, and the next write starts the WAL over instead of growing it', async () => {
    const { file, db, frames } = walDatabase(300);
    const walBefore = frames();
    expect(walBefore).toBeGreaterThan(300);
    let running = false;
    checkpointer = startSqliteCheckpointer({ file, intervalMs: 60_000, onRunning: (r) => (running = r) });
    await until(() => running);
    const pass = await checkpointer.runNow();
    expect(pass).toEqual({ walFrames: walBefore, checkpointed: walBefore, restarted: true });
    // Another connection that ignores the WAL would now see every row in the database file.
    db.prepare('INSERT INTO t (body) VALUES (?)').run('after');
    // The WAL file keeps its size, but its frames are rewritten from the start: a fresh frame count
    // reads back through the pragma (log = frames in use).
    const [afterWrite] = db.pragma('wal_checkpoint(PASSIVE)');
    expect(afterWrite?.log).toBeLessThan(10);
    expect(frames()).toBe(walBefore);
    db.close();
  });

  it('gives up the restart at once while a writer holds the lock, and restarts on a later pass', async () => {
    const { file, db } = walDatabase(50);
    let running = false;
    checkpointer = startSqliteCheckpointer({ file, intervalMs: 60_000, onRunning: (r) => (running = r) });
    await until(() => running);
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO t (body) VALUES (?)').run('held');
    const started = performance.now();
    const blocked = await checkpointer.runNow();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(blocked.restarted).toBe(false);
    expect(blocked.checkpointed).toBe(blocked.walFrames);
    db.exec('COMMIT');
    const later = await checkpointer.runNow();
    expect(later.restarted).toBe(true);
    db.close();
  });

  it('reports that it stopped when it cannot open the database', async () => {
    const changes: boolean[] = [];
    const file = join(mkdtempSync(join(tmpdir(), 'meridian-ckpt-')), 'missing.db');
    checkpointer = startSqliteCheckpointer({ file, intervalMs: 60_000, onRunning: (r) => changes.push(r) });
    await expect(checkpointer.runNow()).rejects.toThrow();
    expect(changes).toEqual([]);
  });
});

describe('the server connection with the checkpointer', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await stopSqliteCheckpointers();
    await db?.$disconnect();
    db = undefined;
  });

  const autocheckpoint = async (target: Db) => Number(Object.values((await sqlOf(target).query<Row>('PRAGMA wal_autocheckpoint'))[0] ?? {})[0]);

  it('checkpoints less often itself while the thread runs, and as SQLite does once it stops', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'meridian-ckpt-')), 'server.db')}`;
    await migrateDatabase({ databaseUrl: url });
    checkpointSqliteOffTheEventLoop();
    db = createDb(url);
    const target = db;
    await target.$connect();
    await until(async () => (await autocheckpoint(target)) === SAFETY_NET_WAL_PAGES).catch(() => undefined);
    expect(await autocheckpoint(target)).toBe(SAFETY_NET_WAL_PAGES);
    await stopSqliteCheckpointers();
    expect(await autocheckpoint(target)).toBe(DEFAULT_WAL_AUTOCHECKPOINT_PAGES);
  });

  it('leaves SQLite’s automatic checkpoint alone in processes that did not ask for the thread (CLI, tests)', async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), 'meridian-ckpt-')), 'cli.db')}`;
    await migrateDatabase({ databaseUrl: url });
    db = createDb(url);
    await db.$connect();
    expect(await autocheckpoint(db)).toBe(DEFAULT_WAL_AUTOCHECKPOINT_PAGES);
  });
});
