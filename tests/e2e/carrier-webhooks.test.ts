import axios from 'axios';
import { createLogger } from '../../platform/logger';
import { registerCarrierWebhooks } from '../../worker/background';
import { uniqueId } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

/** What several worker processes starting together do with the carriers' tracking webhooks. */
describe('carrier tracking webhooks registered once', () => {
  let hub: TestHub;
  const carriers = ['easypost', 'easypost-b'].map((prefix) =>
    axios.create({
      baseURL: `${process.env.CROSSDOCK_SANDBOX_URL}/${prefix}/v2`,
      auth: { username: process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY!, password: '' },
    }),
  );
  const webhooksTo = async (publicUrl: string) => {
    const urls: string[] = [];
    for (const api of carriers) {
      const { data } = await api.get<{ webhooks: Array<{ url: string }> }>('webhooks');
      urls.push(...data.webhooks.map((w) => w.url).filter((url) => url.startsWith(publicUrl)));
    }
    return urls.sort();
  };

  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  test('four workers starting at once register each carrier connector’s webhook once', async () => {
    const publicUrl = `http://hub-${uniqueId('w').toLowerCase()}.example`;
    const logger = createLogger('silent');
    await Promise.all(
      Array.from({ length: 4 }, () => registerCarrierWebhooks(hub.services, publicUrl, logger)),
    );
    const carrierConnectors = hub.config.connectors.filter((c) => c.kind === 'carrier').map((c) => c.id);
    expect(carrierConnectors.length).toBeGreaterThan(0);
    expect(await webhooksTo(publicUrl)).toEqual(
      carrierConnectors.map((id) => `${publicUrl}/webhooks/carriers/${id}`).sort(),
    );
    for (const api of carriers) {
      const { data } = await api.get<{ webhooks: Array<{ id: string; url: string }> }>('webhooks');
      for (const hook of data.webhooks.filter((w) => w.url.startsWith(publicUrl)))
        await api.delete(`webhooks/${hook.id}`);
    }
  });
});
