import type { SignUpMailer } from '../../domain/flows/sign-up-store';
import type { Mailer } from './mailer';
import { renderExistingAccountNotice, renderSignUpCodeMail } from './templates';

/** The sign-up mails, rendered per locale and sent through `mailer`. */
export function createSignUpMailer(mailer: Mailer): SignUpMailer {
  return {
    sendSignUpCode: (input) => mailer.send(renderSignUpCodeMail(input)),
    sendExistingAccountNotice: (input) => mailer.send(renderExistingAccountNotice(input)),
  };
}
