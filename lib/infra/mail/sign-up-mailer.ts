import type { SignUpMailer } from '../../domain/flows/sign-up-store';
import { transactionRunnerOf, type SqlDatabase } from '../db/sql-database';
import type { MailOutbox } from './mail-outbox';
import { renderExistingAccountNotice, renderSignUpCodeMail } from './templates';

/** The sign-up mails, rendered per locale and queued in the step's transaction (a sign-up store's, on `resolveSql()`). */
export function createSignUpMailer(outbox: MailOutbox, resolveSql: () => SqlDatabase): SignUpMailer {
  const runnerOf = (within: object) => {
    const tx = transactionRunnerOf(within, resolveSql());
    if (!tx) throw new Error('sign-up mail must be queued in a transaction of the sign-up store');
    return tx;
  };
  return {
    queueSignUpCode: (within, input) => outbox.queue(runnerOf(within), renderSignUpCodeMail(input)),
    queueExistingAccountNotice: (within, input) => outbox.queue(runnerOf(within), renderExistingAccountNotice(input)),
  };
}
