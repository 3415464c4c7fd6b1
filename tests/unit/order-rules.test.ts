import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invoiceFromOrder } from '../../domain/accounting/invoice';
import { crossedBelowThreshold, reorderSuggestion } from '../../domain/events';
import { canonicalFromShopify, type ShopifyOrder } from '../../domain/orders/channels/shopify';
import { serviceLevelFrom } from '../../domain/orders/channels/service-level';
import { canonicalFromSquare } from '../../domain/orders/channels/square';
import { canonicalOrderSchema } from '../../domain/orders/order';
import { chooseShipmentRate } from '../../domain/orders/rates';
import { routeOrder } from '../../domain/orders/routing';
import { validateIncomingOrder } from '../../domain/orders/validation';
import { restOrder } from '../support/fixtures';

// A Shopify Admin API order payload (MIT-licensed fixture, see tests/fixtures/shopify/LICENSE-MIT.txt).
const FIXTURES = join(__dirname, '..', 'fixtures', 'shopify');
const rules = { currency: 'USD', shipsTo: [] };

describe('routing', () => {
  const locations = [
    { id: 'newark', latitude: 40.7357, longitude: -74.1724 },
    { id: 'reno', latitude: 39.5296, longitude: -119.8138 },
    { id: 'austin', latitude: 30.2672, longitude: -97.7431 },
  ];
  const portland = { latitude: 45.52, longitude: -122.68 };
  const levels = (stock: Record<string, number>) =>
    Object.entries(stock).map(([locationId, available]) => ({ sku: 'A', locationId, available }));
  /** Routes an order of `quantity` units of A to Portland, shipped complete where it can be. */
  const routeToPortland = (quantity: number, stock: Record<string, number>) =>
    routeOrder([{ sku: 'A', quantity }], levels(stock), locations, portland, 'ship-complete');

  it('ships from the nearest location that has everything', () => {
    const decision = routeToPortland(2, { newark: 5, reno: 5, austin: 5 });
    expect(decision.allocations).toEqual([{ sku: 'A', locationId: 'reno', quantity: 2 }]);
    expect(decision.reason).toMatch(/^reno is the nearest location that ships every line \(\d+ km\)$/);
  });

  it('prefers one parcel from farther away over a split from nearby', () => {
    const decision = routeToPortland(4, { reno: 2, austin: 1, newark: 4 });
    expect(decision).toMatchObject({
      outcome: 'single_location',
      allocations: [{ sku: 'A', locationId: 'newark', quantity: 4 }],
    });
  });

  it('splits nearest first when no location has everything, and names the shortage when all do not', () => {
    const split = routeToPortland(4, { reno: 2, austin: 1, newark: 2 });
    expect(split.outcome).toBe('split');
    expect(split.allocations).toEqual([
      { sku: 'A', locationId: 'reno', quantity: 2 },
      { sku: 'A', locationId: 'austin', quantity: 1 },
      { sku: 'A', locationId: 'newark', quantity: 1 },
    ]);
    expect(() => routeToPortland(9, { reno: 2 })).toThrow('InsufficientStock: A: 9 requested, 2 available');
  });

  it('without coordinates keeps location order', () => {
    const decision = routeOrder(
      [{ sku: 'A', quantity: 1 }],
      levels({ reno: 1, austin: 1 }),
      locations,
      {},
      'nearest-first',
    );
    expect(decision.allocations[0]!.locationId).toBe('austin');
  });
});

describe('order validation and channel mappings', () => {
  it('names what is wrong with a channel order', () => {
    expect(
      validateIncomingOrder({ ...restOrder('x', [{ sku: 'A', quantity: 1 }]), currency: 'EUR' }, rules),
    ).toMatchObject({
      ok: false,
      type: 'CurrencyMismatch',
    });
    const noAddress = validateIncomingOrder(
      { ...restOrder('x', [{ sku: 'A', quantity: 1 }]), shippingAddress: undefined },
      rules,
    );
    expect(noAddress).toMatchObject({
      ok: false,
      type: 'InvalidAddress',
      reasons: ['shippingAddress: Invalid input: expected object, received undefined'],
    });
    expect(validateIncomingOrder(restOrder('x', [{ sku: 'A', quantity: 2.5 }]), rules)).toMatchObject({
      ok: false,
      type: 'InvalidQuantity',
    });
    expect(
      validateIncomingOrder(restOrder('x', [{ sku: 'A', quantity: 1 }]), {
        currency: 'USD',
        shipsTo: ['CA'],
      }),
    ).toMatchObject({
      ok: false,
      type: 'InvalidAddress',
    });
    expect(validateIncomingOrder(restOrder('x', [{ sku: 'A', quantity: 1 }]), rules).ok).toBe(true);
  });

  it('refuses text PostgreSQL cannot store (the NUL character) from any channel, naming the field', () => {
    const order = restOrder('x', [{ sku: 'A', quantity: 1 }]);
    expect(
      validateIncomingOrder(
        {
          ...order,
          customer: { name: 'Ann\u0000' },
          shippingAddress: { ...order.shippingAddress, line1: 'Kai 1\u0000' },
        },
        rules,
      ),
    ).toEqual({
      ok: false,
      type: 'InvalidAddress',
      reasons: [
        'customer.name: must not contain the NUL character (U+0000)',
        'shippingAddress.line1: must not contain the NUL character (U+0000)',
      ],
    });
  });

  it('maps the Shopify order fixture onto the canonical order', () => {
    const { order } = JSON.parse(readFileSync(join(FIXTURES, 'order-get.json'), 'utf8')) as {
      order: ShopifyOrder;
    };
    const candidate = canonicalFromShopify(order);
    expect(candidate).toMatchObject({
      channel: 'shopify',
      externalId: '450789469',
      currency: 'USD',
      paymentStatus: 'paid', // "authorized" is paid for shipping purposes
      shippingPrice: '0.00',
      shippingAddress: {
        name: 'Bob Bobsen',
        city: 'Ottawa',
        country: 'CA',
        region: 'ON',
        postalCode: 'K2P0V6',
        latitude: 45.41634,
      },
    });
    expect(candidate.lines[0]).toMatchObject({
      sku: 'IPOD2008GREEN',
      quantity: 1,
      unitPrice: '199.00',
      channelLineId: '466157049',
    });
    const parsed = canonicalOrderSchema().safeParse(candidate);
    expect(parsed.success).toBe(true);
    expect(validateIncomingOrder(candidate, { currency: 'USD', shipsTo: ['US'] })).toMatchObject({
      ok: false,
      type: 'InvalidAddress',
    });
  });

  it('maps a Square order, resolving SKUs through the catalog, and reads service levels from free text', () => {
    const candidate = canonicalFromSquare(
      {
        id: 'SQ1',
        location_id: 'L1',
        state: 'OPEN',
        line_items: [
          {
            uid: 'u1',
            quantity: '2',
            catalog_object_id: 'V1',
            base_price_money: { amount: 1999, currency: 'USD' },
          },
        ],
        fulfillments: [
          {
            type: 'SHIPMENT',
            shipment_details: {
              shipping_type: 'Express 2-Day',
              recipient: {
                display_name: 'A',
                address: { address_line_1: '1 St', locality: 'X', postal_code: '1', country: 'US' },
              },
            },
          },
        ],
        net_amount_due_money: { amount: 500, currency: 'USD' },
        total_money: { amount: 3998, currency: 'USD' },
      },
      { V1: 'MUG-TI' },
    );
    expect(candidate).toMatchObject({
      channel: 'pos',
      paymentStatus: 'pending',
      shippingService: 'express',
      lines: [{ sku: 'MUG-TI', quantity: 2, unitPrice: '19.99' }],
    });
    expect(['Overnight', 'UPS Next Day Air', 'Standard', 'Priority Mail'].map(serviceLevelFrom)).toEqual([
      'overnight',
      'overnight',
      'ground',
      'express',
    ]);
  });
});

describe('rate shopping, invoices and low stock', () => {
  it('picks the cheapest eligible rate across carriers', () => {
    const rate = (id: string, amount: string, deliveryDays: number) => ({
      id,
      carrier: 'c',
      service: id,
      amount,
      currency: 'USD',
      deliveryDays,
    });
    const choice = chooseShipmentRate(
      [
        {
          connectorId: 'a',
          carrierShipmentId: 'shp_a',
          rates: [rate('a-ground', '6.10', 5), rate('a-air', '20.00', 1)],
        },
        {
          connectorId: 'b',
          carrierShipmentId: 'shp_b',
          rates: [rate('b-ground', '5.90', 9), rate('b-2day', '9.00', 2)],
        },
      ],
      'ground',
    );
    expect(choice).toMatchObject({ connectorId: 'a', carrierShipmentId: 'shp_a', rate: { id: 'a-ground' } });
    expect(
      chooseShipmentRate(
        [{ connectorId: 'b', carrierShipmentId: 'shp_b', rates: [rate('b-2day', '9.00', 2)] }],
        'express',
      ).connectorId,
    ).toBe('b');
  });

  it('invoices lines, shipping and tax exactly as the channel stated them', () => {
    const order = canonicalOrderSchema().parse({
      ...restOrder('inv', [{ sku: 'A', quantity: 2 }]),
      shippingPrice: '5.00',
      shippingTax: '0.40',
      lines: [{ sku: 'A', quantity: 2, unitPrice: '25.00', tax: '4.00' }],
    });
    const invoice = invoiceFromOrder('order:acme:rest:inv', 'rest:inv', order, '2026-03-01T10:00:00Z');
    expect(invoice).toMatchObject({ taxTotal: '4.40', total: '59.40', issuedOn: '2026-03-01' });
    expect(invoice.lines.map((l) => [l.description, l.quantity, l.unitAmount, l.taxAmount])).toEqual([
      ['A', 2, '25.00', '4.00'],
      ['Shipping (ground)', 1, '5.00', '0.40'],
    ]);
  });

  it('announces low stock once, on the crossing, with a par-level suggestion', () => {
    expect(crossedBelowThreshold(6, 5, 6)).toBe(true);
    expect(crossedBelowThreshold(5, 4, 6)).toBe(false);
    expect(crossedBelowThreshold(10, 0, 0)).toBe(false);
    expect(reorderSuggestion('A', 5, 6)).toEqual({
      sku: 'A',
      available: 5,
      threshold: 6,
      suggestedQuantity: 7,
    });
  });
});
