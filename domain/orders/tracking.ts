/** Carrier tracking states, as EasyPost trackers report them. */
export const TRACKING_STATUSES = [
  'unknown',
  'pre_transit',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'available_for_pickup',
  'return_to_sender',
  'failure',
  'cancelled',
  'error',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** The parcel is in the carrier's hands: the goods have left the building. */
export function isPickedUp(status: TrackingStatus): boolean {
  return ['in_transit', 'out_for_delivery', 'delivered', 'available_for_pickup'].includes(status);
}

/** The carrier reports trouble that ops must look at. */
export function isTrackingException(status: TrackingStatus): boolean {
  return ['return_to_sender', 'failure', 'error'].includes(status);
}

export interface TrackingUpdate {
  trackingCode: string;
  /** The carrier's shipment id, when the event names it: it is known before the tracking code is. */
  carrierShipmentId?: string;
  status: TrackingStatus;
  at: string;
  detail?: string;
}

/** A parcel as tracked: its code, and the carrier's last word on it. */
interface TrackedParcel {
  trackingCode: string;
  tracking?: { status: TrackingStatus; at: string; detail?: string };
}

/**
 * The latest carrier update of each tracking code. Carriers deliver updates out of order, and one
 * can arrive before the label it belongs to is known, so it is kept until its parcel can take it.
 */
export class LatestTracking {
  private readonly byCode = new Map<string, TrackingUpdate>();

  /** Keeps the update; false when a later one for its code is already kept (older news). */
  keep(update: TrackingUpdate): boolean {
    const known = this.byCode.get(update.trackingCode);
    if (known && Date.parse(known.at) > Date.parse(update.at)) return false;
    this.byCode.set(update.trackingCode, update);
    return true;
  }

  /** Sets the parcel's tracking from the latest update of its code; the update, if it was news to it. */
  applyTo(parcel: TrackedParcel): TrackingUpdate | undefined {
    const update = this.byCode.get(parcel.trackingCode);
    if (!update) return undefined;
    if (parcel.tracking && Date.parse(parcel.tracking.at) > Date.parse(update.at)) return undefined;
    parcel.tracking = {
      status: update.status,
      at: update.at,
      ...(update.detail ? { detail: update.detail } : {}),
    };
    return update;
  }
}

export function asTrackingStatus(value: unknown): TrackingStatus {
  return (TRACKING_STATUSES as readonly unknown[]).includes(value) ? (value as TrackingStatus) : 'unknown';
}
