import { startMailCatcher } from '../tests/support/mail-catcher';
import { startLocalSocialProvider } from '../tests/support/local-social-provider';
import { type RunningServer, freePort, startServer } from '../tests/support/server-process';
import { ACCOUNTS, type E2eAccount } from './support/accounts';
import { BASE_URL_ENV } from './support/base-url';
import { DATABASE_URL_ENV } from './support/database';
import { MAIL_API_ENV } from './support/mailbox';
import { SMTP_URL_ENV } from './support/variant-server';

async function createAccount(server: RunningServer, account: E2eAccount): Promise<void> {
  try {
    await server.cli(['accounts', 'create', '--email', account.email, '--password', account.password, '--region', account.region, '--json']);
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`could not create e2e account ${account.email}: ${String(e)}\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

/**
 * Starts the production build (NEXT_DIST_DIR, default .next) on a free port with a fresh
 * SQLite database, creates the journey accounts with the operator CLI and hands the URL to
 * the workers through the environment. The returned function is the global teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Mail goes over real SMTP to a catcher in this process; workers read it over HTTP.
  const mail = await startMailCatcher();
  // Social sign-in goes to a second OpenID provider on this machine (LINE and Google stand-ins),
  // which must know our callback URLs, so our port is chosen first.
  const port = await freePort();
  const social = await startLocalSocialProvider(`http://localhost:${port}`);
  let server: RunningServer;
  try {
    server = await startServer({ port, env: { SMTP_URL: mail.smtpUrl, ...social.env } });
  } catch (e) {
    await mail.stop();
    await social.stop();
    throw e;
  }
  try {
    // Two at a time: each CLI run is a Node start plus an argon2 hash, and we share 2 cores.
    const pending: E2eAccount[] = Object.values(ACCOUNTS);
    const lane = async () => {
      for (let next = pending.shift(); next; next = pending.shift()) await createAccount(server, next);
    };
    await Promise.all([lane(), lane()]);
  } catch (e) {
    await server.stop();
    await mail.stop();
    await social.stop();
    throw e;
  }
  process.env[BASE_URL_ENV] = server.url;
  process.env[MAIL_API_ENV] = mail.httpUrl;
  process.env[SMTP_URL_ENV] = mail.smtpUrl;
  process.env[DATABASE_URL_ENV] = server.env.DATABASE_URL!;
  return async () => {
    await server.stop();
    await mail.stop();
    await social.stop();
  };
}
