import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { deliverWebhook } from '../shared/webhooks';
import { labelPdf } from './pdf';

interface Address {
  name?: string;
  street1?: string;
  street2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}
interface Rate {
  id: string;
  object: 'Rate';
  shipment_id: string;
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days: number;
}
interface Shipment {
  id: string;
  object: 'Shipment';
  mode: 'test';
  reference: string | null;
  to_address: Address;
  from_address: Address;
  parcel: { weight: number; length?: number; width?: number; height?: number };
  rates: Rate[];
  selected_rate: Rate | null;
  postage_label: {
    object: 'PostageLabel';
    label_url: string;
    label_pdf_url: string;
    label_file_type: string;
  } | null;
  tracking_code: string | null;
  refund_status: string | null;
  /** EasyPost's flag for a return label: the customer sends the parcel back. */
  is_return: boolean;
  status: string;
  /** EasyPost keeps a Tracker on every shipment with postage: its scans, read back by GET. */
  tracker: Tracker | null;
  created_at: string;
}

interface Tracker {
  object: 'Tracker';
  id: string;
  mode: 'test';
  tracking_code: string;
  shipment_id: string;
  carrier?: string;
  status: string;
  updated_at: string;
  tracking_details: Array<{ object: 'TrackingDetail'; status: string; message: string; datetime: string }>;
}

export interface CarrierService {
  carrier: string;
  service: string;
  days: number;
  base: number;
  perOunce: number;
}

/** Carrier services offered by the emulator: name, transit days, base price and price per ounce. */
export const DEFAULT_SERVICES: CarrierService[] = [
  { carrier: 'USPS', service: 'GroundAdvantage', days: 5, base: 4.5, perOunce: 0.05 },
  { carrier: 'USPS', service: 'Priority', days: 2, base: 7.9, perOunce: 0.08 },
  { carrier: 'UPS', service: 'NextDayAir', days: 1, base: 24.0, perOunce: 0.2 },
];

function id(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** EasyPost's error shape: `error.code`, `error.message` and the fields at fault in `error.errors[]`. */
function epError(
  res: Response,
  status: number,
  code: string,
  message: string,
  errors: Array<{ field: string; message: string }> = [],
): void {
  res.status(status).json({ error: { code, message, errors } });
}

const REQUIRED_ADDRESS_FIELDS = ['street1', 'city', 'zip', 'country'] as const;

/**
 * EasyPost-compatible carrier API (v2 shipments, rates, buy, refund) with its own state.
 * Buying a shipment twice is refused with SHIPMENT.POSTAGE.EXISTS, as the real API does.
 */
/** Test-mode trackers move on by themselves, as EasyPost's do: picked up, then delivered. */
export interface TrackingProgression {
  inTransitAfterMs: number;
  deliveredAfterMs: number;
}

interface Webhook {
  id: string;
  object: 'Webhook';
  mode: 'test';
  url: string;
  secret?: string;
  disabled_at: null;
}

/** Where an account's own records are kept apart: EasyPost scopes everything to the API key's user. */
type Account = string;

export class EasyPostEmulator {
  readonly shipments = new Map<string, Shipment>();
  /** Each webhook with the account that made it: events go only to that account's webhooks. */
  readonly webhooks = new Map<string, Webhook & { account: Account }>();
  /** The account that created each shipment: another account's key gets 404 for it. */
  private readonly owners = new Map<string, Account>();
  progression: TrackingProgression | null = null;
  deliveredEvents = 0;

  constructor(
    private readonly apiKeys: () => string[],
    private readonly services: CarrierService[] = DEFAULT_SERVICES,
  ) {}

  purchasedCount(): number {
    return [...this.shipments.values()].filter((s) => s.postage_label !== null).length;
  }

  returnLabelCount(): number {
    return [...this.shipments.values()].filter((s) => s.is_return && s.postage_label !== null).length;
  }

  refundedCount(): number {
    return [...this.shipments.values()].filter((s) => s.refund_status !== null).length;
  }

  /**
   * A scan of a shipment's parcel: its tracker moves on, and a `tracker.updated` event goes to
   * every webhook of the account that bought the label, unless `silent` (a scan whose webhook
   * never reaches the hub).
   */
  async track(trackingCode: string, status: string, message?: string, silent = false): Promise<number> {
    const shipment = [...this.shipments.values()].find((s) => s.tracking_code === trackingCode);
    if (!shipment?.tracker) return 0;
    shipment.status = status;
    const now = new Date().toISOString();
    const tracker = shipment.tracker;
    tracker.status = status;
    tracker.updated_at = now;
    tracker.tracking_details.push({
      object: 'TrackingDetail',
      status,
      message: message ?? status.replace(/_/g, ' '),
      datetime: now,
    });
    if (silent) return 0;
    const body = JSON.stringify({
      object: 'Event',
      id: id('evt'),
      mode: 'test',
      description: 'tracker.updated',
      created_at: now,
      result: { ...tracker, tracking_details: tracker.tracking_details.slice(-1) },
    });
    let delivered = 0;
    const account = this.owners.get(shipment.id);
    for (const webhook of this.webhooks.values()) {
      if (webhook.account !== account) continue;
      const headers: Record<string, string> = {};
      if (webhook.secret)
        headers['X-Hmac-Signature'] =
          `hmac-sha256-hex=${createHmac('sha256', webhook.secret.normalize('NFKD')).update(body).digest('hex')}`;
      if (await this.deliver(webhook.id, body, headers)) delivered += 1;
    }
    return delivered;
  }

  /**
   * One delivery of an event to a webhook. Like EasyPost, a delivery that is not answered 2xx is
   * tried again later with growing pauses (here 1 s doubling, five times), while the webhook exists.
   */
  private async deliver(
    webhookId: string,
    body: string,
    headers: Record<string, string>,
    attempt = 0,
  ): Promise<boolean> {
    const webhook = this.webhooks.get(webhookId);
    if (!webhook) return false;
    const result = await deliverWebhook(webhook.url, body, headers);
    if (result.status >= 200 && result.status < 300) {
      this.deliveredEvents += 1;
      return true;
    }
    if (attempt < 5)
      setTimeout(() => void this.deliver(webhookId, body, headers, attempt + 1), 1000 * 2 ** attempt).unref();
    return false;
  }

  private scheduleProgression(trackingCode: string): void {
    const plan = this.progression;
    if (!plan) return;
    setTimeout(
      () => void this.track(trackingCode, 'in_transit', 'Accepted at origin facility'),
      plan.inTransitAfterMs,
    ).unref();
    setTimeout(
      () => void this.track(trackingCode, 'delivered', 'Delivered, front door'),
      plan.deliveredAfterMs,
    ).unref();
  }

  router(): Router {
    const router = Router();
    router.get('/labels/:file', (req, res) => {
      const shipment = this.shipments.get(String(req.params.file).replace(/\.pdf$/, ''));
      if (!shipment?.postage_label) return epError(res, 404, 'NOT_FOUND', 'label not found');
      res
        .type('application/pdf')
        .send(
          labelPdf(`${shipment.selected_rate?.carrier} ${shipment.selected_rate?.service}`, [
            `Tracking ${shipment.tracking_code}`,
            `To ${shipment.to_address.name ?? ''}, ${shipment.to_address.city ?? ''} ${shipment.to_address.zip ?? ''}`,
            `Ref ${shipment.reference ?? ''}`,
          ]),
        );
    });
    router.use('/v2', (req, res, next) => {
      const header = req.headers.authorization ?? '';
      const user = header.startsWith('Basic ')
        ? Buffer.from(header.slice(6), 'base64').toString().split(':')[0]
        : undefined;
      if (!user || !this.apiKeys().includes(user))
        return epError(res, 401, 'APIKEY.INACTIVE', 'invalid API key');
      res.locals.account = user;
      next();
    });
    router.post('/v2/shipments', (req, res) => this.create(req, res));
    router.get('/v2/webhooks', (_req, res) => {
      const mine = [...this.webhooks.values()].filter((w) => w.account === res.locals.account);
      res.json({ webhooks: mine.map(({ secret: _secret, account: _account, ...w }) => w) });
    });
    router.post('/v2/webhooks', (req, res) => {
      const body = (req.body as { webhook?: { url?: string; webhook_secret?: string } } | undefined)?.webhook;
      if (!body?.url) return epError(res, 422, 'PARAMETER.REQUIRED', 'webhook.url is required');
      const webhook: Webhook & { account: Account } = {
        id: id('hook'),
        object: 'Webhook',
        mode: 'test',
        url: body.url,
        secret: body.webhook_secret,
        disabled_at: null,
        account: res.locals.account as Account,
      };
      this.webhooks.set(webhook.id, webhook);
      const { secret: _secret, account: _account, ...shown } = webhook;
      res.status(201).json(shown);
    });
    router.delete('/v2/webhooks/:id', (req, res) => {
      const webhook = this.webhooks.get(String(req.params.id));
      if (!webhook || webhook.account !== res.locals.account)
        return epError(res, 404, 'NOT_FOUND', 'webhook not found');
      this.webhooks.delete(webhook.id);
      res.json({});
    });
    router.get('/v2/shipments/:id', (req, res) => {
      const shipment = this.owned(req, res);
      if (shipment) res.json(shipment);
    });
    router.post('/v2/shipments/:id/buy', (req, res) => this.buy(req, res));
    router.post('/v2/shipments/:id/refund', (req, res) => {
      const shipment = this.owned(req, res);
      if (!shipment) return;
      if (!shipment.postage_label)
        return epError(res, 422, 'SHIPMENT.REFUND.UNAVAILABLE', 'shipment has no postage to refund');
      shipment.refund_status = 'submitted';
      res.json(shipment);
    });
    router.use((req, res) =>
      epError(res, 404, 'NOT_FOUND', `The requested resource could not be found: ${req.method} ${req.path}`),
    );
    return router;
  }

  /** The shipment of the path, if the request's account owns it; otherwise answers 404. */
  private owned(req: Request, res: Response): Shipment | undefined {
    const shipment = this.shipments.get(String(req.params.id));
    if (shipment && this.owners.get(shipment.id) === res.locals.account) return shipment;
    epError(res, 404, 'NOT_FOUND', 'The requested resource could not be found.');
    return undefined;
  }

  private create(req: Request, res: Response): void {
    const body = (req.body as { shipment?: Partial<Shipment> & { reference?: string } } | undefined)
      ?.shipment;
    if (!body) return epError(res, 422, 'PARAMETER.REQUIRED', 'shipment is required');
    for (const side of ['to_address', 'from_address'] as const) {
      const address = body[side];
      const missing = REQUIRED_ADDRESS_FIELDS.filter((field) => !address?.[field]);
      if (missing.length > 0)
        return epError(
          res,
          422,
          'ADDRESS.VERIFY.FAILURE',
          `${side} is missing ${missing.join(', ')}`,
          missing.map((field) => ({ field: `${side}.${field}`, message: 'cannot be blank' })),
        );
    }
    const weight = Number(body.parcel?.weight);
    if (!Number.isFinite(weight) || weight <= 0)
      return epError(res, 422, 'PARCEL.WEIGHT.INVALID', 'parcel.weight must be a positive number of ounces');
    const sides = (['length', 'width', 'height'] as const).filter(
      (side) => body.parcel?.[side] !== undefined,
    );
    if (sides.length > 0 && sides.length < 3)
      return epError(
        res,
        422,
        'PARCEL.DIMENSIONS.INVALID',
        'parcel needs length, width and height, or none of them',
      );
    if (sides.some((side) => !(Number(body.parcel![side]) > 0)))
      return epError(
        res,
        422,
        'PARCEL.DIMENSIONS.INVALID',
        'parcel length, width and height must be positive inches',
      );
    const size =
      sides.length === 3
        ? { length: body.parcel!.length!, width: body.parcel!.width!, height: body.parcel!.height! }
        : undefined;
    // Carriers bill the greater of the weight and the size's dimensional weight (139 in³ a pound).
    const billable = size ? Math.max(weight, ((size.length * size.width * size.height) / 139) * 16) : weight;

    const shipmentId = id('shp');
    const shipment: Shipment = {
      id: shipmentId,
      object: 'Shipment',
      mode: 'test',
      reference: body.reference ?? null,
      to_address: body.to_address!,
      from_address: body.from_address!,
      parcel: { weight, ...size },
      rates: this.services.map((s) => ({
        id: id('rate'),
        object: 'Rate',
        shipment_id: shipmentId,
        carrier: s.carrier,
        service: s.service,
        rate: (s.base + s.perOunce * billable).toFixed(2),
        currency: 'USD',
        delivery_days: s.days,
      })),
      selected_rate: null,
      postage_label: null,
      tracking_code: null,
      refund_status: null,
      is_return: Boolean((body as { is_return?: unknown }).is_return),
      status: 'unknown',
      tracker: null,
      created_at: new Date().toISOString(),
    };
    this.shipments.set(shipmentId, shipment);
    this.owners.set(shipmentId, res.locals.account as Account);
    res.status(201).json(shipment);
  }

  private buy(req: Request, res: Response): void {
    const shipment = this.owned(req, res);
    if (!shipment) return;
    if (shipment.postage_label)
      return epError(res, 422, 'SHIPMENT.POSTAGE.EXISTS', 'Postage already exists for this shipment.');
    const rateId = (req.body as { rate?: { id?: string } } | undefined)?.rate?.id;
    const rate = shipment.rates.find((r) => r.id === rateId);
    if (!rate)
      return epError(
        res,
        422,
        'SHIPMENT.RATE.INVALID',
        `rate ${String(rateId)} does not belong to this shipment`,
      );
    const labelUrl = `${req.protocol}://${req.get('host')}${req.baseUrl}/labels/${shipment.id}.pdf`;
    shipment.selected_rate = rate;
    shipment.tracking_code = `9400${String(randomInt(10 ** 9)).padStart(9, '0')}${String(randomInt(10 ** 9)).padStart(9, '0')}`;
    shipment.postage_label = {
      object: 'PostageLabel',
      label_url: labelUrl,
      label_pdf_url: labelUrl,
      label_file_type: 'application/pdf',
    };
    shipment.status = 'pre_transit';
    const now = new Date().toISOString();
    shipment.tracker = {
      object: 'Tracker',
      id: id('trk'),
      mode: 'test',
      tracking_code: shipment.tracking_code,
      shipment_id: shipment.id,
      carrier: rate.carrier,
      status: 'pre_transit',
      updated_at: now,
      tracking_details: [
        { object: 'TrackingDetail', status: 'pre_transit', message: 'Label created', datetime: now },
      ],
    };
    res.json(shipment);
    this.scheduleProgression(shipment.tracking_code);
  }
}
