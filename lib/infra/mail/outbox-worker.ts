import type { ClaimedMail, MailOutbox } from './mail-outbox';
import type { MailMessage } from './mail-message';

/**
 * Sends the outbox's mail in the background: the request that caused a mail never waits on
 * SMTP. Rules, in order:
 * 1. a pass claims up to `batchSize` due mails (mail-outbox.ts) and sends them at once; a full
 *    batch is followed by another pass at once, else the next pass is a poll interval later or
 *    when `wake()` is called (a transaction that queued a mail committed);
 * 2. a send is abandoned after `sendTimeoutMs`; the claim's lease is twice that, so another
 *    process takes a mail over only once its claimant has surely given up on it (or died);
 * 3. a refusal the server calls permanent (5xx) fails the mail at once; anything else is
 *    retried after RETRY_DELAYS_SECONDS[attempt − 1] (with ±20 % jitter), `maxAttempts` in all;
 * 4. sent and failed mails are deleted after KEEP_SETTLED_DAYS, checked once an hour.
 */

/** Back-off after the n-th failed attempt: about 36 minutes from the first try to the last. */
export const RETRY_DELAYS_SECONDS = [5, 10, 20, 40, 80, 160, 320, 640, 900] as const;
export const DEFAULT_MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
const KEEP_SETTLED_DAYS = 7;
const PRUNE_EVERY_MS = 3600_000;

export type SendMail = (message: MailMessage, signal: AbortSignal) => Promise<void>;

export type OutboxWorkerOptions = {
  outbox: MailOutbox;
  send: SendMail;
  /** A send still running after this long is abandoned (and retried). */
  sendTimeoutMs: number;
  /** How often the outbox is checked when nothing wakes the worker (other processes' mail, retries). */
  pollIntervalMs?: number;
  batchSize?: number;
  maxAttempts?: number;
  clock?: () => Date;
  log?: (message: string, error?: unknown) => void;
};

export type OutboxWorker = {
  /** Runs a pass soon (after the current one, if one is running). */
  wake(): void;
  /** One pass now; resolves with the number of mails it claimed (tests). */
  runOnce(): Promise<number>;
  /** Stops scheduling passes and waits for the current one. */
  stop(): Promise<void>;
};

/** Permanent per RFC 5321 (5yz), as nodemailer marks it or by the reply code. */
function isPermanent(error: unknown): boolean {
  const e = error as { permanent?: boolean; responseCode?: number } | null;
  return e?.permanent === true || (typeof e?.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600);
}

/** What last_error keeps: nodemailer's code (EENVELOPE, ETIMEDOUT, ABORT_ERR…) and message. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
}

export function startOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { outbox, send, sendTimeoutMs } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 5;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<number> | null = null;
  let again = false;
  let stopped = false;
  let lastPrune = 0;

  async function deliver(mail: ClaimedMail): Promise<void> {
    try {
      await send(mail.message, AbortSignal.timeout(sendTimeoutMs));
      if (!(await outbox.markSent(mail, clock()))) log(`[mail] ${mail.id} was sent after its claim ran out: it may arrive twice`);
      return;
    } catch (error) {
      const reason = reasonOf(error);
      if (isPermanent(error) || mail.attempt >= maxAttempts) {
        log(`[mail] ${mail.id} failed for good after ${mail.attempt} attempt(s): ${reason}`);
        await outbox.markFailed(mail, reason);
        return;
      }
      const delaySeconds = RETRY_DELAYS_SECONDS[Math.min(mail.attempt, RETRY_DELAYS_SECONDS.length) - 1] ?? RETRY_DELAYS_SECONDS.at(-1)!;
      const jittered = delaySeconds * 1000 * (0.8 + Math.random() * 0.4);
      log(`[mail] ${mail.id} attempt ${mail.attempt} failed, retrying in ${Math.round(jittered / 1000)} s: ${reason}`);
      await outbox.retryLater(mail, reason, new Date(clock().getTime() + jittered));
    }
  }

  async function pass(): Promise<number> {
    const now = clock();
    if (now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      await outbox.deleteSettledBefore(new Date(now.getTime() - KEEP_SETTLED_DAYS * 86_400_000));
    }
    const claimed = await outbox.claim({ now, leaseUntil: new Date(now.getTime() + 2 * sendTimeoutMs), limit: batchSize });
    await Promise.all(claimed.map(deliver));
    return claimed.length;
  }

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(run, delayMs);
    timer.unref();
  }

  function run(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    if (current) {
      again = true;
      return current;
    }
    clearTimeout(timer);
    again = false;
    current = pass()
      .catch((error: unknown) => {
        log('[mail] outbox pass failed', error);
        return 0;
      })
      .then((claimed) => {
        current = null;
        schedule(again || claimed >= batchSize ? 0 : pollIntervalMs);
        return claimed;
      });
    return current;
  }

  schedule(0);
  return {
    wake: () => void run(),
    runOnce: run,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
