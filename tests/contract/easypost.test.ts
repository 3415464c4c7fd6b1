import { randomUUID } from 'node:crypto';
import axios from 'axios';
import EasyPostClient from '@easypost/api';
import { EasyPostCarrier } from '../../connectors/carriers/easypost';
import { expectRefusedForGood } from '../support/contract-connectors';

interface ApiErrorLike {
  statusCode?: number;
  code?: string;
  errors?: Array<{ field: string; message: string }>;
}

/**
 * The sandbox carriers driven by EasyPost's official client through every operation the hub uses
 * (shipments with rates, buy, retrieve, refund, webhooks), and their refusals in EasyPost's
 * `error.errors[]` shape, which the client turns into its own error classes.
 */
describe('sandbox EasyPost under the official client', () => {
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const client = new EasyPostClient(process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY!, {
    baseUrl: `${sandbox}/easypost/v2/`,
  });
  const address = {
    name: 'Ada Lovelace',
    street1: '12 Analytical St',
    city: 'Portland',
    state: 'OR',
    zip: '97201',
    country: 'US',
  };
  const refusal = async (promise: Promise<unknown>): Promise<ApiErrorLike> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    return error as ApiErrorLike;
  };

  it('creates a shipment with rates, buys its lowest rate, reads it back and refunds it', async () => {
    const shipment = await client.Shipment.create({
      reference: `contract-${randomUUID().slice(0, 8)}`,
      to_address: address,
      from_address: {
        ...address,
        name: 'Warehouse',
        street1: '1 Dock Rd',
        city: 'Reno',
        state: 'NV',
        zip: '89502',
      },
      parcel: { weight: 24, length: 10, width: 8, height: 4 },
    });
    expect(shipment.rates.length).toBeGreaterThan(0);
    const lowest = shipment.lowestRate();
    const bought = await client.Shipment.buy(shipment.id, lowest);
    expect(bought.tracking_code).toMatch(/^\d+$/);
    expect(bought.postage_label.label_url).toMatch(/^http/);
    expect(bought.selected_rate.id).toBe(lowest.id);
    const read = await client.Shipment.retrieve(shipment.id);
    expect(read.tracking_code).toBe(bought.tracking_code);
    // Its tracker, which the hub's tracker reconcile reads back when webhooks were lost.
    expect(read.tracker).toMatchObject({
      object: 'Tracker',
      tracking_code: bought.tracking_code,
      shipment_id: shipment.id,
      status: 'pre_transit',
    });
    expect(read.tracker.tracking_details.at(-1)).toMatchObject({ status: 'pre_transit' });
    expect((await client.Shipment.refund(shipment.id)).refund_status).toBe('submitted');
    // Buying twice is refused, as EasyPost refuses it.
    expect(await refusal(client.Shipment.buy(shipment.id, lowest))).toMatchObject({
      statusCode: 422,
      code: 'SHIPMENT.POSTAGE.EXISTS',
    });
  });

  it('keeps tracking webhooks: created, listed and deleted', async () => {
    const url = `http://127.0.0.1:9/contract/${randomUUID()}`;
    const webhook = await client.Webhook.create({ url, webhook_secret: 'contract-secret' });
    expect((await client.Webhook.all()).webhooks.map((w: { url: string }) => w.url)).toContain(url);
    await client.Webhook.delete(webhook.id);
    expect((await client.Webhook.all()).webhooks.map((w: { url: string }) => w.url)).not.toContain(url);
  });

  it('keeps each account (API key) apart: its shipments and webhooks, and the scans its webhooks get', async () => {
    const otherKey = `EZTK${randomUUID().replace(/-/g, '')}`;
    await axios.post(`${sandbox}/__sandbox/easypost/accounts`, { apiKey: otherKey });
    const other = new EasyPostClient(otherKey, { baseUrl: `${sandbox}/easypost/v2/` });
    const inbox = (name: string) => `${sandbox}/__sandbox/inbox/${name}`;
    const mineName = `ep-mine-${randomUUID().slice(0, 8)}`;
    const theirsName = `ep-theirs-${randomUUID().slice(0, 8)}`;
    const mine = await client.Webhook.create({ url: inbox(mineName) });
    const theirs = await other.Webhook.create({ url: inbox(theirsName) });
    try {
      expect((await other.Webhook.all()).webhooks.map((w: { id: string }) => w.id)).toEqual([theirs.id]);
      expect(await refusal((async () => other.Webhook.delete(mine.id))())).toMatchObject({ statusCode: 404 });
      const shipment = await client.Shipment.create({
        to_address: address,
        from_address: { ...address, name: 'Warehouse' },
        parcel: { weight: 8 },
      });
      // Another account's key does not reach this account's shipment.
      expect(await refusal(other.Shipment.retrieve(shipment.id))).toMatchObject({ statusCode: 404 });
      expect(await refusal(other.Shipment.buy(shipment.id, shipment.lowestRate()))).toMatchObject({
        statusCode: 404,
      });
      const bought = await client.Shipment.buy(shipment.id, shipment.lowestRate());
      const { data } = await axios.post<{ delivered: number }>(`${sandbox}/__sandbox/easypost/track`, {
        trackingCode: bought.tracking_code,
        status: 'in_transit',
      });
      expect(data.delivered).toBeGreaterThanOrEqual(1);
      const received = async (name: string) =>
        (await axios.get<unknown[]>(`${sandbox}/__sandbox/inbox/${name}`)).data.length;
      expect(await received(mineName)).toBe(1);
      expect(await received(theirsName)).toBe(0);
    } finally {
      await client.Webhook.delete(mine.id);
      await other.Webhook.delete(theirs.id);
    }
  });

  it('refuses an incomplete address naming each field, and answers unknown ids and routes with its JSON', async () => {
    const incomplete = await refusal(
      client.Shipment.create({
        to_address: { name: 'Nobody', country: 'US' },
        from_address: address,
        parcel: { weight: 10 },
      }),
    );
    expect(incomplete).toMatchObject({ statusCode: 422, code: 'ADDRESS.VERIFY.FAILURE' });
    expect(incomplete.errors!.map((e) => e.field)).toEqual([
      'to_address.street1',
      'to_address.city',
      'to_address.zip',
    ]);
    expect(await refusal(client.Shipment.retrieve('shp_nosuchshipment'))).toMatchObject({
      statusCode: 404,
      code: 'NOT_FOUND',
    });
    const unknown = await axios.get(`${sandbox}/easypost/v2/nothing/here`, {
      auth: { username: process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY!, password: '' },
      validateStatus: () => true,
    });
    expect({
      status: unknown.status,
      type: unknown.headers['content-type'],
      code: unknown.data.error.code,
    }).toEqual({
      status: 404,
      type: expect.stringContaining('application/json'),
      code: 'NOT_FOUND',
    });
  });

  it('turns a refusal into a failure the hub’s connector does not retry, with EasyPost’s fields', async () => {
    const carrier = new EasyPostCarrier(
      'contract-carrier',
      `${sandbox}/easypost/v2`,
      process.env.CROSSDOCK_SANDBOX_EASYPOST_KEY!,
      10_000,
    );
    const refused = await carrier
      .createShipment({
        reference: 'contract',
        from: { name: 'DC', line1: '1 Dock Rd', city: 'Reno', postalCode: '89502', country: 'US' },
        to: { name: 'Nobody', line1: '', city: '', postalCode: '', country: 'US' },
        weightGrams: 500,
      })
      .catch((e: unknown) => e);
    expectRefusedForGood(refused, 'to_address.street1: cannot be blank');
  });
});
