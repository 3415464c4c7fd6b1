import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What a load balancer in front of the API processes does (a Kubernetes Service, an ALB): each
 * request goes to the next API in turn; one that refuses the connection (killed, restarting) is
 * skipped and the request sent to the next, so callers and partners' webhooks see one address.
 * A request an API took and then lost is answered 502, as a real balancer would.
 */
export async function startFrontDoor(
  backends: () => string[],
): Promise<{ url: string; stop(): Promise<void>; server: Server }> {
  let next = 0;
  const forward = (
    incoming: IncomingMessage,
    body: Buffer,
    target: string,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const url = new URL(incoming.url ?? '/', target);
      const outgoing = request(
        url,
        { method: incoming.method, headers: { ...incoming.headers, host: url.host }, timeout: 60_000 },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              headers: response.headers,
              body: Buffer.concat(chunks),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const targets = backends();
        for (let tried = 0; tried < targets.length; tried++) {
          const target = targets[next++ % targets.length]!;
          try {
            const answer = await forward(incoming, body, target);
            outgoing.writeHead(answer.status, answer.headers);
            outgoing.end(answer.body);
            return;
          } catch (error) {
            // Not connected at all: another API can take it. Cut off mid-request: the caller decides.
            if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') {
              outgoing.writeHead(502).end(JSON.stringify({ error: 'the API went away mid-request' }));
              return;
            }
          }
        }
        outgoing.writeHead(503, { 'retry-after': '1' }).end(JSON.stringify({ error: 'no API is up' }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
