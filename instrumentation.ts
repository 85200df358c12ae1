/**
 * Runs once when the Next.js server starts (production: server.mjs runs it before it listens;
 * under `next start` alone, Next runs it after opening the port and before answering anything).
 * First the start-up checks: environment, configuration file, secrets
 * (lib/config/startup-check.ts) and the signing keys, which must
 * decrypt with KEY_ENCRYPTION_KEY. A failure ends the process with exit code 1 and the reason.
 * Under `next start` alone (no server.mjs, so no boot secret yet) it stamps every request with
 * the client's IP (lib/http/client-ip-stamp.mjs), as server.mjs does.
 * Publishes the Node handlers that server.mjs calls directly, bypassing Next's routing: /oidc/
 * and the sign-up JSON flow API, and the body-size check it runs before handing a request to Next.
 * The outbox worker starts sending mail (when SMTP_URL is set).
 */
export async function register(): Promise<void> {
  // Only the Node.js runtime can serve Node req/res (Next may compile this file for edge too).
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  await refuseToStartOnBadSetup();
  await stampRequestsWithoutServerMjs();
  const [{ publishOidcNodeHandler }, { publishFlowApiNodeHandler }, { publishBodyLimitHandler }, { getServices }] = await Promise.all([
    import('./lib/protocol/node-handler'),
    import('./lib/http/flow-api-node'),
    import('./lib/http/request-body-limit'),
    import('./lib/composition/services'),
  ]);
  getServices().mail.startDelivery();
  publishOidcNodeHandler();
  publishFlowApiNodeHandler();
  publishBodyLimitHandler();
}

async function stampRequestsWithoutServerMjs(): Promise<void> {
  const [{ findClientIpSecret, stampEveryRequest }, { getEnv }] = await Promise.all([import('./lib/http/client-ip-stamp.mjs'), import('./lib/config/env')]);
  if (findClientIpSecret() === undefined) stampEveryRequest(getEnv().trustedProxyIps);
}

async function refuseToStartOnBadSetup(): Promise<void> {
  const [{ checkStartup, StartupError }, { loadSigningKeys }, { KeyEncryptionError }] = await Promise.all([
    import('./lib/config/startup-check'),
    import('./lib/infra/keys/signing-key-store'),
    import('./lib/infra/keys/key-encryption'),
  ]);
  try {
    for (const warning of checkStartup().warnings) console.warn(`[startup] ${warning}`);
    await loadSigningKeys();
  } catch (e) {
    const known = e instanceof StartupError || e instanceof KeyEncryptionError;
    console.error(`Meridian ID cannot start: ${known ? (e as Error).message : String((e as Error)?.stack ?? e)}`);
    process.exit(1);
  }
}
