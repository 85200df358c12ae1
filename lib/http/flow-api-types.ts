/** A request to the sign-up JSON flow API, whatever server received it (Node or Next.js). */
export type FlowApiRequest = {
  method: string;
  /** Without the query: /api/flows or /api/flows/<id>. */
  path: string;
  /** The query string without its '?' ('' when there is none). */
  query: string;
  /** A request header by lower-case name; null when absent. */
  header(name: string): string | null;
  /** The body as text, or null when it is larger than MAX_FLOW_API_BODY_BYTES. Read at most once. */
  readBody(): Promise<string | null>;
  /** The client address server.mjs decided (never a client-sent forwarding header). */
  ip: string;
};

export type FlowApiResponse = { status: number; headers: Record<string, string>; body: string };

/** Submissions are a handful of short fields; anything near this is not a sign-up. */
export const MAX_FLOW_API_BODY_BYTES = 64 * 1024;
