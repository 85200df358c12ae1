import type { AccountAcceptance, AccountPatch, AccountSnapshot, StepSource } from '../../domain/flows/sign-up-store';

/**
 * The account writes of one sign-up transaction, held until it commits. A screen of several steps
 * (the US: password, birth date, terms) updates its account three times, records three steps and
 * two acceptances, and reads the account back after each step to find the next one; written as
 * they come that is eleven statements. Held, they are three at the commit (one UPDATE, one
 * multi-row INSERT per table), and the reads are answered from the account as this transaction
 * leaves it: read once, then these writes applied to it.
 *
 * Only writes whose effect on an AccountSnapshot is known are held, and nothing else in a sign-up
 * transaction reads the rows they touch (accounts' columns but email, account_steps,
 * terms_acceptances), so holding them changes no statement's result; `flush` writes them before
 * the commit and before any statement a store outside the transaction runs in it.
 */

export type HeldAcceptance = AccountAcceptance & { accountId: string; locale: string; source: StepSource; at: Date };
export type HeldSteps = { accountId: string; source: StepSource; steps: { step: string; at: Date }[] };

/** The statements a flush runs: each gets every held write of its kind at once. */
export type AccountWriter = {
  updateAccount(id: string, patch: AccountPatch, at: Date): Promise<void>;
  recordSteps(held: HeldSteps): Promise<void>;
  recordAcceptances(held: readonly HeldAcceptance[]): Promise<void>;
};

export type AccountWriteBuffer = {
  /** The account as this transaction leaves it: `read` (from the database) runs once per account. */
  find(id: string, read: () => Promise<AccountSnapshot | null>): Promise<AccountSnapshot | null>;
  /** An account this transaction read some other way, or created (its snapshot as written). */
  remember(account: AccountSnapshot): AccountSnapshot;
  updateAccount(id: string, patch: AccountPatch): void;
  recordSteps(accountId: string, steps: readonly string[], source: StepSource): void;
  recordAcceptance(acceptance: Omit<HeldAcceptance, 'at'>): void;
  /** Before deleting an account: its held writes would go with it (cascade), so they are dropped. */
  discard(id: string): void;
  flush(): Promise<void>;
};

function patched(account: AccountSnapshot, patch: AccountPatch): AccountSnapshot {
  return {
    ...account,
    ...(patch.passwordHash !== undefined ? { hasPassword: true } : {}),
    ...(patch.birthDate !== undefined ? { birthDate: patch.birthDate } : {}),
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.marketingOptIn !== undefined ? { marketingOptIn: patch.marketingOptIn } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.emailVerified !== undefined ? { emailVerified: patch.emailVerified } : {}),
  };
}

const sameAcceptance = (a: AccountAcceptance, b: AccountAcceptance) => a.region === b.region && a.documentId === b.documentId && a.version === b.version;

export function createAccountWriteBuffer(writer: AccountWriter, clock: () => Date): AccountWriteBuffer {
  const known = new Map<string, AccountSnapshot>();
  let patches = new Map<string, { patch: AccountPatch; at: Date }>();
  let steps = new Map<string, HeldSteps>();
  let acceptances: HeldAcceptance[] = [];

  /** `account` with this transaction's held writes applied (a read from the database has none of them). */
  function withHeld(account: AccountSnapshot): AccountSnapshot {
    let result = account;
    const held = patches.get(account.id);
    if (held) result = patched(result, held.patch);
    const own = [...steps.values()].filter((s) => s.accountId === account.id).flatMap((s) => s.steps.map((x) => x.step));
    if (own.some((s) => !result.steps.has(s))) result = { ...result, steps: new Set([...result.steps, ...own]) };
    const accepted = acceptances.filter((a) => a.accountId === account.id && !result.acceptances.some((b) => sameAcceptance(a, b)));
    if (accepted.length > 0) result = { ...result, acceptances: [...result.acceptances, ...accepted.map(({ region, documentId, version }) => ({ region, documentId, version }))] };
    return result;
  }

  function change(id: string, next: (account: AccountSnapshot) => AccountSnapshot): void {
    const account = known.get(id);
    if (account) known.set(id, next(account));
  }

  return {
    async find(id, read) {
      const cached = known.get(id);
      if (cached) return cached;
      const account = await read();
      return account ? this.remember(account) : null;
    },
    remember(account) {
      const current = withHeld(account);
      known.set(account.id, current);
      return current;
    },
    updateAccount(id, patch) {
      const held = patches.get(id);
      patches.set(id, { patch: { ...held?.patch, ...patch }, at: clock() });
      change(id, (account) => patched(account, patch));
    },
    recordSteps(accountId, list, source) {
      if (list.length === 0) return;
      const key = `${source}\u0000${accountId}`;
      const held = steps.get(key) ?? { accountId, source, steps: [] };
      steps.set(key, held);
      const at = clock();
      for (const step of list) if (!held.steps.some((s) => s.step === step)) held.steps.push({ step, at });
      change(accountId, (account) => (list.every((s) => account.steps.has(s)) ? account : { ...account, steps: new Set([...account.steps, ...list]) }));
    },
    recordAcceptance(acceptance) {
      if (acceptances.some((a) => a.accountId === acceptance.accountId && sameAcceptance(a, acceptance))) return;
      acceptances.push({ ...acceptance, at: clock() });
      const { region, documentId, version } = acceptance;
      change(acceptance.accountId, (account) =>
        account.acceptances.some((b) => sameAcceptance(acceptance, b)) ? account : { ...account, acceptances: [...account.acceptances, { region, documentId, version }] },
      );
    },
    discard(id) {
      patches.delete(id);
      for (const [key, held] of steps) if (held.accountId === id) steps.delete(key);
      acceptances = acceptances.filter((a) => a.accountId !== id);
      known.delete(id);
    },
    async flush() {
      const held = { patches, steps, acceptances };
      patches = new Map();
      steps = new Map();
      acceptances = [];
      for (const [id, { patch, at }] of held.patches) await writer.updateAccount(id, patch, at);
      for (const list of held.steps.values()) await writer.recordSteps(list);
      if (held.acceptances.length > 0) await writer.recordAcceptances(held.acceptances);
    },
  };
}
