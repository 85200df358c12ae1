/**
 * A second OpenID provider for the social sign-in journeys: a real `oidc-provider` on
 * 127.0.0.1 (a different host from the server under test's `localhost`, so the two providers'
 * cookies never mix) with its development login form, where any login and password sign in.
 * The login becomes the `sub`; a login that looks like an email is also the (verified) email,
 * except `unverified+…@…`, whose email_verified is false. Two clients stand for LINE
 * (client_secret_post) and Google (client_secret_basic); first-party grants skip consent.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

export type LocalSocialProvider = {
  issuer: string;
  /** Environment for the server under test (idp.config.yaml reads these). */
  env: Record<string, string>;
  stop(): Promise<void>;
};

export const SOCIAL_CLIENTS = {
  line: { client_id: 'meridian-line-channel', client_secret: 'line-channel-secret-for-tests-0123456789', token_endpoint_auth_method: 'client_secret_post' },
  google: { client_id: 'meridian-google-client', client_secret: 'google-client-secret-for-tests-0123456789', token_endpoint_auth_method: 'client_secret_basic' },
} as const;

function claimsFor(login: string) {
  const email = login.includes('@') ? login.toLowerCase() : undefined;
  return { sub: login, ...(email ? { email, email_verified: !email.startsWith('unverified+') } : {}) };
}

/** Starts the provider; `redirectBase` is the origin of the server under test (its callbacks live under it). */
export async function startLocalSocialProvider(redirectBase: string): Promise<LocalSocialProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const server: Server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const configuration: Configuration = {
    clients: Object.entries(SOCIAL_CLIENTS).map(([id, client]) => ({
      ...client,
      redirect_uris: [`${redirectBase}/upstream/${id}/callback`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'social-rs256', alg: 'RS256', use: 'sig' }] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // Like Google and LINE: the claims in the ID token itself.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['local-social-provider-cookie-key'] },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => claimsFor(id) }),
    // No consent screen: the journeys are about our side.
    loadExistingGrant: async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  server.on('request', provider.callback());
  return {
    issuer,
    env: {
      LINE_ISSUER: issuer,
      LINE_CHANNEL_ID: SOCIAL_CLIENTS.line.client_id,
      LINE_CHANNEL_SECRET: SOCIAL_CLIENTS.line.client_secret,
      GOOGLE_ISSUER: issuer,
      GOOGLE_CLIENT_ID: SOCIAL_CLIENTS.google.client_id,
      GOOGLE_CLIENT_SECRET: SOCIAL_CLIENTS.google.client_secret,
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
