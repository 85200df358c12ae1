/**
 * Runs once when the Next.js server starts (production: during `app.prepare()` in server.mjs).
 * Publishes the Node handlers that server.mjs calls directly, bypassing Next's routing: /oidc/
 * and the sign-up JSON flow API, and the body-size check it runs before handing a request to Next.
 * The server's SQLite connection leaves its WAL checkpoints to a thread of their own, and the
 * outbox worker starts sending mail (when SMTP_URL is set).
 */
export async function register(): Promise<void> {
  // Only the Node.js runtime can serve Node req/res (Next may compile this file for edge too).
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const [{ publishOidcNodeHandler }, { publishFlowApiNodeHandler }, { publishBodyLimitHandler }, { checkpointSqliteOffTheEventLoop }, { startMailDelivery }] = await Promise.all([
    import('./lib/protocol/node-handler'),
    import('./lib/http/flow-api-node'),
    import('./lib/http/request-body-limit'),
    import('./lib/infra/db/client'),
    import('./lib/infra/mail-deps'),
  ]);
  checkpointSqliteOffTheEventLoop();
  startMailDelivery();
  publishOidcNodeHandler();
  publishFlowApiNodeHandler();
  publishBodyLimitHandler();
}
