import { fromMinorUnits } from '../../shared/money';
import type { CanonicalOrderInput } from '../order';
import { serviceLevelFrom } from './service-level';

/** Square Orders API v2 fields Crossdock reads. Money is in the currency's minor units. */
export interface SquareMoney {
  amount: number;
  currency: string;
}

export interface SquareOrder {
  id: string;
  location_id: string;
  state: 'OPEN' | 'COMPLETED' | 'CANCELED' | 'DRAFT';
  created_at?: string;
  line_items?: Array<{
    uid: string;
    name?: string;
    quantity: string;
    catalog_object_id?: string;
    base_price_money: SquareMoney;
    total_tax_money?: SquareMoney;
  }>;
  fulfillments?: Array<{
    type: 'SHIPMENT' | 'PICKUP' | 'DELIVERY' | 'DIGITAL';
    shipment_details?: {
      shipping_type?: string;
      recipient?: {
        display_name?: string;
        email_address?: string;
        phone_number?: string;
        address?: {
          address_line_1?: string;
          address_line_2?: string;
          locality?: string;
          administrative_district_level_1?: string;
          postal_code?: string;
          country?: string;
        };
      };
    };
  }>;
  service_charges?: Array<{ name?: string; amount_money?: SquareMoney; total_tax_money?: SquareMoney }>;
  total_money?: SquareMoney;
  net_amount_due_money?: SquareMoney;
}

/**
 * Maps a Square order onto the canonical order. Square lines name catalog variations, not SKUs;
 * the connector resolves them (`skuByCatalogId`) from the Catalog API first.
 */
export function canonicalFromSquare(
  order: SquareOrder,
  skuByCatalogId: Record<string, string>,
): CanonicalOrderInput {
  const shipment = order.fulfillments?.find((f) => f.type === 'SHIPMENT')?.shipment_details;
  const recipient = shipment?.recipient;
  const address = recipient?.address;
  const shippingCharge = order.service_charges?.find((c) => /ship/i.test(c.name ?? ''));
  return {
    channel: 'pos',
    externalId: order.id,
    currency: order.total_money?.currency ?? order.line_items?.[0]?.base_price_money.currency ?? '',
    placedAt: order.created_at,
    customer: { email: recipient?.email_address, name: recipient?.display_name },
    shippingAddress: address
      ? {
          name: recipient?.display_name as string,
          line1: address.address_line_1 as string,
          line2: address.address_line_2,
          city: address.locality as string,
          region: address.administrative_district_level_1,
          postalCode: address.postal_code as string,
          country: address.country as string,
          phone: recipient?.phone_number,
        }
      : (undefined as never),
    shippingService: serviceLevelFrom(shipment?.shipping_type),
    shippingPrice: fromMinorUnits(shippingCharge?.amount_money?.amount ?? 0),
    shippingTax: fromMinorUnits(shippingCharge?.total_tax_money?.amount ?? 0),
    // Paid only when Square says nothing is due; an order whose due amount Square did not state is unpaid.
    paymentStatus:
      (order.net_amount_due_money?.amount ?? order.total_money?.amount ?? 1) > 0 ? 'pending' : 'paid',
    lines: (order.line_items ?? []).map((line) => ({
      sku: skuByCatalogId[line.catalog_object_id ?? ''] as string,
      quantity: Number(line.quantity),
      unitPrice: fromMinorUnits(line.base_price_money.amount),
      tax: fromMinorUnits(line.total_tax_money?.amount ?? 0),
      title: line.name,
      channelLineId: line.uid,
    })),
  };
}
