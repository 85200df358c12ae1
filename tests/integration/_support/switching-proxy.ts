import { type IncomingMessage, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SwitchingProxy = {
  /** The public origin clients use (give it to every backend as PUBLIC_URL). */
  url: string;
  /** Sends every following request to this backend (a name given to `addBackend`). */
  use(name: string): void;
  addBackend(name: string, origin: string): void;
  /** Which backend answered each request so far, in order (`name METHOD /path`). */
  readonly served: string[];
  stop(): Promise<void>;
};

/**
 * A load balancer for tests: one public origin in front of several server processes, with the
 * test choosing which one answers next (a real balancer would pick round-robin or by load).
 * Requests and responses pass through unchanged, cookies and redirects included.
 */
export async function startSwitchingProxy(): Promise<SwitchingProxy> {
  const backends = new Map<string, URL>();
  const served: string[] = [];
  let current: string | undefined;

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const target = current === undefined ? undefined : backends.get(current);
    if (!target) {
      res.writeHead(502).end('no backend chosen');
      return;
    }
    served.push(`${current} ${req.method} ${req.url?.split('?')[0]}`);
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  }

  const server = createServer(forward);
  await new Promise<void>((listening) => server.listen(0, '::', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    use(name) {
      if (!backends.has(name)) throw new Error(`unknown backend ${name}`);
      current = name;
    },
    addBackend(name, origin) {
      backends.set(name, new URL(origin));
    },
    served,
    stop: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
