import { inventoryReport, orderReport, orderReportCsv, type OrderFact } from '../../domain/orders/report';

const fact = (over: Partial<OrderFact>): OrderFact => ({
  orderId: 'rest:1',
  receivedAt: '2026-12-01T10:00:00.000Z',
  total: '10.10',
  currency: 'USD',
  cancelled: false,
  exception: false,
  returned: false,
  locations: ['east'],
  ...over,
});

describe('the order report (domain/orders/report.ts)', () => {
  const facts = [
    fact({
      orderId: 'rest:1',
      shippedAt: '2026-12-01T10:10:00.000Z',
      parcels: 1,
      deliveredAt: '2026-12-02T10:10:00.000Z',
      returned: true,
    }),
    fact({
      orderId: 'shopify:2',
      total: '0.20',
      shippedAt: '2026-12-01T11:00:00.000Z',
      parcels: 2,
      locations: ['east', 'west'],
    }),
    fact({ orderId: 'rest:3', cancelled: true, total: '99.00' }),
    fact({
      orderId: 'rest:4',
      total: undefined,
      currency: undefined,
      rejection: 'UnknownSku',
      locations: [],
      receivedAt: '2026-12-02T09:00:00.000Z',
    }),
    fact({
      orderId: 'rest:5',
      total: '1.00',
      currency: 'EUR',
      exception: true,
      receivedAt: '2026-12-02T09:30:00.000Z',
    }),
  ];

  it('sums revenue exactly per currency, net of cancelled and rejected orders', () => {
    const east = orderReport(facts, 'location').find((r) => r.group === 'east');
    expect(east).toMatchObject({ group: 'east', orders: 4, cancellations: 1, exceptions: 1 });
    expect(east!.revenue).toEqual([
      { currency: 'EUR', amount: '1.00' },
      { currency: 'USD', amount: '10.30' },
    ]);
  });

  it('gives nearest-rank p50/p90 in seconds, and split and return rates of the orders that got there', () => {
    const east = orderReport(facts, 'location').find((r) => r.group === 'east');
    expect(east!.orderToShipSeconds).toEqual({ p50: 600, p90: 3600 });
    expect(east!.shipToDeliverSeconds).toEqual({ p50: 86_400, p90: 86_400 });
    expect(east!.splitRate).toBe(0.5);
    expect(east!.returnRate).toBe(1);
  });

  it('groups by day received, by channel, and by location (an order from two in both; none apart)', () => {
    expect(orderReport(facts, 'day').map((r) => [r.group, r.orders])).toEqual([
      ['2026-12-01', 3],
      ['2026-12-02', 2],
    ]);
    const byChannel = orderReport(facts, 'channel');
    expect(byChannel.map((r) => [r.group, r.orders])).toEqual([
      ['rest', 4],
      ['shopify', 1],
    ]);
    expect(byChannel[0]!.rejections).toEqual({ UnknownSku: 1 });
    expect(orderReport(facts, 'location').map((r) => [r.group, r.orders])).toEqual([
      ['(none)', 1],
      ['east', 4],
      ['west', 1],
    ]);
    const none = orderReport(facts, 'location')[0]!;
    expect(none).toMatchObject({
      splitRate: null,
      returnRate: null,
      orderToShipSeconds: { p50: null, p90: null },
    });
  });

  it('writes one CSV line per group, quoting what needs it', () => {
    const csv = orderReportCsv(orderReport(facts, 'channel'));
    expect(csv.split('\n')[0]).toMatch(/^group,orders,revenue,/);
    expect(csv).toContain('rest,4,EUR 1.00; USD 10.10,');
  });

  it('gives days of cover at the last 30 days’ pace, none without sales', () => {
    expect(
      inventoryReport([
        { sku: 'A', locationId: 'east', onHand: 10, reserved: 2, shipped30d: 60 },
        { sku: 'B', locationId: 'east', onHand: 5, reserved: 0, shipped30d: 0 },
      ]),
    ).toEqual([
      { sku: 'A', locationId: 'east', onHand: 10, reserved: 2, shipped30d: 60, available: 8, daysOfCover: 4 },
      {
        sku: 'B',
        locationId: 'east',
        onHand: 5,
        reserved: 0,
        shipped30d: 0,
        available: 5,
        daysOfCover: null,
      },
    ]);
  });
});
