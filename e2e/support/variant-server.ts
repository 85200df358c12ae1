import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type RunningServer, startServer } from '../../tests/support/server-process';
import { e2eDatabaseUrl } from './database';

/** The mail catcher's SMTP URL, for servers a journey starts itself. */
export const SMTP_URL_ENV = 'MERIDIAN_E2E_SMTP_URL';

/** idp.config.yaml as data (the `${NAME}` references stay as text; the server expands them). */
export type ConfigDocument = {
  regions: { code: string; signup?: { documents?: { id: string; version: string }[]; minimum_age?: { years: number } } }[];
  policies?: { signup?: Record<string, number> };
  [key: string]: unknown;
};

export function readDemoConfig(): ConfigDocument {
  return parse(readFileSync(join(process.cwd(), 'idp.config.yaml'), 'utf8')) as ConfigDocument;
}

/**
 * Starts a second production server on the journeys' database and mail catcher, with the demo
 * configuration changed by `change` (a new terms version, a shorter code lifetime…). Its own
 * port means its own PUBLIC_URL, issuer and demo app; the accounts are the same.
 */
export async function startVariantServer(change: (config: ConfigDocument) => void): Promise<RunningServer> {
  const config = readDemoConfig();
  change(config);
  const file = join(mkdtempSync(join(tmpdir(), 'meridian-e2e-config-')), 'idp.config.yaml');
  writeFileSync(file, stringify(config));
  const smtpUrl = process.env[SMTP_URL_ENV];
  if (!smtpUrl) throw new Error(`${SMTP_URL_ENV} is not set: run the journeys with \`npx playwright test\``);
  return startServer({ databaseUrl: e2eDatabaseUrl(), env: { IDP_CONFIG: file, SMTP_URL: smtpUrl } });
}
