import type Provider from 'oidc-provider';

type WithCtx = { ctx?: { oidc?: { entities?: { AccessToken?: object } } }; set(key: string, value: unknown): void; extra?: Record<string, unknown> };

/**
 * ID tokens from the token endpoint carry `at_hash` too (OIDC Core makes it optional for the
 * code flow; relying parties that check it get the stronger binding). The library sets it only
 * at the authorization endpoint, and a JWT access token's value is not kept on its model, so we
 * remember the value `save()` returns and hand it to the ID token issued in the same request.
 */
export function bindAtHashAtTokenEndpoint(provider: Provider): void {
  const values = new WeakMap<object, string>();
  const accessToken = provider.AccessToken.prototype as unknown as { save: (...args: unknown[]) => Promise<string> };
  const save = accessToken.save;
  accessToken.save = async function saveAndRemember(this: object, ...args: unknown[]) {
    const value = await save.apply(this, args);
    if (typeof value === 'string') values.set(this, value);
    return value;
  };
  const idToken = provider.IdToken.prototype as unknown as { issue: (options?: { use?: string }) => Promise<string> };
  const issue = idToken.issue;
  idToken.issue = async function issueWithAtHash(this: WithCtx, options?: { use?: string }) {
    const at = this.ctx?.oidc?.entities?.AccessToken;
    const value = at ? values.get(at) : undefined;
    if (options?.use === 'idtoken' && value && !this.extra?.at_hash) this.set('at_hash', value);
    return issue.call(this, options);
  };
}
