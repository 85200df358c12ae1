// Types for client-ip-stamp.mjs (plain JS: server.mjs imports it before Next.js is loaded).
import type { IncomingMessage } from 'node:http';

export declare const FORWARDING_HEADERS: readonly string[];
export declare const CLIENT_IP_HEADER: string;
export declare const CLIENT_IP_PROOF_HEADER: string;
export declare function bootClientIpSecret(): string;
export declare function findClientIpSecret(): string | undefined;
export declare function decideClientIp(req: IncomingMessage, trustedProxies: ReadonlySet<string>): string;
export declare function clientIpStamp(trustedProxyIps: readonly string[]): (req: IncomingMessage) => void;
export declare function stampEveryRequest(trustedProxyIps: readonly string[]): void;
