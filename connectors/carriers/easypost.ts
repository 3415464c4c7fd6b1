import axios from 'axios';
import type { Address } from '../../domain/orders/order';
import type { CarrierRate } from '../../domain/orders/rates';
import { asTrackingStatus, type TrackingUpdate } from '../../domain/orders/tracking';
import { hmacSha256, signaturesMatch } from '../http/signatures';
import { PartnerHttpClient } from '../http/client';
import { classifyHttpError, partnerRefusal } from '../http/errors';
import type { CarrierConnector, CarrierShipment, CreateShipmentRequest } from './carrier';

/** EasyPost REST API v2 wire shapes (the subset Crossdock uses). */
interface EpAddress {
  name?: string;
  street1: string;
  street2?: string;
  city: string;
  state?: string;
  zip: string;
  country: string;
  phone?: string;
}
interface EpRate {
  id: string;
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days: number | null;
}
interface EpShipment {
  id: string;
  reference?: string | null;
  rates: EpRate[];
  selected_rate: EpRate | null;
  postage_label: { label_url: string; label_pdf_url?: string | null; label_file_type?: string } | null;
  tracking_code: string | null;
  refund_status?: string | null;
}

/** EasyPost's parcels are in inches, to a tenth. */
const inches = (mm: number) => Math.max(0.1, Math.round((mm / 25.4) * 10) / 10);

const GRAMS_PER_OUNCE = 28.349523125;

function toEpAddress(address: Address): EpAddress {
  return {
    name: address.name,
    street1: address.line1,
    street2: address.line2,
    city: address.city,
    state: address.region,
    zip: address.postalCode,
    country: address.country,
    phone: address.phone,
  };
}

function fromEpRate(rate: EpRate): CarrierRate {
  return {
    id: rate.id,
    carrier: rate.carrier,
    service: rate.service,
    amount: rate.rate,
    currency: rate.currency,
    deliveryDays: rate.delivery_days,
  };
}

function fromEpShipment(shipment: EpShipment): CarrierShipment {
  return {
    id: shipment.id,
    reference: shipment.reference ?? undefined,
    rates: shipment.rates.map(fromEpRate),
    selectedRate: shipment.selected_rate ? fromEpRate(shipment.selected_rate) : undefined,
    labelUrl: shipment.postage_label?.label_pdf_url ?? shipment.postage_label?.label_url ?? undefined,
    trackingCode: shipment.tracking_code ?? undefined,
  };
}

/** A carrier reached through an EasyPost-compatible API (HTTP Basic, API key as user name). */
export class EasyPostCarrier implements CarrierConnector {
  private readonly client: PartnerHttpClient;

  constructor(
    readonly connectorId: string,
    baseUrl: string,
    apiKey: string,
    private readonly timeoutMs: number,
    private readonly webhookSecret?: string,
  ) {
    this.client = new PartnerHttpClient({
      partner: `carrier ${connectorId}`,
      baseUrl,
      timeoutMs,
      auth: { username: apiKey, password: '' },
    });
  }

  async createShipment(request: CreateShipmentRequest): Promise<CarrierShipment> {
    const body = {
      shipment: {
        reference: request.reference,
        to_address: toEpAddress(request.to),
        from_address: toEpAddress(request.from),
        parcel: {
          weight: Math.max(0.1, Math.round((request.weightGrams / GRAMS_PER_OUNCE) * 10) / 10),
          ...(request.dimensions
            ? {
                length: inches(request.dimensions.lengthMm),
                width: inches(request.dimensions.widthMm),
                height: inches(request.dimensions.heightMm),
              }
            : {}),
        },
        options: { label_format: 'PDF' },
        ...(request.isReturn ? { is_return: true } : {}),
      },
    };
    return fromEpShipment(await this.client.post<EpShipment>('shipments', body));
  }

  async getShipment(id: string): Promise<CarrierShipment> {
    return fromEpShipment(await this.client.get<EpShipment>(`shipments/${encodeURIComponent(id)}`));
  }

  /**
   * Buys the rate. A shipment that already has postage (a retry after a lost response) is read
   * back instead of failing, so one shipment never yields two labels.
   */
  async buy(id: string, rateId: string): Promise<CarrierShipment> {
    try {
      return fromEpShipment(
        await this.client.post<EpShipment>(`shipments/${encodeURIComponent(id)}/buy`, {
          rate: { id: rateId },
        }),
      );
    } catch (error) {
      if (isPostageExists(error)) {
        return this.getShipment(id);
      }
      throw error;
    }
  }

  async refund(id: string): Promise<string> {
    const shipment = await this.client.post<EpShipment>(`shipments/${encodeURIComponent(id)}/refund`);
    return shipment.refund_status ?? 'submitted';
  }

  /** EasyPost signs webhooks as `X-Hmac-Signature: hmac-sha256-hex=<hex>` over the raw body. */
  verifyWebhook(rawBody: Buffer, signature: string | undefined): boolean {
    if (!this.webhookSecret) return false;
    const expected = `hmac-sha256-hex=${hmacSha256(this.webhookSecret.normalize('NFKD'), rawBody, 'hex')}`;
    return signaturesMatch(expected, signature);
  }

  /** Registers our tracking webhook with the carrier unless a webhook for that URL exists. */
  async ensureWebhook(url: string): Promise<string> {
    const { webhooks } = await this.client.get<{ webhooks: Array<{ id: string; url: string }> }>('webhooks');
    const existing = webhooks.find((webhook) => webhook.url === url);
    if (existing) return existing.id;
    const created = await this.client.post<{ id: string }>('webhooks', {
      webhook: { url, webhook_secret: this.webhookSecret },
    });
    return created.id;
  }

  /** A `tracker.updated` / `tracker.created` event as a tracking update; other events are ignored. */
  parseTrackingEvent(body: unknown): TrackingUpdate | undefined {
    const event = body as { object?: string; description?: string; result?: EpTracker };
    if (event?.object !== 'Event' || !event.description?.startsWith('tracker.')) return undefined;
    return trackingOf(event.result);
  }

  async currentTracking(carrierShipmentId: string): Promise<TrackingUpdate | undefined> {
    const shipment = await this.client.get<{ tracker?: EpTracker | null }>(
      `shipments/${encodeURIComponent(carrierShipmentId)}`,
    );
    return trackingOf(shipment.tracker ?? undefined);
  }

  /** Label documents live on the carrier's file host: fetched without our credentials. */
  async fetchLabel(url: string): Promise<Buffer> {
    try {
      const response = await axios.get<ArrayBuffer>(url, {
        responseType: 'arraybuffer',
        timeout: this.timeoutMs,
      });
      return Buffer.from(response.data);
    } catch (error) {
      throw classifyHttpError(`carrier ${this.connectorId} label`, error);
    }
  }
}

function isPostageExists(error: unknown): boolean {
  const body = partnerRefusal(error)?.body as { error?: { code?: string } } | undefined;
  return body?.error?.code === 'SHIPMENT.POSTAGE.EXISTS';
}

interface EpTracker {
  object?: string;
  tracking_code?: string;
  shipment_id?: string;
  status?: string;
  updated_at?: string;
  tracking_details?: Array<{ message?: string; datetime?: string; status?: string }>;
}

/** An EasyPost Tracker (in a webhook's event, or on its shipment) as the hub's tracking update. */
function trackingOf(tracker: EpTracker | undefined): TrackingUpdate | undefined {
  if (tracker?.object !== 'Tracker' || !tracker.tracking_code) return undefined;
  const last = tracker.tracking_details?.at(-1);
  return {
    trackingCode: tracker.tracking_code,
    ...(tracker.shipment_id ? { carrierShipmentId: tracker.shipment_id } : {}),
    status: asTrackingStatus(tracker.status),
    at: last?.datetime ?? tracker.updated_at ?? new Date().toISOString(),
    detail: last?.message,
  };
}
