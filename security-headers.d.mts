// Types for security-headers.mjs (plain JS: server.mjs and next.config.mjs import it too).
export declare const CSP_NONCE_HEADER: string;
export declare const SECURITY_HEADERS: [string, string][];
export declare function transportHeaders(publicUrl: string | URL | undefined): [string, string][];
export declare function contentSecurityPolicy(nonce?: string, options?: { development?: boolean }): string;
export declare function directResponseHeaders(publicUrl: string | URL | undefined): [string, string][];
