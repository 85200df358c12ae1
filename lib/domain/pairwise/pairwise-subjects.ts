import { createHmac } from 'node:crypto';

/**
 * Pairwise subject identifiers (PPIDs). Rules:
 * 1. PPID = base64url(HMAC-SHA256(key = the pairwise salt, message = sector NUL accountId)):
 *    stable per (sector, account), uncorrelatable across sectors without the salt;
 * 2. a `public` namespace's subject is the account id itself;
 * 3. every PPID handed out is recorded as (sector, ppid) → account, once (the store ignores
 *    rows it already has; a bounded in-process cache skips the write for repeats), so that
 *    only the server can translate between sectors;
 * 4. reverse lookups see active accounts only: a disabled or deleted account is not found.
 */

export type SubjectNamespace = { kind: 'public' } | { kind: 'pairwise'; sector: string };

export type PairwiseSubjectEntry = { sector: string; ppid: string; accountId: string };

/** Port: where issued PPIDs are remembered. */
export interface PairwiseSubjectStore {
  /** Records the entries; rows that already exist are left as they are. */
  record(entries: readonly PairwiseSubjectEntry[]): Promise<void>;
  /** PPID → account id for the recorded PPIDs of `sector` whose account is active. */
  findAccountIds(sector: string, ppids: readonly string[]): Promise<Map<string, string>>;
  /** The ids among `accountIds` that belong to active accounts. */
  findActiveAccountIds(accountIds: readonly string[]): Promise<Set<string>>;
}

export function computePairwiseSubject(salt: string, sector: string, accountId: string): string {
  return createHmac('sha256', salt).update(`${sector}\u0000${accountId}`).digest('base64url');
}

/** A Map that forgets its oldest entries beyond `max` (insertion order). */
class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  set(key: K, value: V): void {
    if (this.map.size >= this.max && !this.map.has(key)) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
  }
}

export type PairwiseSubjectsOptions = { salt: string; store: PairwiseSubjectStore; cacheSize?: number };

export class PairwiseSubjects {
  private readonly salt: string;
  private readonly store: PairwiseSubjectStore;
  /** `${sector}\0${ppid}` → account id, for PPIDs known to be recorded. */
  private readonly recorded: BoundedMap<string, string>;

  constructor({ salt, store, cacheSize = 100_000 }: PairwiseSubjectsOptions) {
    if (!salt) throw new Error('the pairwise salt must not be empty');
    this.salt = salt;
    this.store = store;
    this.recorded = new BoundedMap(cacheSize);
  }

  /** The PPID of an account in a sector, recorded for reverse lookups. */
  async pairwiseSubject(sector: string, accountId: string): Promise<string> {
    const [ppid] = await this.pairwiseSubjects(sector, [accountId]);
    return ppid!;
  }

  /** PPIDs for several accounts in one sector (one write for those not yet recorded). */
  async pairwiseSubjects(sector: string, accountIds: readonly string[]): Promise<string[]> {
    const ppids = accountIds.map((accountId) => computePairwiseSubject(this.salt, sector, accountId));
    const missing: PairwiseSubjectEntry[] = [];
    const seen = new Set<string>();
    ppids.forEach((ppid, i) => {
      const key = `${sector}\u0000${ppid}`;
      if (this.recorded.get(key) === undefined && !seen.has(key)) {
        seen.add(key);
        missing.push({ sector, ppid, accountId: accountIds[i]! });
      }
    });
    if (missing.length > 0) {
      await this.store.record(missing);
      for (const e of missing) this.recorded.set(`${sector}\u0000${e.ppid}`, e.accountId);
    }
    return ppids;
  }

  /** The subject an account has in a namespace. */
  async subjectFor(namespace: SubjectNamespace, accountId: string): Promise<string> {
    return namespace.kind === 'public' ? accountId : this.pairwiseSubject(namespace.sector, accountId);
  }

  async subjectsFor(namespace: SubjectNamespace, accountIds: readonly string[]): Promise<string[]> {
    return namespace.kind === 'public' ? [...accountIds] : this.pairwiseSubjects(namespace.sector, accountIds);
  }

  /**
   * sub → account id in a namespace, for active accounts only; unknown subjects are absent. A
   * public namespace's subjects are account ids (checked to exist and be active).
   */
  async accountIdsFor(namespace: SubjectNamespace, subjects: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(subjects)];
    if (unique.length === 0) return new Map();
    if (namespace.kind === 'public') {
      const active = await this.store.findActiveAccountIds(unique);
      return new Map(unique.filter((id) => active.has(id)).map((id) => [id, id]));
    }
    return this.store.findAccountIds(namespace.sector, unique);
  }

  /**
   * The account a subject may stand for, without the active check (the caller loads the account
   * anyway): a public subject is taken as the account id; a pairwise one comes from the cache or
   * the store.
   */
  async candidateAccountIdFor(namespace: SubjectNamespace, subject: string): Promise<string | undefined> {
    if (namespace.kind === 'public') return subject;
    const cached = this.recorded.get(`${namespace.sector}\u0000${subject}`);
    if (cached !== undefined) return cached;
    const found = (await this.store.findAccountIds(namespace.sector, [subject])).get(subject);
    if (found !== undefined) this.recorded.set(`${namespace.sector}\u0000${subject}`, found);
    return found;
  }
}
