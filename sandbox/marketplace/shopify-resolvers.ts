import { connection, gid, numericId } from './shopify-graphql';
import type { ShopifyEmulator } from './shopify';

type Json = Record<string, unknown>;
type Page = { first?: number | null; after?: string | null };

const money = (amount: unknown, currencyCode: string) => ({
  shopMoney: { amount: Number(amount ?? 0).toFixed(2), currencyCode },
});
const taxLines = (item: Json, currency: string) =>
  ((item.tax_lines as Json[] | undefined) ?? []).map((t) => ({ priceSet: money(t.price, currency) }));
const userError = (field: string[], message: string, code?: string) => ({
  field,
  message,
  ...(code ? { code } : {}),
});

/** A REST-style refusal of the emulator as GraphQL userErrors. */
function userErrorsOf(errors: unknown, field: string[]): Array<ReturnType<typeof userError>> {
  if (typeof errors === 'string') return [userError(field, errors)];
  return Object.entries(errors as Record<string, string[]>).flatMap(([key, messages]) =>
    messages.map((message) => userError([...field, key], message)),
  );
}

/**
 * The root resolvers of the sandbox store's GraphQL Admin API, over the same orders, fulfillment
 * orders, refunds, catalogue and stock its control surface and webhooks use.
 */
export function shopifyRootValue(store: ShopifyEmulator): Record<string, unknown> {
  const { inventory } = store;
  const orderNode = (order: Json) => {
    const id = Number(order.id);
    const currency = String(order.currency);
    const lineNode = (line: Json) => ({
      __typename: 'LineItem',
      id: gid('LineItem', Number(line.id)),
      sku: line.sku ?? null,
      title: String(line.title ?? line.name ?? line.sku ?? 'Item'),
      name: String(line.name ?? line.title ?? line.sku ?? 'Item'),
      quantity: Number(line.quantity),
      requiresShipping: line.requires_shipping !== false,
      originalUnitPriceSet: money(line.price, currency),
      taxLines: taxLines(line, currency),
    });
    const lines = (order.line_items as Json[]).map(lineNode);
    const customer = order.customer as Json | null | undefined;
    const address = order.shipping_address as Json | null | undefined;
    return {
      __typename: 'Order',
      id: gid('Order', id),
      legacyResourceId: String(id),
      name: order.name,
      email: order.email ?? null,
      currencyCode: currency,
      createdAt: order.created_at,
      updatedAt: order.updated_at,
      cancelledAt: order.cancelled_at ?? null,
      displayFinancialStatus: String(order.financial_status ?? 'paid').toUpperCase(),
      customer: customer
        ? { firstName: customer.first_name, lastName: customer.last_name, email: customer.email }
        : null,
      shippingAddress: address
        ? {
            name: address.name ?? null,
            firstName: address.first_name ?? null,
            lastName: address.last_name ?? null,
            address1: address.address1 ?? null,
            address2: address.address2 ?? null,
            city: address.city ?? null,
            provinceCode: address.province_code ?? null,
            zip: address.zip ?? null,
            countryCodeV2: address.country_code ?? null,
            phone: address.phone ?? null,
            latitude: address.latitude ?? null,
            longitude: address.longitude ?? null,
          }
        : null,
      lineItems: (args: Page) => connection(lines, args),
      shippingLines: (args: Page) =>
        connection(
          ((order.shipping_lines as Json[] | undefined) ?? []).map((s) => ({
            title: s.title ?? 'Shipping',
            code: s.code ?? null,
            originalPriceSet: money(s.price, currency),
            taxLines: taxLines(s, currency),
          })),
          args,
        ),
      fulfillmentOrders: (args: Page) =>
        connection(
          (store.fulfillmentOrders.get(id) ?? []).map((fo) => ({
            __typename: 'FulfillmentOrder',
            id: gid('FulfillmentOrder', fo.id),
            status: fo.status.toUpperCase(),
            lineItems: (page: Page) =>
              connection(
                fo.line_items.map((li) => ({
                  id: gid('FulfillmentOrderLineItem', li.id),
                  remainingQuantity: li.fulfillable_quantity,
                  totalQuantity: li.quantity,
                  lineItem: lines.find((l) => l.id === gid('LineItem', li.line_item_id)),
                })),
                page,
              ),
          })),
          args,
        ),
      fulfillments: () =>
        (store.fulfillments.get(id) ?? []).map((f) => ({
          __typename: 'Fulfillment',
          id: gid('Fulfillment', f.id),
          status: String(f.status ?? 'success').toUpperCase(),
          trackingInfo: f.tracking_numbers.map((number) => ({
            number,
            company: f.tracking_company ?? null,
            url: f.tracking_url ?? null,
          })),
        })),
      refunds: () =>
        (store.refunds.get(id) ?? []).map((r) => ({
          __typename: 'Refund',
          id: gid('Refund', r.id),
          note: r.note,
          createdAt: r.created_at,
          totalRefundedSet: money(
            r.transactions.reduce((sum, t) => sum + Number(t.amount), 0),
            currency,
          ),
        })),
      transactions: () =>
        store.transactionsOf(order as never).map((t) => ({
          __typename: 'OrderTransaction',
          id: gid('OrderTransaction', Number(t.id)),
          kind: String(t.kind).toUpperCase(),
          status: String(t.status).toUpperCase(),
          gateway: t.gateway ?? null,
          amountSet: money(t.amount, currency),
        })),
      totalPriceSet: money(order.total_price, currency),
    };
  };

  const locationNode = (location: { id: number; name: string; active: boolean }) => ({
    __typename: 'Location',
    id: gid('Location', location.id),
    legacyResourceId: String(location.id),
    name: location.name,
    isActive: location.active,
  });
  const itemNode = (variant: {
    inventory_item_id: number;
    sku: string | null;
    inventory_management: string | null;
    grams?: number;
  }) => ({
    __typename: 'InventoryItem',
    id: gid('InventoryItem', variant.inventory_item_id),
    legacyResourceId: String(variant.inventory_item_id),
    sku: variant.sku,
    tracked: variant.inventory_management === 'shopify',
    measurement: { weight: variant.grams === undefined ? null : { value: variant.grams, unit: 'GRAMS' } },
    inventoryLevel: ({ locationId }: { locationId: string }) => {
      const location = inventory.locations.get(numericId(locationId, 'Location') ?? -1);
      return location && inventory.levels.has(`${variant.inventory_item_id} ${location.id}`)
        ? levelNode(variant.inventory_item_id, location)
        : null;
    },
    inventoryLevels: (args: Page) =>
      connection(
        [...inventory.locations.values()]
          .filter((l) => inventory.levels.has(`${variant.inventory_item_id} ${l.id}`))
          .map((l) => levelNode(variant.inventory_item_id, l)),
        args,
      ),
  });
  const levelNode = (item: number, l: { id: number; name: string; active: boolean }) => ({
    id: gid('InventoryLevel', `${item}?inventory_item_id=${l.id}`),
    location: locationNode(l),
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => ({
        name,
        quantity: name === 'available' ? inventory.levels.get(`${item} ${l.id}`)! : 0,
      })),
  });
  const variants = () =>
    [...inventory.products.values()]
      .sort((a, b) => a.id - b.id)
      .flatMap((product) => product.variants.map((variant) => ({ product, variant })));
  const variantNode = ({ product, variant }: ReturnType<typeof variants>[number]) => ({
    __typename: 'ProductVariant',
    id: gid('ProductVariant', variant.id),
    legacyResourceId: String(variant.id),
    sku: variant.sku,
    title: variant.title ?? 'Default Title',
    displayName: `${product.title} - ${variant.title ?? 'Default Title'}`,
    product: productNode(product),
    inventoryItem: itemNode(variant),
  });
  const productNode = (product: ReturnType<typeof variants>[number]['product']): Json => ({
    __typename: 'Product',
    id: gid('Product', product.id),
    legacyResourceId: String(product.id),
    title: product.title,
    variantsCount: { count: product.variants.length },
    variants: (args: Page) =>
      connection(
        product.variants.map((variant) => variantNode({ product, variant })),
        args,
      ),
  });

  return {
    order: ({ id }: { id: string }) => {
      const order = store.orders.get(numericId(id, 'Order') ?? -1);
      return order ? orderNode(order) : null;
    },
    /** `query` filters as Shopify's search syntax does for `updated_at:>=<time>` (and `>`). */
    orders: (args: Page & { query?: string | null; sortKey?: string | null; reverse?: boolean | null }) => {
      const filter = /updated_at:(>=?)'?([^'\s]+)'?/.exec(args.query ?? '');
      const since = filter ? Date.parse(filter[2]!) : undefined;
      const list = [...store.orders.values()]
        .filter(
          (o) =>
            since === undefined ||
            (filter![1] === '>=' ? Date.parse(o.updated_at) >= since : Date.parse(o.updated_at) > since),
        )
        .sort((a, b) =>
          args.sortKey === 'UPDATED_AT'
            ? Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.id - b.id
            : a.id - b.id,
        );
      return connection((args.reverse ? list.reverse() : list).map(orderNode), args);
    },
    products: (args: Page) =>
      connection([...inventory.products.values()].sort((a, b) => a.id - b.id).map(productNode), args),
    productVariants: (args: Page) => connection(variants().map(variantNode), args),
    locations: (args: Page & { includeInactive?: boolean | null }) =>
      connection(
        [...inventory.locations.values()].filter((l) => l.active || args.includeInactive).map(locationNode),
        args,
      ),
    currentBulkOperation: () => store.bulk?.current() ?? null,
    bulkOperationRunQuery: ({ query }: { query: string }) => store.runBulkQuery(query),
    nodes: ({ ids }: { ids: string[] }) => {
      if (ids.length > 250) throw new Error('The ids argument accepts at most 250 ids');
      return ids.map((id) => {
        const item = numericId(id, 'InventoryItem');
        if (item !== undefined) {
          const found = variants().find((v) => v.variant.inventory_item_id === item);
          return found ? itemNode(found.variant) : null;
        }
        if (numericId(id, 'BulkOperation') !== undefined) {
          const operation = store.bulk?.find(id) ?? null;
          return operation && { __typename: 'BulkOperation', ...operation };
        }
        const order = store.orders.get(numericId(id, 'Order') ?? -1);
        return order ? orderNode(order) : null;
      });
    },

    fulfillmentCreate: ({
      fulfillment,
    }: {
      fulfillment: {
        lineItemsByFulfillmentOrder: Array<{
          fulfillmentOrderId: string;
          fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }>;
        }>;
        trackingInfo?: { number?: string; company?: string; url?: string };
      };
    }) => {
      const outcome = store.createFulfillment({
        line_items_by_fulfillment_order: fulfillment.lineItemsByFulfillmentOrder.map((group) => ({
          fulfillment_order_id: numericId(group.fulfillmentOrderId, 'FulfillmentOrder') ?? -1,
          ...(group.fulfillmentOrderLineItems
            ? {
                fulfillment_order_line_items: group.fulfillmentOrderLineItems.map((li) => ({
                  id: numericId(li.id, 'FulfillmentOrderLineItem') ?? -1,
                  quantity: li.quantity,
                })),
              }
            : {}),
        })),
        tracking_info: fulfillment.trackingInfo ?? {},
      });
      if ('errors' in outcome)
        return { fulfillment: null, userErrors: userErrorsOf(outcome.errors, ['fulfillment']) };
      const f = outcome.fulfillment;
      return {
        fulfillment: {
          id: gid('Fulfillment', f.id),
          status: 'SUCCESS',
          trackingInfo: f.tracking_numbers.map((number) => ({
            number,
            company: f.tracking_company ?? null,
            url: f.tracking_url ?? null,
          })),
        },
        userErrors: [],
      };
    },
    orderCancel: (args: { orderId: string; reason: string; refund: boolean }) => {
      const outcome = store.cancelOrder(numericId(args.orderId, 'Order') ?? -1, {
        reason: args.reason,
        refund: args.refund,
      });
      if ('errors' in outcome) {
        const errors = userErrorsOf(outcome.errors, ['orderId']);
        return { job: null, orderCancelUserErrors: errors, userErrors: errors };
      }
      return { job: { id: gid('Job', Date.now()), done: true }, orderCancelUserErrors: [], userErrors: [] };
    },
    refundCreate: ({
      input,
    }: {
      input: {
        orderId: string;
        note?: string;
        shipping?: { amount?: string };
        refundLineItems?: Array<{ lineItemId: string; quantity: number }>;
        transactions?: Array<{ amount: string; parentId?: string; kind: string; gateway: string }>;
      };
    }) => {
      const orderId = numericId(input.orderId, 'Order') ?? -1;
      const outcome = store.createRefund(orderId, {
        note: input.note,
        refund_line_items: (input.refundLineItems ?? []).map((l) => ({
          line_item_id: numericId(l.lineItemId, 'LineItem') ?? -1,
          quantity: l.quantity,
        })),
        transactions: (input.transactions ?? []).map((t) => ({
          amount: t.amount,
          parent_id: numericId(t.parentId, 'OrderTransaction'),
        })),
      });
      if ('errors' in outcome)
        return { refund: null, order: null, userErrors: userErrorsOf(outcome.errors, ['input']) };
      const order = store.orders.get(orderId)!;
      return {
        refund: {
          id: gid('Refund', outcome.refund.id),
          note: outcome.refund.note,
          createdAt: outcome.refund.created_at,
          totalRefundedSet: money(
            outcome.refund.transactions.reduce((s, t) => s + Number(t.amount), 0),
            order.currency,
          ),
        },
        order: orderNode(order),
        userErrors: [],
      };
    },
    inventorySetQuantities: ({ input }: { input: Parameters<typeof inventory.setQuantities>[0] }) =>
      inventory.setQuantities(input),
    inventoryActivate: (args: Parameters<typeof inventory.activate>[0]) => inventory.activate(args),
  };
}
