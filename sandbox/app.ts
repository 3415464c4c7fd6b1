import { shopifyRootValue } from './marketplace/shopify-resolvers';
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { QuickBooksEmulator } from './accounting/quickbooks';
import { XeroEmulator } from './accounting/xero';
import { AlpineBitsEmulator } from './ota/alpinebits';
import type { Handshake } from '../connectors/ota/alpinebits/handshake';
import { EasyPostEmulator, type TrackingProgression } from './carrier/easypost';
import { ShopifyEmulator } from './marketplace/shopify';
import { LockEmulator } from './lock/locks';
import { OrderRefused, SquareEmulator } from './pos/square';
import { FaultInjector, type FaultSettings } from './shared/faults';
import { CallRecorder } from './shared/recorder';
import { secretsFromEnv, type SecretSource } from './shared/secrets';

export interface SandboxOptions {
  /** Credentials the emulated partners accept (read at each call, so they can be rotated). */
  secrets?: SecretSource;
}

export const SANDBOX_PARTNERS = [
  'easypost',
  'easypost-b',
  'shopify',
  'quickbooks',
  'xero',
  'square',
  'locks',
  'inbox',
  'ota-a',
  'ota-b',
  'ota-c',
] as const;
/** The QuickBooks companies and Xero organisations the sandbox's tokens are authorised for. */
export const SANDBOX_QUICKBOOKS_REALMS = ['9130350000000001'];
export const SANDBOX_XERO_TENANTS = [
  '8b1a3f7e-0000-4000-8000-000000000001',
  '8b1a3f7e-0000-4000-8000-000000000002',
];
/** Three OTAs speaking AlpineBits, each at /alpinebits/<name>. */
export const SANDBOX_OTAS = ['ota-a', 'ota-b', 'ota-c'] as const;
export type SandboxPartner = (typeof SANDBOX_PARTNERS)[number];

export interface Sandbox {
  app: Express;
  recorder: CallRecorder;
  faults: Record<SandboxPartner, FaultInjector>;
  easypost: EasyPostEmulator;
  /** A second carrier account with other services and prices, for rate shopping. */
  easypostB: EasyPostEmulator;
  inbox: Map<string, Array<{ headers: Record<string, unknown>; body: unknown; at: string }>>;
  shopify: ShopifyEmulator;
  quickbooks: QuickBooksEmulator;
  xero: XeroEmulator;
  square: SquareEmulator;
}

/**
 * Local emulators of partner APIs, each under its own prefix (Shopify at `/admin/api`, where
 * shopify-api-node calls it), with one control surface under `/__sandbox`:
 *   GET/DELETE /__sandbox/calls[?partner=]     calls received (method, path, status, body)
 *   PUT /__sandbox/faults/:partner             fault knobs (5xx, 429 + Retry-After, latency, timeouts)
 *   DELETE /__sandbox/faults                   no faults anywhere
 *   GET /__sandbox/stats                       documents each partner holds (labels, invoices…)
 *   GET /__sandbox/xero/invoices/:id           one Xero invoice (AmountDue) with its payments
 *   PUT|GET /__sandbox/quickbooks/companies/:realm   a QuickBooks company the token reaches; its books
 *   PUT|GET /__sandbox/xero/organisations/:tenant    a Xero organisation the token reaches; its books
 *   GET /__sandbox/ota/:name/free-rooms        rooms an OTA shows (?hotel&code&from&to)
 *   GET /__sandbox/ota/:name/ari               free rooms, restrictions and rates it shows
 *   PUT /__sandbox/ota/:name/settings          room codes it knows per hotel, requests per minute,
 *                                              a warning to answer every message it takes with
 *   POST /__sandbox/ota/:name/push             the OTA pushes reservations to a hotel system
 *   POST|GET /__sandbox/ota/:name/pending      reservations waiting for the hotel's pull (?hotel);
 *                                              {verbatim: {hotelCode, xml}} answers its next pull as given
 *   PUT /__sandbox/easypost/tracking           automatic tracker progression (or null)
 *   POST /__sandbox/easypost/track             send one tracker event
 *   POST /__sandbox/easypost/accounts          another EasyPost account ({apiKey}): its own shipments and webhooks
 *   POST /__sandbox/shopify/shops              another store ({name}): its own access token, catalogue and orders;
 *                                              the shopify controls below take ?shop=<name> (default: the configured one)
 *   POST /__sandbox/shopify/orders             create a store order; PATCH …/:id to change it
 *   POST /__sandbox/shopify/products           add a product (variants: sku, title, tracked, weightGrams); DELETE …/:id
 *   GET|PUT /__sandbox/shopify/stock/:sku      what the store shows per location; an admin's edit
 *   PUT /__sandbox/shopify/settings            the GraphQL cost bucket ({maximumAvailable, restoreRate}, null: the default)
 *   POST /__sandbox/shopify/orders/:id/webhooks  deliver a webhook topic N times
 *   POST /__sandbox/square/catalog|orders      catalog variations and POS orders
 *   POST /__sandbox/square/orders/:id/webhooks deliver order.created N times
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const secrets = options.secrets ?? secretsFromEnv();
  const app = express();
  app.set('trust proxy', false);
  app.use(express.json({ limit: '2mb' }));
  const recorder = new CallRecorder();
  // EasyPost accounts: the configured key's, and any opened since (each key is its own account).
  const easypostAccounts = new Set<string>();
  const easypostKeys = () =>
    [secrets('easypostKey'), ...easypostAccounts].filter((k): k is string => Boolean(k));
  const easypost = new EasyPostEmulator(easypostKeys);
  const easypostB = new EasyPostEmulator(easypostKeys, [
    { carrier: 'FedEx', service: 'FEDEX_GROUND', days: 4, base: 3.9, perOunce: 0.06 },
    { carrier: 'FedEx', service: 'FEDEX_2_DAY', days: 2, base: 9.5, perOunce: 0.1 },
  ]);
  const inbox: Sandbox['inbox'] = new Map();
  const shopify = new ShopifyEmulator(secrets);
  /** Stores by name (`?shop=` on the controls); `default` is the one the shipped config reaches. */
  const shops = new Map<string, ShopifyEmulator>([['default', shopify]]);
  const shopRouters = new Map<ShopifyEmulator, Router>([
    [shopify, shopify.router(shopifyRootValue(shopify))],
  ]);
  const shopIn = (req: Request): ShopifyEmulator => {
    const shop = shops.get(typeof req.query.shop === 'string' ? req.query.shop : 'default');
    if (!shop) throw Object.assign(new Error(`no sandbox shop ${String(req.query.shop)}`), { status: 404 });
    return shop;
  };
  // The accounting companies of the shipped config's sandbox tenants (acme's realm, globex's and alpine's organisations).
  const quickbooks = new QuickBooksEmulator(secrets, SANDBOX_QUICKBOOKS_REALMS);
  const xero = new XeroEmulator(secrets, SANDBOX_XERO_TENANTS);
  const square = new SquareEmulator(secrets);
  const locks = new LockEmulator(secrets);
  const otas = Object.fromEntries(
    SANDBOX_OTAS.map((name) => [name, new AlpineBitsEmulator(name, secrets)]),
  ) as Record<(typeof SANDBOX_OTAS)[number], AlpineBitsEmulator>;
  const faults = Object.fromEntries(SANDBOX_PARTNERS.map((p) => [p, new FaultInjector()])) as Record<
    SandboxPartner,
    FaultInjector
  >;
  const faultsFor = (partner: SandboxPartner) => faults[partner].middleware();

  app.get('/__sandbox/calls', (req, res) => {
    res.json(recorder.list(typeof req.query.partner === 'string' ? req.query.partner : undefined));
  });
  app.delete('/__sandbox/calls', (_req, res) => {
    recorder.clear();
    res.status(204).end();
  });
  app.put('/__sandbox/faults/:partner', (req, res) => {
    const injector = faults[String(req.params.partner) as SandboxPartner];
    if (!injector) return res.status(404).json({ error: `unknown partner ${String(req.params.partner)}` });
    res.json(injector.configure(req.body as Partial<FaultSettings>));
  });
  app.delete('/__sandbox/faults', (_req, res) => {
    Object.values(faults).forEach((injector) => injector.reset());
    res.status(204).end();
  });
  app.get('/__sandbox/stats', (_req, res) => {
    res.json({
      easypost: {
        shipments: easypost.shipments.size,
        purchased: easypost.purchasedCount(),
        returnLabels: easypost.returnLabelCount(),
        refundedLabels: easypost.refundedCount(),
        trackerEvents: easypost.deliveredEvents,
      },
      'easypost-b': {
        shipments: easypostB.shipments.size,
        purchased: easypostB.purchasedCount(),
        returnLabels: easypostB.returnLabelCount(),
        refundedLabels: easypostB.refundedCount(),
      },
      shopify: {
        ...shopStats(shopify),
        shops: Object.fromEntries([...shops].map(([name, shop]) => [name, shopStats(shop)])),
      },
      quickbooks: {
        invoices: quickbooks.count('invoices'),
        payments: quickbooks.count('payments'),
        creditMemos: quickbooks.count('creditMemos'),
        replays: quickbooks.idempotency.replays,
      },
      xero: {
        invoices: xero.count('invoices'),
        payments: xero.count('payments'),
        creditNotes: xero.count('creditNotes'),
        replays: xero.idempotency.replays,
      },
      square: { orders: square.orders.size },
      locks: { keys: locks.keys.size, active: locks.activeKeys() },
      ota: Object.fromEntries(
        SANDBOX_OTAS.map((name) => [
          name,
          {
            requests: otas[name].requests,
            bytes: otas[name].bytesReceived,
            refused: otas[name].refused,
            throttled: otas[name].throttled,
          },
        ]),
      ),
    });
  });
  app.put('/__sandbox/easypost/tracking', (req, res) => {
    const progression = (req.body as TrackingProgression | null) ?? null;
    easypost.progression = easypostB.progression =
      progression && 'inTransitAfterMs' in progression ? progression : null;
    res.json({ progression: easypost.progression });
  });
  app.post('/__sandbox/easypost/accounts', (req, res) => {
    const apiKey = (req.body as { apiKey?: unknown } | undefined)?.apiKey;
    if (typeof apiKey !== 'string' || apiKey.length < 8)
      return res.status(422).json({ error: 'apiKey (a string of 8 or more characters) is required' });
    easypostAccounts.add(apiKey);
    res.status(201).json({ apiKey });
  });
  app.post('/__sandbox/easypost/track', async (req: Request, res: Response) => {
    const body = req.body as { trackingCode: string; status: string; message?: string; silent?: boolean };
    const delivered =
      (await easypost.track(body.trackingCode, body.status, body.message, body.silent)) +
      (await easypostB.track(body.trackingCode, body.status, body.message, body.silent));
    res.json({ delivered });
  });
  // A subscriber endpoint that records the events the hub sends it.
  app.post('/__sandbox/inbox/:name', faultsFor('inbox'), (req, res) => {
    const list = inbox.get(String(req.params.name)) ?? [];
    list.push({ headers: req.headers, body: req.body as unknown, at: new Date().toISOString() });
    inbox.set(String(req.params.name), list);
    res.status(204).end();
  });
  app.get('/__sandbox/inbox/:name', (req, res) => res.json(inbox.get(String(req.params.name)) ?? []));
  // More stores than the configured one: each answers only its own access token, as Shopify's do.
  app.post('/__sandbox/shopify/shops', (req, res) => {
    const name = String((req.body as { name?: unknown } | undefined)?.name ?? '');
    if (!/^[a-z0-9-]{1,40}$/.test(name) || name === 'default')
      return res.status(400).json({ error: 'name: lower-case letters, digits and dashes' });
    let shop = shops.get(name);
    if (!shop) {
      const token = `shpat_${name}_${randomBytes(12).toString('hex')}`;
      shop = new ShopifyEmulator(secrets, token, 5_000_000_000 + shops.size * 100_000_000);
      shops.set(name, shop);
      shopRouters.set(shop, shop.router(shopifyRootValue(shop)));
    }
    res.status(201).json({ name, accessToken: shop.accessToken });
  });
  app.post('/__sandbox/shopify/products', (req, res) => {
    const body = req.body as Parameters<ShopifyEmulator['inventory']['createProduct']>[0];
    res.status(201).json({ product: shopIn(req).inventory.createProduct(body) });
  });
  app.delete('/__sandbox/shopify/products/:id', (req, res) => {
    res.status(shopIn(req).inventory.products.delete(Number(req.params.id)) ? 204 : 404).end();
  });
  app.get('/__sandbox/shopify/stock/:sku', (req, res) => {
    res.json({ sku: req.params.sku, locations: shopIn(req).inventory.stockOf(String(req.params.sku)) });
  });
  app.put('/__sandbox/shopify/stock/:sku', (req, res) => {
    const body = req.body as { locationId: number; available: number };
    if (!shopIn(req).inventory.adminSet(String(req.params.sku), body.locationId, body.available))
      return res.status(404).json({ error: `the store lists no ${String(req.params.sku)}` });
    res.json({ sku: req.params.sku, locations: shopIn(req).inventory.stockOf(String(req.params.sku)) });
  });
  app.put('/__sandbox/shopify/settings', (req, res) => {
    const body = req.body as { costBucket?: { maximumAvailable: number; restoreRate: number } | null };
    if (body.costBucket !== undefined) shopIn(req).configureBucket(body.costBucket);
    res.json({ costBucket: body.costBucket ?? null });
  });
  app.post('/__sandbox/shopify/orders', (req, res) => {
    res.status(201).json({ order: shopIn(req).createOrder(req.body as Record<string, unknown>) });
  });
  app.get('/__sandbox/shopify/orders/:id', (req, res) => {
    const order = shopIn(req).orders.get(Number(req.params.id));
    if (!order) return res.status(404).json({ error: 'no such order' });
    res.json({
      order,
      fulfillments: shopIn(req).fulfillments.get(order.id) ?? [],
      refunds: shopIn(req).refunds.get(order.id) ?? [],
    });
  });
  app.patch('/__sandbox/shopify/orders/:id', (req, res) => {
    const order = shopIn(req).updateOrder(Number(req.params.id), req.body as Record<string, unknown>);
    if (!order) return res.status(404).json({ error: 'no such order' });
    res.json({ order });
  });
  // A customer asks for a return on Shopify: Shopify sends `returns/request`.
  app.post('/__sandbox/shopify/orders/:id/returns', async (req: Request, res: Response) => {
    const body = req.body as {
      lines: Array<{ line_item_id: number; quantity: number; reason?: string }>;
      address: string;
      times?: number;
    };
    const payload = shopIn(req).requestReturn(Number(req.params.id), body.lines ?? []);
    if (!payload) return res.status(404).json({ error: 'no such order' });
    const results = await shopIn(req).deliver('returns/request', payload, body.address, body.times ?? 1);
    res.json({ return: payload, results });
  });
  // A merchant refunds in Shopify's admin: the refund is made, then `refunds/create` is sent.
  app.post('/__sandbox/shopify/orders/:id/refunds', async (req: Request, res: Response) => {
    const body = req.body as { refund: Record<string, unknown>; address: string };
    const outcome = shopIn(req).createRefund(Number(req.params.id), body.refund ?? {});
    if (!('refund' in outcome)) return res.status(outcome.status).json({ errors: outcome.errors });
    const results = await shopIn(req).deliver('refunds/create', outcome.refund, body.address, 1);
    res.json({ refund: outcome.refund, results });
  });
  app.post('/__sandbox/shopify/orders/:id/webhooks', async (req: Request, res: Response) => {
    const body = req.body as { topic: string; address: string; times?: number };
    const results = await shopIn(req).sendWebhook(
      body.topic,
      Number(req.params.id),
      body.address,
      body.times ?? 1,
    );
    if (!results) return res.status(404).json({ error: 'no such order' });
    res.json({ deliveries: results });
  });
  const otaOf = (req: Request, res: Response) => {
    const ota = otas[String(req.params.name) as (typeof SANDBOX_OTAS)[number]];
    if (!ota) res.status(404).json({ error: `no OTA ${String(req.params.name)}` });
    return ota;
  };
  app.get('/__sandbox/ota/:name/free-rooms', (req, res) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    const q = (k: string) => String(req.query[k] ?? '');
    res.json({ dates: ota.shown(q('hotel'), q('code'), q('from'), q('to')) });
  });
  app.get('/__sandbox/ota/:name/ari', (req, res) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    const q = (k: string) => String(req.query[k] ?? '');
    res.json({ dates: ota.ari(q('hotel'), q('code'), q('from'), q('to')) });
  });
  app.put('/__sandbox/ota/:name/settings', (req, res) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    const body = req.body as {
      knownCodes?: Record<string, string[]>;
      requestsPerMinute?: number | null;
      warning?: string | null;
      /** What it declares in the AlpineBits handshake (null: it knows no handshake, as before 2018-10). */
      handshake?: Handshake | null;
    };
    for (const [hotel, codes] of Object.entries(body.knownCodes ?? {}))
      ota.knownCodes.set(hotel, new Set(codes));
    if (body.requestsPerMinute !== undefined) ota.requestsPerMinute = body.requestsPerMinute ?? undefined;
    if (body.warning !== undefined) ota.warning = body.warning ?? undefined;
    if (body.handshake !== undefined) ota.declare(body.handshake);
    res.json({
      requestsPerMinute: ota.requestsPerMinute ?? null,
      warning: ota.warning ?? null,
      handshake: ota.declared ?? null,
    });
  });
  app.post('/__sandbox/ota/:name/push', async (req: Request, res: Response) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    res.json(await ota.push(req.body as Parameters<AlpineBitsEmulator['push']>[0]));
  });
  app.post('/__sandbox/ota/:name/pending', (req, res) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    const body = req.body as {
      message?: Parameters<AlpineBitsEmulator['queueForPull']>[0];
      verbatim?: { hotelCode: string; xml: string };
    };
    if (body.verbatim) ota.answerNextPullWith(body.verbatim.hotelCode, body.verbatim.xml);
    else if (body.message) ota.queueForPull(body.message);
    else return void res.status(400).json({ error: 'message or verbatim is required' });
    res.status(202).json({ queued: true });
  });
  app.get('/__sandbox/ota/:name/pending', (req, res) => {
    const ota = otaOf(req, res);
    if (!ota) return;
    const hotel = String(req.query.hotel ?? '');
    res.json({
      waiting: [...(ota.pending.get(hotel)?.keys() ?? [])],
      acknowledged: ota.acknowledged,
      refused: ota.refusedByHotel,
    });
  });
  app.get('/__sandbox/xero/invoices/:id', (req, res) => {
    const invoice = xero.find('invoices', req.params.id);
    if (!invoice) return void res.status(404).json({ error: `no invoice ${req.params.id}` });
    const payments = [...xero.books.values()]
      .flatMap((o) => [...o.payments.values()])
      .filter((p) => (p.Invoice as { InvoiceID?: string } | undefined)?.InvoiceID === req.params.id);
    res.json({ invoice, payments });
  });
  // Accounting companies the sandbox token reaches: made (with the standard lists, or those given) and read.
  app.put('/__sandbox/quickbooks/companies/:realm', (req, res) => {
    const company = quickbooks.addCompany(String(req.params.realm), (req.body ?? {}) as never);
    res.status(201).json({ realmId: company.realmId });
  });
  app.get('/__sandbox/quickbooks/companies/:realm', (req, res) => {
    const company = quickbooks.books.get(String(req.params.realm));
    if (!company) return void res.status(404).json({ error: `no company ${String(req.params.realm)}` });
    const list = (map: Map<string, unknown>) => [...map.values()];
    res.json({
      customers: list(company.customers),
      invoices: list(company.invoices),
      payments: list(company.payments),
      creditMemos: list(company.creditMemos),
    });
  });
  app.put('/__sandbox/xero/organisations/:tenant', (req, res) => {
    const organisation = xero.addOrganisation(String(req.params.tenant), (req.body ?? {}) as never);
    res.status(201).json({ tenantId: organisation.tenantId });
  });
  app.get('/__sandbox/xero/organisations/:tenant', (req, res) => {
    const organisation = xero.books.get(String(req.params.tenant));
    if (!organisation)
      return void res.status(404).json({ error: `no organisation ${String(req.params.tenant)}` });
    const list = (map: Map<string, unknown>) => [...map.values()];
    res.json({
      contacts: list(organisation.contacts),
      invoices: list(organisation.invoices),
      payments: list(organisation.payments),
      creditNotes: list(organisation.creditNotes),
    });
  });
  app.post('/__sandbox/square/catalog', (req, res) => {
    const body = req.body as {
      id: string;
      sku: string;
      name?: string;
      price?: { amount: number; currency: string };
      itemName?: string;
    };
    square.addVariation(body.id, body.sku, body.name ?? body.sku, body.price, body.itemName);
    res.status(201).json(body);
  });
  // An order rung up at the seller's POS: Square computes its money (taxes, total, due after tenders).
  app.post('/__sandbox/square/orders', (req, res) => {
    try {
      res.status(201).json({ order: square.createOrder(req.body as Record<string, unknown>) });
    } catch (error) {
      if (!(error instanceof OrderRefused)) throw error;
      res.status(400).json({
        errors: [
          { category: 'INVALID_REQUEST_ERROR', code: error.code, detail: error.detail, field: error.field },
        ],
      });
    }
  });
  app.post('/__sandbox/square/orders/:id/webhooks', async (req: Request, res: Response) => {
    const body = req.body as { notificationUrl: string; deliverTo?: string; times?: number };
    const results = await square.sendOrderCreated(
      String(req.params.id),
      body.notificationUrl,
      body.times ?? 1,
      body.deliverTo,
    );
    if (!results) return res.status(404).json({ error: 'no such order' });
    res.json({ deliveries: results });
  });

  app.use('/locks/api/v1', recorder.middleware('locks'), faultsFor('locks'), locks.router());
  app.use('/easypost', recorder.middleware('easypost'), faultsFor('easypost'), easypost.router());
  app.use('/easypost-b', recorder.middleware('easypost-b'), faultsFor('easypost-b'), easypostB.router());
  app.use(
    '/admin/api/:version',
    recorder.middleware('shopify'),
    faults.shopify.middleware(),
    (req: Request, res: Response, next: NextFunction) => {
      const token = req.headers['x-shopify-access-token'];
      // A bulk result's link carries no token: the store that holds the file answers it.
      const file = /^\/bulk\/([^/]+?)(\.jsonl)?$/.exec(req.path)?.[1];
      const shop =
        (file && [...shops.values()].find((s) => s.bulk?.file(file) !== undefined)) ||
        [...shops.values()].find((s) => s.accessToken && s.accessToken === token) ||
        shopify;
      shopRouters.get(shop)!(req, res, next);
    },
  );
  app.use(
    '/quickbooks',
    recorder.middleware('quickbooks'),
    faults.quickbooks.middleware(),
    quickbooks.router(),
  );
  app.use('/xero', recorder.middleware('xero'), faults.xero.middleware(), xero.router());
  app.use('/square', recorder.middleware('square'), faults.square.middleware(), square.router());
  for (const name of SANDBOX_OTAS)
    app.use(`/alpinebits/${name}`, recorder.middleware(name), faults[name].middleware(), otas[name].router());
  app.use((req: Request, res: Response) =>
    partnerError(req, res, 404, `no endpoint ${req.method} ${req.path}`),
  );
  // A body that is not JSON (or too large) is the caller's mistake: answered in the partner's shape, never a 500 page.
  app.use(
    (error: { status?: number; message?: string }, req: Request, res: Response, _next: NextFunction) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      partnerError(req, res, status, error.message ?? 'the request failed');
    },
  );
  return { app, recorder, faults, easypost, easypostB, inbox, shopify, quickbooks, xero, square };
}

function shopStats(shop: ShopifyEmulator) {
  return {
    orders: shop.orders.size,
    fulfillments: shop.fulfillmentCount(),
    cancellations: shop.cancellations.length,
    refunds: shop.refundCount(),
    inventorySets: shop.inventory.sets,
    quantitiesSet: shop.inventory.quantitiesSet,
    throttled: shop.throttled,
  };
}

/** An error in the shape of the partner the path belongs to. */
function partnerError(req: Request, res: Response, status: number, message: string): void {
  const [, prefix] = req.path.split('/');
  const body: Record<string, unknown> =
    prefix === 'easypost' || prefix === 'easypost-b'
      ? { error: { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message, errors: [] } }
      : prefix === 'quickbooks'
        ? {
            Fault: {
              Error: [{ Message: message, Detail: message, code: String(status) }],
              type: 'ValidationFault',
            },
          }
        : prefix === 'xero'
          ? { ErrorNumber: 10, Type: 'ValidationException', Message: message, Elements: [] }
          : prefix === 'square'
            ? {
                errors: [
                  {
                    category: 'INVALID_REQUEST_ERROR',
                    code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
                    detail: message,
                  },
                ],
              }
            : prefix === 'admin'
              ? { errors: message }
              : { error: message };
  res.status(status).json(body);
}
