/** One rendered mail: what templates.ts makes and the outbox keeps until it is sent. */
export type MailMessage = { to: string; subject: string; text: string; html: string };
