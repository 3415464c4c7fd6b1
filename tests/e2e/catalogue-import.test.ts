import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SetupFileInput } from '../../domain/master-data/setup-file';
import type { CatalogueImportReport } from '../../domain/master-data/catalogue-import';
import type { HubConfig } from '../../platform/config/schema';
import { catalogueImportWorkflowId } from '../../workflows/channels/contract';
import {
  eventually,
  http,
  setTrackingProgression,
  shopifyOrderBody,
  uniqueId,
  waitForOrder,
} from '../support/fixtures';
import { recordHistoryIfAsked } from '../support/histories';
import { startTestHub, type TestHub } from '../support/hub';

const TENANT = 'harbour';
const SHOP = uniqueId('harbour');
const REALM = `9130${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
const RENO = 71_000_000_001;
const headers = () => ({ Authorization: `Bearer ${process.env.CROSSDOCK_API_KEY_HARBOUR}` });

/** The merchant's own file: where it ships from, and one item it declares itself. */
const setupFile: SetupFileInput = {
  tenant: TENANT,
  locations: [
    {
      id: 'reno',
      name: 'Reno DC',
      address: {
        name: 'Harbour Reno',
        line1: '1 Dock Rd',
        city: 'Reno',
        region: 'NV',
        postalCode: '89502',
        country: 'US',
      },
      shipsTo: ['US'],
    },
    {
      id: 'tromso',
      name: 'Tromsø store',
      kind: 'store',
      address: {
        name: 'Harbour Tromsø',
        line1: '2 Havnegata',
        city: 'Tromsø',
        postalCode: '9008',
        country: 'NO',
      },
      shipsTo: ['NO'],
    },
  ],
  items: [{ sku: 'H-PADDLE', name: 'Harbour paddle (as the file says)', weightGrams: 900 }],
};

/** A merchant on a Shopify store and a Square till of its own, posting to a QuickBooks company of its own. */
function addMerchant(config: HubConfig, setupPath: string, shopToken: string): void {
  process.env.CROSSDOCK_API_KEY_HARBOUR ??= `test_${randomBytes(12).toString('hex')}`;
  process.env.CROSSDOCK_SANDBOX_SHOPIFY_TOKEN_HARBOUR = shopToken;
  const sandbox = process.env.CROSSDOCK_SANDBOX_URL!;
  const acme = config.tenants.find((t) => t.id === 'acme')!;
  const shopify = config.connectors.find((c) => c.id === 'acme-shopify')!;
  const square = config.connectors.find((c) => c.id === 'globex-square')!;
  const quickbooks = config.connectors.find((c) => c.id === 'acme-quickbooks')!;
  const carrier = config.connectors.find((c) => c.id === 'acme-carrier')!;
  config.tenants.push({
    ...acme,
    id: TENANT,
    name: 'Harbour Outfitters',
    apiKeys: [{ env: 'CROSSDOCK_API_KEY_HARBOUR', scopes: ['admin'] }],
    defaults: { carrier: 'harbour-carrier' },
    orders: { ...acme.orders, carriers: [], accounting: 'harbour-quickbooks', shipsTo: ['US', 'NO'] },
    subscribers: [],
    setup: setupPath,
  });
  // The sandbox's own store is left to the suites that share it: only this merchant's store is read at start.
  config.connectors = config.connectors.filter((c) => c.id !== 'acme-shopify');
  config.connectors.push(
    {
      ...shopify,
      id: 'harbour-shopify',
      tenant: TENANT,
      credentials: {
        ...shopify.credentials,
        accessToken: { env: 'CROSSDOCK_SANDBOX_SHOPIFY_TOKEN_HARBOUR' },
      },
      rateLimit: { requestsPerSecond: 10 },
      options: {
        apiVersion: '2024-10',
        reconcileEverySeconds: 3600,
        stockLocations: { reno: RENO },
        stockBuffer: 0,
      },
    },
    {
      ...square,
      id: 'harbour-square',
      tenant: TENANT,
      options: { notificationUrl: `${sandbox}/__sandbox/inbox/harbour-square` },
    },
    {
      ...quickbooks,
      id: 'harbour-quickbooks',
      tenant: TENANT,
      options: { ...quickbooks.options, realmId: REALM },
    },
    { ...carrier, id: 'harbour-carrier', tenant: TENANT },
  );
}

/** A product as the merchant made it in Shopify's admin. */
async function createProduct(
  sandboxUrl: string,
  title: string,
  variants: Array<{ sku: string | null; title?: string; weightGrams?: number; tracked?: boolean }>,
) {
  const res = await http.post<{ product: { id: number; variants: Array<{ id: number }> } }>(
    `${sandboxUrl}/__sandbox/shopify/products?shop=${SHOP}`,
    { title, variants },
  );
  expect(res.status).toBe(201);
  return res.data.product;
}

async function lastImport(apiUrl: string, connectorId: string) {
  const res = await http.get<{
    status: string;
    finishedAt: string | null;
    report: CatalogueImportReport | null;
  }>(`${apiUrl}/v1/channels/${connectorId}/import`, { headers: headers() });
  return res.status === 200 ? res.data : undefined;
}

const finishedAfter = (apiUrl: string, connectorId: string, after = '') =>
  eventually(
    `an import of ${connectorId}`,
    async () => {
      const last = await lastImport(apiUrl, connectorId);
      return last?.status === 'COMPLETED' && last.finishedAt && last.finishedAt > after ? last : undefined;
    },
    60_000,
  );

/**
 * A merchant whose catalogue lives in its Shopify store and its Square till: the hub reads it in
 * (GraphQL, however many variants a product has), reports what it could not tell apart, and then
 * sells, ships, books and stocks what it read.
 */
describe('a catalogue read from the channels', () => {
  let hub: TestHub;
  let dryBag: { id: number; variants: Array<{ id: number }> };
  let duplicates: Array<{ id: number; variants: Array<{ id: number }> }>;
  let skirt: { id: number; variants: Array<{ id: number }> };
  let giftCard: { id: number };

  beforeAll(async () => {
    const sandboxUrl = process.env.CROSSDOCK_SANDBOX_URL!;
    const shop = await http.post<{ accessToken: string }>(`${sandboxUrl}/__sandbox/shopify/shops`, {
      name: SHOP,
    });
    expect(shop.status).toBe(201);
    expect((await http.put(`${sandboxUrl}/__sandbox/quickbooks/companies/${REALM}`, {})).status).toBe(201);
    // 120 sizes: more than the 100 variants a product had through Shopify's REST API.
    dryBag = await createProduct(
      sandboxUrl,
      'Dry bag',
      Array.from({ length: 120 }, (_, i) => ({
        sku: `H-DRYBAG-${i + 1}`,
        title: `${i + 1} L`,
        weightGrams: 150 + i,
      })),
    );
    skirt = await createProduct(sandboxUrl, 'Spray skirt', [
      { sku: 'H-SKIRT-M', title: 'M', weightGrams: 400 },
      { sku: null, title: 'Custom' },
    ]);
    duplicates = [
      await createProduct(sandboxUrl, 'Bilge pump', [{ sku: 'H-PUMP', weightGrams: 600 }]),
      await createProduct(sandboxUrl, 'Bilge pump (old listing)', [{ sku: 'H-PUMP', weightGrams: 600 }]),
    ];
    giftCard = await createProduct(sandboxUrl, 'Gift card', [
      { sku: 'H-GIFT', weightGrams: 5, tracked: false },
    ]);
    await createProduct(sandboxUrl, 'Deck bag', [{ sku: 'H-DECKBAG' }]);
    await createProduct(sandboxUrl, 'Paddle', [{ sku: 'H-PADDLE', weightGrams: 950 }]);

    const dir = mkdtempSync(join(tmpdir(), 'crossdock-import-'));
    const setupPath = join(dir, `${TENANT}.yaml`);
    writeFileSync(setupPath, stringify(setupFile));
    hub = await startTestHub((config) => addMerchant(config, setupPath, shop.data.accessToken), {
      applySetupFiles: [TENANT],
      catalogueImports: true,
    });
    await setTrackingProgression(hub.sandboxUrl, { inTransitAfterMs: 300, deliveredAfterMs: 900 });
  });
  afterAll(async () => {
    await setTrackingProgression(hub?.sandboxUrl, null);
    await hub?.stop();
  });

  it('reads a new store at first start, and reports what it could not tell apart', async () => {
    const { report } = await finishedAfter(hub.apiUrl, 'harbour-shopify');
    // The store's three sample products (no weight), and this merchant's 127 variants.
    expect(report).toMatchObject({ connectorId: 'harbour-shopify', source: 'shopify', variants: 130 });
    expect(report!.items).toEqual({ created: 122, changed: 0, unchanged: 0 });
    expect(report!.duplicateSkus).toEqual([
      { sku: 'H-PUMP', variants: duplicates.map((p) => String(p.variants[0]!.id)) },
    ]);
    expect(report!.withoutSku).toEqual([
      { variantId: String(skirt.variants[1]!.id), name: 'Spray skirt – Custom' },
    ]);
    expect(report!.withoutWeight.sort()).toEqual(['H-DECKBAG', 'MUG-TI', 'STOVE-1', 'TENT-2P']);
    expect(report!.keptByFile).toEqual(['H-PADDLE']);
    expect(report!.untracked).toEqual(['H-GIFT']);
    expect(report!.locations).toEqual({
      proposed: { reno: RENO },
      unmatchedStore: [{ id: 71_000_000_002, name: 'Newark DC' }],
      unmatchedHub: ['tromso'],
      mapped: { reno: RENO },
    });

    const last = await http.get(`${hub.apiUrl}/v1/items/H-DRYBAG-120`, { headers: headers() });
    expect(last.data).toMatchObject({
      sku: 'H-DRYBAG-120',
      name: 'Dry bag – 120 L',
      weightGrams: 269,
      managedBy: 'api',
    });
    const kept = await http.get(`${hub.apiUrl}/v1/items/H-PADDLE`, { headers: headers() });
    expect(kept.data).toMatchObject({
      name: 'Harbour paddle (as the file says)',
      weightGrams: 900,
      managedBy: 'file',
    });
    for (const sku of ['H-PUMP', 'H-DECKBAG'])
      expect((await http.get(`${hub.apiUrl}/v1/items/${sku}`, { headers: headers() })).status).toBe(404);
    expect(dryBag.variants).toHaveLength(120);
  });

  it('imports again on request: a new product is added, a renamed one follows the store, the rest is unchanged', async () => {
    const before = await finishedAfter(hub.apiUrl, 'harbour-shopify');
    await createProduct(hub.sandboxUrl, 'Throw bag', [{ sku: 'H-THROW', weightGrams: 700 }]);
    await http.delete(`${hub.sandboxUrl}/__sandbox/shopify/products/${giftCard.id}?shop=${SHOP}`);
    await createProduct(hub.sandboxUrl, 'E-gift card', [{ sku: 'H-GIFT', weightGrams: 5, tracked: false }]);
    const started = await http.post(
      `${hub.apiUrl}/v1/channels/harbour-shopify/import`,
      {},
      { headers: headers() },
    );
    expect(started.status).toBe(202);
    expect(started.data).toMatchObject({
      import: 'started',
      workflowId: catalogueImportWorkflowId(TENANT, 'harbour-shopify'),
    });
    const { report } = await finishedAfter(hub.apiUrl, 'harbour-shopify', before.finishedAt!);
    expect(report!.items).toEqual({ created: 1, changed: 1, unchanged: 121 });
    const renamed = await http.get(`${hub.apiUrl}/v1/items/H-GIFT`, { headers: headers() });
    expect(renamed.data).toMatchObject({ name: 'E-gift card', weightGrams: 5 });
    await recordHistoryIfAsked(
      hub.services.client,
      catalogueImportWorkflowId(TENANT, 'harbour-shopify'),
      'catalogue-import',
    );

    // Only Shopify and Square catalogues are read, only the tenant's own, and only options that exist.
    const carrier = await http.post(
      `${hub.apiUrl}/v1/channels/harbour-carrier/import`,
      {},
      { headers: headers() },
    );
    expect(carrier.status).toBe(409);
    const foreign = await http.post(
      `${hub.apiUrl}/v1/channels/globex-square/import`,
      {},
      { headers: headers() },
    );
    expect(foreign.status).toBe(404);
    const bad = await http.post(
      `${hub.apiUrl}/v1/channels/harbour-square/import`,
      { defaultWeightGrams: 0 },
      { headers: headers() },
    );
    expect(bad.status).toBe(400);
    expect(bad.data.error.details).toEqual([expect.objectContaining({ path: 'defaultWeightGrams' })]);
  });

  it('reads the Square catalogue, taking a weight only when the request gives one', async () => {
    const espresso = uniqueId('H-ESP');
    for (const [suffix, name] of [
      ['S', 'Single'],
      ['D', 'Double'],
    ])
      await http.post(`${hub.sandboxUrl}/__sandbox/square/catalog`, {
        id: `VAR-${espresso}-${suffix}`,
        sku: `${espresso}-${suffix}`,
        name,
        itemName: 'Espresso',
        price: { amount: 300, currency: 'USD' },
      });
    const first = await http.post(
      `${hub.apiUrl}/v1/channels/harbour-square/import`,
      {},
      { headers: headers() },
    );
    expect(first.status).toBe(202);
    const withoutWeight = await finishedAfter(hub.apiUrl, 'harbour-square');
    expect(withoutWeight.report!.withoutWeight).toEqual(
      expect.arrayContaining([`${espresso}-S`, `${espresso}-D`]),
    );
    expect((await http.get(`${hub.apiUrl}/v1/items/${espresso}-S`, { headers: headers() })).status).toBe(404);

    await http.post(
      `${hub.apiUrl}/v1/channels/harbour-square/import`,
      { defaultWeightGrams: 250 },
      { headers: headers() },
    );
    const weighed = await finishedAfter(hub.apiUrl, 'harbour-square', withoutWeight.finishedAt!);
    expect(weighed.report!.defaultWeight).toEqual(expect.arrayContaining([`${espresso}-S`, `${espresso}-D`]));
    const double = await http.get(`${hub.apiUrl}/v1/items/${espresso}-D`, { headers: headers() });
    expect(double.data).toMatchObject({ name: 'Espresso – Double', weightGrams: 250, managedBy: 'api' });
  });

  it('sells what it read: a Shopify order delivered, invoiced to a customer the connector created, its stock set by inventorySetQuantities', async () => {
    const sku = 'H-DRYBAG-7';
    const stats = async () =>
      (
        (await http.get(`${hub.sandboxUrl}/__sandbox/stats`)).data as {
          shopify: { shops: Record<string, { inventorySets: number; quantitiesSet: number }> };
        }
      ).shopify.shops[SHOP]!;
    const shown = async () =>
      (
        await http.get<{ locations: Record<string, number> }>(
          `${hub.sandboxUrl}/__sandbox/shopify/stock/${sku}?shop=${SHOP}`,
        )
      ).data.locations[String(RENO)];
    const counted = await http.put(
      `${hub.apiUrl}/v1/inventory/${sku}/reno`,
      { set: 10, reason: 'first count' },
      { headers: headers() },
    );
    expect(counted.status).toBe(200);
    await eventually('the store to show the count', async () => ((await shown()) === 10 ? true : undefined));
    const setsBefore = await stats();

    const email = `${uniqueId('paddler')}@example.com`;
    const created = await http.post<{ order: { id: number } }>(
      `${hub.sandboxUrl}/__sandbox/shopify/orders?shop=${SHOP}`,
      shopifyOrderBody(sku, 2, { email, customer: { first_name: 'Nansen', last_name: 'Fridtjof', email } }),
    );
    expect(created.status).toBe(201);
    const orderId = created.data.order.id;
    const delivered = await http.post(
      `${hub.sandboxUrl}/__sandbox/shopify/orders/${orderId}/webhooks?shop=${SHOP}`,
      {
        topic: 'orders/create',
        address: `${hub.apiUrl}/webhooks/shopify/harbour-shopify`,
        times: 1,
      },
    );
    expect(delivered.data.deliveries.map((d: { status: number }) => d.status)).toEqual([200]);
    const order = await waitForOrder(
      hub.apiUrl,
      `shopify:${orderId}`,
      ['delivered', 'exception', 'rejected', 'failed'],
      headers(),
    );
    expect(order.status).toBe('delivered');

    const books = await http.get<{
      customers: Array<{ Id: string; PrimaryEmailAddr?: { Address: string } }>;
      invoices: Array<{ CustomerRef: { value: string }; PrivateNote?: string; TotalAmt: number }>;
    }>(`${hub.sandboxUrl}/__sandbox/quickbooks/companies/${REALM}`);
    const customer = books.data.customers.filter((c) => c.PrimaryEmailAddr?.Address === email);
    expect(customer).toHaveLength(1);
    const invoices = books.data.invoices.filter(
      (i) => i.PrivateNote === `order:${TENANT}:shopify:${orderId}`,
    );
    expect(invoices).toHaveLength(1);
    expect(invoices[0]!.CustomerRef.value).toBe(customer[0]!.Id);

    await eventually('the store to show the sale', async () => ((await shown()) === 8 ? true : undefined));
    const setsAfter = await stats();
    expect(setsAfter.inventorySets).toBeGreaterThan(setsBefore.inventorySets);
    expect(setsAfter.quantitiesSet).toBeGreaterThan(setsBefore.quantitiesSet);
  });
});
