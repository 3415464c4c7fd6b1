import type { Server } from 'node:http';
import type { Express } from 'express';

/** Starts the HTTP server and resolves once it listens, with the port it got (0 picks a free one). */
export function listen(app: Express, port: number, host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
    server.once('error', reject);
  });
}
