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

export function asTrackingStatus(value: unknown): TrackingStatus {
  return (TRACKING_STATUSES as readonly unknown[]).includes(value) ? (value as TrackingStatus) : 'unknown';
}
