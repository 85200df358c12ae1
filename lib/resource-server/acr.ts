/**
 * Authentication Context Class References in increasing strength (design.md §3). A token's
 * `acr` meets an endpoint's minimum when it is the same or later in this list; a missing or
 * unknown `acr` meets no minimum.
 */
export const MERIDIAN_ACR_ORDER = ['urn:meridian:aal1', 'urn:meridian:aal2', 'urn:meridian:aal2:phr'] as const;

export function acrMeets(actual: string | undefined, minimum: string, order: readonly string[] = MERIDIAN_ACR_ORDER): boolean {
  const required = order.indexOf(minimum);
  if (required === -1) throw new Error(`unknown acr "${minimum}" (known: ${order.join(', ')})`);
  return actual !== undefined && order.indexOf(actual) >= required;
}
