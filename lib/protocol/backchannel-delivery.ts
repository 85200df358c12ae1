import type Provider from 'oidc-provider';

const holder = globalThis as unknown as { __meridianBackchannelFailures?: number };

/** Failed back-channel logout deliveries since the process started. */
export function backchannelFailureCount(): number {
  return holder.__meridianBackchannelFailures ?? 0;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * Every failed logout-token delivery (refused by the SSRF guard, unreachable, non-2xx) is
 * logged with the client and counted; oidc-provider only emits the event.
 */
export function watchBackchannelDelivery(provider: Provider): void {
  provider.on('backchannel.error', (_ctx: unknown, error: unknown, client: { clientId: string; backchannelLogoutUri?: string }) => {
    holder.__meridianBackchannelFailures = backchannelFailureCount() + 1;
    console.error(
      `[oidc] backchannel.error client=${client.clientId} uri=${client.backchannelLogoutUri ?? '-'} failures=${backchannelFailureCount()}: ${describe(error)}`,
    );
  });
}
