import type { Address } from '../../domain/orders/order';
import type { CarrierRate } from '../../domain/orders/rates';
import type { TrackingUpdate } from '../../domain/orders/tracking';

export interface CreateShipmentRequest {
  /** Our shipment key, stored by the carrier so a shipment can be traced back. */
  reference: string;
  from: Address;
  to: Address;
  weightGrams: number;
  /** The box, when every item in it has dimensions (else the carrier goes by weight). */
  dimensions?: { lengthMm: number; widthMm: number; heightMm: number };
  /** A return label: the customer sends the parcel back to `to`. */
  isReturn?: boolean;
}

export interface CarrierShipment {
  id: string;
  reference?: string;
  rates: CarrierRate[];
  selectedRate?: CarrierRate;
  labelUrl?: string;
  trackingCode?: string;
}

/** What every carrier connector offers, whatever API it speaks. */
export interface CarrierConnector {
  readonly connectorId: string;
  createShipment(request: CreateShipmentRequest): Promise<CarrierShipment>;
  getShipment(id: string): Promise<CarrierShipment>;
  /**
   * Buys the rate. Buying a shipment that already has postage (a retry after a lost answer) must
   * read it back, not fail and not buy again: the label step buys a known rate without asking first.
   */
  buy(id: string, rateId: string): Promise<CarrierShipment>;
  refund(id: string): Promise<string>;
  fetchLabel(url: string): Promise<Buffer>;
  verifyWebhook(rawBody: Buffer, signature: string | undefined): boolean;
  ensureWebhook(url: string): Promise<string>;
  parseTrackingEvent(body: unknown): TrackingUpdate | undefined;
  /** The parcel's tracking as the carrier has it now (for scans whose webhook never arrived). */
  currentTracking(carrierShipmentId: string): Promise<TrackingUpdate | undefined>;
}
