/**
 * Runs once when the Next.js server starts (production: during `app.prepare()` in server.mjs).
 * Publishes the /oidc/ Node handler that server.mjs calls directly, bypassing Next's routing.
 */
export async function register(): Promise<void> {
  // Only the Node.js runtime can serve Node req/res (Next may compile this file for edge too).
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { publishOidcNodeHandler } = await import('./lib/protocol/node-handler');
  publishOidcNodeHandler();
}
