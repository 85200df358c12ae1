/**
 * A browser without a browser: fetch with manual redirects and a small cookie jar (path
 * matching, Max-Age/Expires deletion). Enough to drive the front channel of the code flow
 * over HTTP: authorization endpoint → sign-in page → form POST → 303s → redirect_uri.
 */

type StoredCookie = { name: string; value: string; path: string; expiresAt: number | undefined };

export type Landing =
  /** A response that is not a redirect (a page, an error page…), with where it was found. */
  | { kind: 'page'; url: URL; status: number; html: string; headers: Headers; visited: URL[] }
  /** A redirect leaving the server, or reaching the URL we were told to stop at. */
  | { kind: 'redirect'; location: URL; status: number; visited: URL[] };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class Browser {
  private readonly cookies = new Map<string, StoredCookie>();
  /** Every URL requested, in order (for asserting which pages a flow went through). */
  readonly history: URL[] = [];
  /** Every Set-Cookie line received, in order, attributes included. */
  readonly setCookies: string[] = [];

  constructor(
    readonly origin: string,
    private readonly defaultHeaders: Record<string, string> = {
      // What a browser sends on a navigation: the provider answers errors as HTML only then.
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      'accept-language': 'en',
    },
    /**
     * Where requests for `origin` really go: an https `origin` served over plain http, as when
     * TLS ends at a proxy in front of the server.
     */
    private readonly connectTo: string = origin,
  ) {}

  cookieNames(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }

  private store(setCookie: string, url: URL): void {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    let path = defaultPath(url);
    let expiresAt: number | undefined;
    for (const attribute of attributes) {
      const [rawKey = '', ...rest] = attribute.split('=');
      const key = rawKey.trim().toLowerCase();
      const attrValue = rest.join('=').trim();
      if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
      else if (key === 'max-age') expiresAt = Date.now() + Number(attrValue) * 1000;
      else if (key === 'expires' && expiresAt === undefined) expiresAt = Date.parse(attrValue);
    }
    const id = `${name};${path}`;
    if (expiresAt !== undefined && expiresAt <= Date.now()) this.cookies.delete(id);
    else this.cookies.set(id, { name, value, path, expiresAt });
  }

  private cookieHeaderFor(url: URL): string | undefined {
    const now = Date.now();
    const matching = [...this.cookies.values()]
      .filter((c) => (c.expiresAt === undefined || c.expiresAt > now) && pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** One request, no redirect following; cookies sent and stored. */
  async request(input: string | URL, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(input, this.origin);
    if (url.origin !== this.origin) throw new Error(`the test browser only talks to ${this.origin}, not ${url.href}`);
    this.history.push(url);
    const headers = new Headers({ ...this.defaultHeaders, ...init.headers });
    const cookie = this.cookieHeaderFor(url);
    if (cookie) headers.set('cookie', cookie);
    let body: string | undefined;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      // A browser submitting one of our forms sends its own origin.
      if (!headers.has('origin')) headers.set('origin', this.origin);
      body = new URLSearchParams(init.form).toString();
    }
    const target = new URL(`${url.pathname}${url.search}`, this.connectTo);
    const response = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    for (const c of response.headers.getSetCookie()) {
      this.setCookies.push(c);
      this.store(c, url);
    }
    return response;
  }

  /**
   * Requests `start` and follows redirects on this server until a page, a redirect to another
   * origin (a native app's custom scheme, say), or a redirect starting with `stopAt`.
   */
  async navigate(start: string | URL, options: { stopAt?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Landing> {
    let url = new URL(start, this.origin);
    let response = await this.request(url, { form: options.form, headers: options.headers });
    const visited: URL[] = [url];
    for (let hops = 0; hops < 20; hops += 1) {
      if (!REDIRECT_STATUSES.has(response.status)) {
        return { kind: 'page', url, status: response.status, html: await response.text(), headers: response.headers, visited };
      }
      const raw = response.headers.get('location');
      if (!raw) throw new Error(`${response.status} from ${url.href} without a Location header`);
      const location = new URL(raw, url);
      await response.body?.cancel();
      if (location.origin !== this.origin || (options.stopAt && location.href.startsWith(options.stopAt))) {
        return { kind: 'redirect', location, status: response.status, visited };
      }
      url = location;
      visited.push(url);
      response = await this.request(url, { headers: options.headers });
    }
    throw new Error(`too many redirects from ${start.toString()}`);
  }
}

export function expectPage(landing: Landing, what = 'a page'): Extract<Landing, { kind: 'page' }> {
  if (landing.kind !== 'page') throw new Error(`expected ${what}, got a redirect to ${landing.location.href}`);
  return landing;
}

export function expectRedirect(landing: Landing, what = 'a redirect'): Extract<Landing, { kind: 'redirect' }> {
  if (landing.kind !== 'redirect') {
    const text = landing.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400);
    throw new Error(`expected ${what}, got HTTP ${landing.status} at ${landing.url.href}: ${text}`);
  }
  return landing;
}
