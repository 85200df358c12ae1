import type Provider from 'oidc-provider';

/** Failed back-channel logout deliveries since the process started (kept by the composition root). */
export type BackchannelFailures = { count: number };

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Every failed logout-token delivery (refused by the SSRF guard, unreachable, non-2xx) is
 * logged with the client and counted; oidc-provider only emits the event.
 */
export function watchBackchannelDelivery(provider: Provider, failures: BackchannelFailures): void {
  provider.on('backchannel.error', (_ctx: unknown, error: unknown, client: { clientId: string; backchannelLogoutUri?: string }) => {
    failures.count += 1;
    console.error(
      `[oidc] backchannel.error client=${client.clientId} uri=${client.backchannelLogoutUri ?? '-'} failures=${failures.count}: ${describe(error)}`,
    );
  });
}
