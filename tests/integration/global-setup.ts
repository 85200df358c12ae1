import type { TestProject } from 'vitest/node';
import { startLocalIssuer, type LocalIssuerDescriptor } from '../support/local-oidc-issuer';
import { startMailCatcher } from '../support/mail-catcher';
import { startServer } from '../support/server-process';
import { DEFAULT_TEST_POSTGRES_URL, resetPostgresDatabase } from './_support/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The running server's origin, e.g. http://localhost:41234 (issuer: `${baseUrl}/oidc`). */
    baseUrl: string;
    /** The server's environment, so tests can run the operator CLI against the same database. */
    serverEnv: Record<string, string>;
    /** Which database the run uses. */
    database: 'sqlite' | 'postgres';
    /** A local external issuer the server trusts as `ci` (idp.config.yaml trusted_issuers). */
    ciIssuer: LocalIssuerDescriptor;
    /** The SMTP catcher the server mails to (SMTP_URL); read it with mailCatcherClient(mailCatcherUrl). */
    mailCatcherUrl: string;
  }
}

/**
 * One production server per run (SQLite by default; PostgreSQL with TEST_DATABASE=postgres),
 * shared with every test file through provide/inject.
 */
export default async function setup(project: TestProject) {
  const database = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
  let databaseUrl: string | undefined;
  if (database === 'postgres') {
    databaseUrl = process.env.TEST_POSTGRES_URL || DEFAULT_TEST_POSTGRES_URL;
    await resetPostgresDatabase(databaseUrl);
  }
  const ciIssuer = await startLocalIssuer();
  const mailCatcher = await startMailCatcher();
  const server = await startServer({
    databaseUrl,
    env: { CI_OIDC_ISSUER: ciIssuer.descriptor.issuer, CI_OIDC_JWKS_URI: ciIssuer.descriptor.jwksUri, SMTP_URL: mailCatcher.smtpUrl },
  });
  project.provide('baseUrl', server.url);
  project.provide('serverEnv', server.env);
  project.provide('database', database);
  project.provide('ciIssuer', ciIssuer.descriptor);
  project.provide('mailCatcherUrl', mailCatcher.httpUrl);
  return async () => {
    await server.stop();
    await ciIssuer.stop();
    await mailCatcher.stop();
  };
}
