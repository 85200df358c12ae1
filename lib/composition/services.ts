import { getEnv } from '../config/env';
import { getIdpConfig } from '../config/idp-config';
import { getDb } from '../infra/db/client';
import { createServices, type Services } from './root';

// The one process-wide holder. Next.js evaluates a module once per bundle (route handlers,
// pages, instrumentation.ts), and server.mjs reaches the handlers instrumentation publishes: on
// globalThis, every copy of this module finds the same services (one provider, one hasher cap,
// one mail worker).
const holder = globalThis as typeof globalThis & { __meridianServices?: Services };

/** The services of this process, for the configured environment, idp.config.yaml and DATABASE_URL. */
export function getServices(): Services {
  holder.__meridianServices ??= createServices({ env: getEnv(), config: getIdpConfig(), db: getDb() });
  return holder.__meridianServices;
}
