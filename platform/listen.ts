import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * How long an idle keep-alive connection stays open: longer than clients keep theirs (Node's own
 * agent 5 s, a cloud load balancer 60 s), so the client always closes first. With both at 5 s
 * (Node's defaults), a client could send a request on a connection the server was closing that
 * moment: a reset (`ECONNRESET`) for the client, a 502 behind a load balancer.
 */
export const KEEP_ALIVE_MS = 65_000;

/** Starts the HTTP server and resolves once it listens, with the port it got (0 picks a free one). */
export function listen(app: Express, port: number, host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    // Headers of a request on a kept connection may arrive up to the keep-alive's end.
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    server.once('error', reject);
  });
}
