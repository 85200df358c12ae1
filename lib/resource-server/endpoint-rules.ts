/**
 * Endpoint rules as data: method + path pattern → what a token needs there. Rules are tried in
 * order and the first whose method and path match decides; a request no rule matches is
 * refused (404), so an endpoint nobody declared is never served by accident.
 *
 * Path patterns: literal segments, `:name` for exactly one non-empty segment, and a final `*`
 * for any remainder (including none). A trailing slash on the request path is ignored.
 */
export type EndpointRule = {
  /** `GET`, a list such as `['GET', 'HEAD']`, or `*` for any method. */
  method: string | readonly string[];
  /** e.g. `/api/items`, `/api/items/:id`, `/api/files/*`. */
  path: string;
  /**
   * The user's region (`country_region_code`) must be one of these. Absent: no region rule, and
   * tokens without a user (client credentials) are accepted too. Present: a token without a
   * region is refused.
   */
  regions?: readonly string[];
  /** Every one of these scopes must be in the token's `scope`. */
  scopes?: readonly string[];
  /** Minimum `acr` (see acr.ts for the order). */
  acr?: string;
  /** The user must have authenticated at most this long ago (`auth_time`). */
  maxAgeSeconds?: number;
  /**
   * `required`: only DPoP-bound tokens with a valid proof (RFC 9449); a bearer token is refused.
   * Absent or `optional`: bearer tokens and DPoP-bound tokens (each with its proof) are accepted.
   */
  dpop?: 'optional' | 'required';
};

export type CompiledEndpointRule = { rule: EndpointRule; methods: ReadonlySet<string> | '*'; matchPath: (path: string) => boolean };

function compilePath(pattern: string): (path: string) => boolean {
  if (!pattern.startsWith('/')) throw new Error(`endpoint path "${pattern}" must start with /`);
  const segments = trimSlash(pattern).split('/').slice(1);
  const rest = segments.at(-1) === '*';
  const fixed = rest ? segments.slice(0, -1) : segments;
  fixed.forEach((s) => {
    if (s === '*' || s.includes('*')) throw new Error(`endpoint path "${pattern}": * is only allowed as the last segment`);
    if (s === ':') throw new Error(`endpoint path "${pattern}": a parameter needs a name`);
  });
  return (path) => {
    const parts = trimSlash(path).split('/').slice(1);
    if (rest ? parts.length < fixed.length : parts.length !== fixed.length) return false;
    return fixed.every((s, i) => (s.startsWith(':') ? Boolean(parts[i]) : s === parts[i]));
  };
}

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function compileMethods(method: EndpointRule['method']): ReadonlySet<string> | '*' {
  const list = typeof method === 'string' ? [method] : [...method];
  if (list.includes('*')) return '*';
  if (list.length === 0) throw new Error('an endpoint rule needs at least one method');
  return new Set(list.map((m) => m.toUpperCase()));
}

export function compileEndpointRules(rules: readonly EndpointRule[]): CompiledEndpointRule[] {
  return rules.map((rule) => {
    if (rule.maxAgeSeconds !== undefined && !(Number.isInteger(rule.maxAgeSeconds) && rule.maxAgeSeconds >= 0)) {
      throw new Error(`endpoint ${rule.path}: maxAgeSeconds must be a non-negative integer`);
    }
    if (rule.dpop !== undefined && rule.dpop !== 'optional' && rule.dpop !== 'required') {
      throw new Error(`endpoint ${rule.path}: dpop must be optional or required`);
    }
    return { rule, methods: compileMethods(rule.method), matchPath: compilePath(rule.path) };
  });
}

/** The first rule matching the request, or undefined. */
export function findEndpointRule(rules: readonly CompiledEndpointRule[], method: string, path: string): EndpointRule | undefined {
  const m = method.toUpperCase();
  return rules.find((r) => (r.methods === '*' || r.methods.has(m)) && r.matchPath(path))?.rule;
}
