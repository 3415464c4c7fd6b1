import type { TenantId } from '../shared/tenant';
import { EXTERNAL_ID_PATTERN, ORDER_CHANNELS, type OrderChannel } from './order';

/** The id the API hands out: unique within a tenant, never naming the tenant. */
export function publicOrderId(channel: OrderChannel, externalId: string): string {
  return `${channel}:${externalId}`;
}

export function parsePublicOrderId(id: string): { channel: OrderChannel; externalId: string } | undefined {
  const separator = id.indexOf(':');
  if (separator < 0) return undefined;
  const channel = id.slice(0, separator);
  const externalId = id.slice(separator + 1);
  if (!(ORDER_CHANNELS as readonly string[]).includes(channel)) return undefined;
  if (!EXTERNAL_ID_PATTERN.test(externalId)) return undefined;
  return { channel: channel as OrderChannel, externalId };
}

/** A shipment key names one parcel of one order; the carrier never sells two labels for it. */
export function shipmentKey(
  tenantId: TenantId,
  channel: OrderChannel,
  externalId: string,
  parcel = 1,
): string {
  return `${tenantId}:${channel}:${externalId}:${parcel}`;
}

/** Object key of a shipment's label in storage; tenant first so access can be scoped by prefix. */
export function labelObjectKey(tenantId: TenantId, shipment: string): string {
  return `tenants/${tenantId}/labels/${shipment.replace(/:/g, '_')}.pdf`;
}
