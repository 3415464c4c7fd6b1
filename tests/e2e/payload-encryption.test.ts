import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import axios from 'axios';
import { EncryptionCodec, ENCRYPTED_ENCODING } from '../../platform/payload-codec';
import {
  acmeHeaders,
  CUSTOMER_ADDRESS,
  restOrder,
  seedStock,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const EMAIL = `grace.${randomBytes(3).toString('hex')}@example.org`;
const TOKEN = `codec_${randomBytes(12).toString('hex')}`;

interface StoredPayload {
  path: string;
  metadata?: Record<string, Uint8Array>;
  data?: Uint8Array;
}

/** Every payload of a history event, wherever the event holds one, with where it is. */
function payloadsOf(value: unknown, path = ''): StoredPayload[] {
  if (!value || typeof value !== 'object') return [];
  if ('data' in value && value.data instanceof Uint8Array && 'metadata' in value)
    return [{ ...(value as Omit<StoredPayload, 'path'>), path }];
  return Object.entries(value).flatMap(([key, item]) => payloadsOf(item, `${path}.${key}`));
}
const utf8 = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString('utf8');

/**
 * Personal data encrypted in Temporal history: with `CROSSDOCK_PAYLOAD_KEYS` set, an order's
 * history as the Temporal server holds it carries no e-mail or address in clear; the hub reads it
 * as ever; the codec endpoint decodes it for a holder of the codec token, and only for one.
 */
describe('payload encryption', () => {
  let hub: TestHub;
  const saved = { keys: process.env.CROSSDOCK_PAYLOAD_KEYS, token: process.env.CROSSDOCK_CODEC_TOKEN };
  beforeAll(async () => {
    // Two keys: new payloads take the first; the second stands for one being rotated out.
    process.env.CROSSDOCK_PAYLOAD_KEYS = `${EncryptionCodec.newKeyEntry('k2')},${EncryptionCodec.newKeyEntry('k1')}`;
    process.env.CROSSDOCK_CODEC_TOKEN = TOKEN;
    hub = await startTestHub();
  }, 60_000);
  afterAll(async () => {
    await hub?.stop();
    for (const [name, value] of [
      ['CROSSDOCK_PAYLOAD_KEYS', saved.keys],
      ['CROSSDOCK_CODEC_TOKEN', saved.token],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  });

  it('keeps an order’s personal data out of the stored history, and decodes it for ops with the token', async () => {
    const sku = uniqueId('ENC');
    const location = uniqueId('enc-dc');
    await seedStock(hub.services.sequelize, 'acme', { [sku]: { [location]: 5 } });
    const externalId = uniqueId('enc');
    const order = {
      ...restOrder(externalId, [{ sku, quantity: 1 }]),
      customer: { email: EMAIL, name: 'Grace Hopper' },
    };
    const posted = await axios.post(`${hub.apiUrl}/v1/orders`, order, {
      headers: acmeHeaders(),
      validateStatus: () => true,
    });
    expect(posted.status).toBe(202);
    // The hub reads its own encrypted history as ever: the order moves and its view is whole.
    const view = await waitForOrder(hub.apiUrl, `rest:${externalId}`, [
      'label_purchased',
      'shipped',
      'rejected',
    ]);
    expect(view.status).not.toBe('rejected');

    // The history as the Temporal server stores it, read without the codec.
    const connection = await Connection.connect({ address: hub.services.endpoints.temporalAddress });
    try {
      const raw = new Client({ connection, namespace: hub.services.endpoints.temporalNamespace });
      const handle = raw.workflow.getHandle(`order:acme:rest:${externalId}`);
      const history = await handle.fetchHistory();
      const payloads = payloadsOf(history.events);
      expect(payloads.length).toBeGreaterThan(5);
      for (const payload of payloads) {
        // Search attributes are indexed, headers are the hub's own (a request id) and a marker's
        // `data` is the SDK's bookkeeping (a local activity's type and attempt, a patch's id), so
        // none goes through a codec; none carries personal data (checked just below).
        if (
          !/\.(searchAttributes|header)\.|markerRecordedEventAttributes\.details\.data\./.test(payload.path)
        )
          expect({ path: payload.path, encoding: utf8(payload.metadata?.encoding) }).toEqual({
            path: payload.path,
            encoding: ENCRYPTED_ENCODING,
          });
        for (const secret of [EMAIL, CUSTOMER_ADDRESS.line1, 'Grace Hopper'])
          expect(utf8(payload.data)).not.toContain(secret);
      }
      expect(JSON.stringify(history)).not.toContain(EMAIL);

      // The codec endpoint decodes the start's input for a holder of the token.
      const input = payloadsOf(history.events![0]!.workflowExecutionStartedEventAttributes!.input)[0]!;
      const wire = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(input.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(input.data!).toString('base64'),
          },
        ],
      };
      const refused = await axios.post(`${hub.apiUrl}/codec/decode`, wire, { validateStatus: () => true });
      expect(refused.status).toBe(401);
      const decoded = await axios.post<{
        payloads: Array<{ metadata: Record<string, string>; data: string }>;
      }>(`${hub.apiUrl}/codec/decode`, wire, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const clear = decoded.data.payloads[0]!;
      expect(Buffer.from(clear.metadata.encoding!, 'base64').toString()).toBe('json/plain');
      expect(Buffer.from(clear.data, 'base64').toString()).toContain(EMAIL);
      await handle.terminate('payload encryption test done');
    } finally {
      await connection.close();
    }
  });

  it('reads payloads stored before encryption, and refuses one sealed with a key it does not hold', async () => {
    const codec = EncryptionCodec.fromSpec(process.env.CROSSDOCK_PAYLOAD_KEYS!);
    const plain = {
      metadata: { encoding: new TextEncoder().encode('json/plain') },
      data: new TextEncoder().encode('"x"'),
    };
    expect(await codec.decode([plain])).toEqual([plain]);
    const sealed = await EncryptionCodec.fromSpec(EncryptionCodec.newKeyEntry('other')).encode([plain]);
    await expect(codec.decode(sealed)).rejects.toThrow(/key "other"/);
    // The first key seals; a codec holding only the second key (rotated out) cannot read it.
    const [second] = process.env.CROSSDOCK_PAYLOAD_KEYS!.split(',').slice(1);
    await expect(EncryptionCodec.fromSpec(second!).decode(await codec.encode([plain]))).rejects.toThrow(
      /key "k2"/,
    );
    expect(await codec.decode(await codec.encode([plain]))).toEqual([plain]);
  });
});
