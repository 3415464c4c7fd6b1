import express from 'express';
import { KEEP_ALIVE_MS, listen } from '../../platform/listen';

/** The hub's and the sandbox's servers keep idle connections longer than their clients do. */
describe('listen', () => {
  it('keeps an idle connection past Node’s agent and a load balancer, and takes headers until then', async () => {
    const { server, port } = await listen(express(), 0, '127.0.0.1');
    try {
      expect(port).toBeGreaterThan(0);
      expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_MS);
      expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
