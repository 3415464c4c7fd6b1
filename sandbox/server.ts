import { alpineBitsSchemas } from '../connectors/ota/alpinebits/schema';
import { listen } from '../platform/listen';
import { createSandbox, type Sandbox, type SandboxOptions } from './app';

export interface RunningSandbox extends Sandbox {
  url: string;
  stop(): Promise<void>;
}

export async function startSandbox(
  port: number,
  options: SandboxOptions,
  host = '127.0.0.1',
): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  // Kept connections outlive their clients' as the hub's do (a partner's, too).
  const { server, port: actualPort } = await listen(sandbox.app, port, host);
  return {
    ...sandbox,
    url: `http://127.0.0.1:${actualPort}`,
    stop: async () => {
      await new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      });
      await alpineBitsSchemas().close();
    },
  };
}
