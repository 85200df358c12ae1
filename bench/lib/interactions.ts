import { createHash, randomBytes } from 'node:crypto';

/** A live provider interaction: its uid and the cookies the browser would send to /interaction/<uid>/…. */
export type PreparedInteraction = { uid: string; cookie: string };

function cookiesFor(setCookies: string[], requestPath: string): string {
  const pairs: string[] = [];
  for (const header of setCookies) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    if (!pair) continue;
    const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
    if (requestPath === path || requestPath.startsWith(path.endsWith('/') ? path : `${path}/`)) pairs.push(pair);
  }
  return pairs.join('; ');
}

/** Starts one authorization request for demo-web (PKCE S256) and follows it to the sign-in page URL. */
async function startInteraction(baseUrl: string): Promise<PreparedInteraction> {
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: 'demo-web',
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${baseUrl}/demo/callback`,
    state: randomBytes(8).toString('base64url'),
    nonce: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const res = await fetch(`${baseUrl}/oidc/auth?${params}`, { redirect: 'manual' });
  await res.arrayBuffer();
  const location = res.headers.get('location') ?? '';
  const uid = /\/interaction\/([^/?#]+)/.exec(location)?.[1];
  if (res.status !== 303 || !uid) throw new Error(`GET /oidc/auth answered ${res.status} ${location || '(no location)'}: expected 303 to /interaction/<uid>`);
  const cookie = cookiesFor(res.headers.getSetCookie(), `/interaction/${uid}/login`);
  if (!cookie.includes('_interaction=')) throw new Error('GET /oidc/auth set no _interaction cookie for /interaction/<uid>');
  return { uid, cookie };
}

/** Prepares `count` interactions, `concurrency` at a time. */
export async function prepareInteractions(baseUrl: string, count: number, concurrency = 8): Promise<PreparedInteraction[]> {
  const result: PreparedInteraction[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        result.push(await startInteraction(baseUrl));
      }
    }),
  );
  return result;
}

/**
 * Hands out interactions for the sign-in POSTs: each fresh one once, then (if the pool runs dry)
 * again from the start. A repeated POST on a finished interaction is still a full sign-in (the
 * result is saved again until the interaction expires); `reused` says how often that happened.
 */
export class InteractionPool {
  private index = 0;
  reused = 0;
  constructor(private readonly items: PreparedInteraction[]) {
    if (items.length === 0) throw new Error('empty interaction pool');
  }

  next(): PreparedInteraction {
    if (this.index >= this.items.length) this.reused += 1;
    const item = this.items[this.index % this.items.length]!;
    this.index += 1;
    return item;
  }

  get handedOut(): number {
    return this.index;
  }
}
