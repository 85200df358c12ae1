/** A FIFO lock: `acquire()` resolves with the function that releases it; `busy` while held or awaited. */
export type TransactionLock = { acquire(): Promise<() => void>; readonly busy: boolean };

export function createTransactionLock(): TransactionLock {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  return {
    get busy() {
      return pending > 0;
    },
    acquire(): Promise<() => void> {
      pending += 1;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const previous = tail;
      tail = previous.then(() => held);
      let released = false;
      return previous.then(() => () => {
        if (released) return;
        released = true;
        pending -= 1;
        release();
      });
    },
  };
}
