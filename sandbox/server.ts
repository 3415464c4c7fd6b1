import { alpineBitsSchemas } from '../connectors/ota/alpinebits/schema';
import type { Server } from 'node:http';
import { createSandbox, type Sandbox, type SandboxOptions } from './app';

export interface RunningSandbox extends Sandbox {
  url: string;
  stop(): Promise<void>;
}

export function startSandbox(
  port: number,
  options: SandboxOptions,
  host = '127.0.0.1',
): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  return new Promise((resolve, reject) => {
    const server: Server = sandbox.app.listen(port, host, () => {
      const address = server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      resolve({
        ...sandbox,
        url: `http://127.0.0.1:${actualPort}`,
        stop: async () => {
          await new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          });
          await alpineBitsSchemas().close();
        },
      });
    });
    server.once('error', reject);
  });
}
