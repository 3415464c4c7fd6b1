import { fromMinorUnits, toMinorUnits } from '../../shared/money';
import type { CanonicalOrderInput } from '../order';
import { serviceLevelFrom } from './service-level';

/** The Shopify Admin REST order fields Crossdock reads (webhook payloads and order.list share them). */
export interface ShopifyOrder {
  id: number;
  name?: string;
  email?: string | null;
  currency: string;
  created_at?: string;
  updated_at?: string;
  cancelled_at?: string | null;
  financial_status?: string | null;
  customer?: { first_name?: string | null; last_name?: string | null; email?: string | null } | null;
  shipping_address?: ShopifyAddress | null;
  shipping_lines?: Array<{
    title?: string;
    code?: string | null;
    price: string;
    tax_lines?: ShopifyTaxLine[];
  }>;
  line_items: ShopifyLineItem[];
}

export interface ShopifyAddress {
  name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  province_code?: string | null;
  zip?: string | null;
  country_code?: string | null;
  phone?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

export interface ShopifyLineItem {
  id: number;
  sku?: string | null;
  name?: string;
  title?: string;
  quantity: number;
  price: string;
  requires_shipping?: boolean;
  tax_lines?: ShopifyTaxLine[];
}

interface ShopifyTaxLine {
  price: string;
}

const UNPAID_FINANCIAL_STATUSES = ['pending', 'partially_paid'];

function sumMoney(amounts: string[]): string {
  return fromMinorUnits(amounts.reduce((sum, amount) => sum + toMinorUnits(amount), 0));
}

/** Values Shopify sends as null become absent, so validation names what is missing. */
function present<T>(value: T | null | undefined): T | undefined {
  return value === null || value === '' ? undefined : value;
}

/**
 * Maps a Shopify order onto the canonical order. Nothing is checked here: the result is a
 * candidate, and the order workflow's validation names whatever is wrong with it.
 */
export function canonicalFromShopify(order: ShopifyOrder): CanonicalOrderInput {
  const address = order.shipping_address;
  const shipping = order.shipping_lines ?? [];
  const name =
    present(address?.name) ??
    ([address?.first_name, address?.last_name].filter(Boolean).join(' ') || undefined);
  return {
    channel: 'shopify',
    externalId: String(order.id),
    currency: order.currency,
    placedAt: present(order.created_at),
    customer: {
      email: present(order.email) ?? present(order.customer?.email),
      name: [order.customer?.first_name, order.customer?.last_name].filter(Boolean).join(' ') || undefined,
    },
    shippingAddress: address
      ? {
          name: name as string,
          line1: present(address.address1) as string,
          line2: present(address.address2),
          city: present(address.city) as string,
          region: present(address.province_code),
          postalCode: present(address.zip) as string,
          country: present(address.country_code) as string,
          phone: present(address.phone),
          latitude: present(address.latitude),
          longitude: present(address.longitude),
        }
      : (undefined as never),
    shippingService: serviceLevelFrom(shipping[0]?.code ?? shipping[0]?.title),
    shippingPrice: sumMoney(shipping.map((line) => line.price)),
    shippingTax: sumMoney(shipping.flatMap((line) => (line.tax_lines ?? []).map((tax) => tax.price))),
    paymentStatus: UNPAID_FINANCIAL_STATUSES.includes(order.financial_status ?? '') ? 'pending' : 'paid',
    lines: order.line_items
      .filter((line) => line.requires_shipping !== false)
      .map((line) => ({
        sku: present(line.sku) as string,
        quantity: line.quantity,
        unitPrice: line.price,
        tax: sumMoney((line.tax_lines ?? []).map((tax) => tax.price)),
        title: line.name ?? line.title,
        channelLineId: String(line.id),
      })),
  };
}

export function isShopifyOrderCancelled(order: Pick<ShopifyOrder, 'cancelled_at'>): boolean {
  return Boolean(order.cancelled_at);
}
