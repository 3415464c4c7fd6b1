import fc from 'fast-check';
import { channelSyncCurrentDetails, channelSyncSummary } from '../../domain/channels/describe';
import {
  orderCurrentDetails,
  orderDetails,
  orderFactsOf,
  orderNeedsAttention,
  orderSummary,
  orderWaitsOn,
} from '../../domain/orders/describe';
import { ORDER_STATUSES, type OrderView } from '../../domain/orders/status';
import { returnCurrentDetails, returnNeedsAttention, returnSummary } from '../../domain/returns/describe';
import { RETURN_STATUSES, type ReturnView } from '../../domain/returns/return';
import { initials, linesText, uiTime } from '../../domain/shared/describe';
import { stayCurrentDetails, stayDetails, staySummary } from '../../domain/stays/describe';
import { RESERVATION_STATUSES, type ReservationView } from '../../domain/stays/reservation';

/** Personal data a Temporal UI text must never carry (these are the fixtures' own). */
const PERSONAL = ['Jane Roe', 'jane@example.com', '+1 555 0100', '1 Main St', 'Apt 4', '97201'];

const address = {
  name: 'Jane Roe',
  line1: '1 Main St',
  line2: 'Apt 4',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
  phone: '+1 555 0100',
};
const candidate = {
  channel: 'shopify' as const,
  externalId: '1001',
  currency: 'USD',
  customer: { email: 'jane@example.com', name: 'Jane Roe' },
  shippingAddress: address,
  shippingPrice: '5.00',
  lines: [
    { sku: 'TEE-M', quantity: 2, unitPrice: '20.00', tax: '3.20' },
    { sku: 'CAP', quantity: 1, unitPrice: '12.00' },
  ],
};
const facts = orderFactsOf('acme', 'shopify:1001', candidate);
const label = {
  locationId: 'wh-east',
  carrier: 'USPS',
  trackingCode: 'EZ1',
  labelKey: 'labels/x.pdf',
  rate: { service: 'Priority', amount: '7.20', currency: 'USD' },
  connectorId: 'acme-parcelhub',
};
const orderView = (status: OrderView['status'], more: Partial<OrderView> = {}): OrderView => ({
  id: 'shopify:1001',
  tenantId: 'acme',
  channel: 'shopify',
  externalId: '1001',
  status,
  order: facts.order,
  allocations: [],
  labels: [label],
  timeline: [],
  ...more,
});
const waits = { stuckAfterDays: 5, paymentTimeoutMinutes: 30, editWindowSeconds: 0, shippingStarted: true };
const NOW = '2026-12-03T10:00:00.000Z';

function expectNoPersonalData(text: string): void {
  for (const value of PERSONAL) expect(text).not.toContain(value);
}

describe('what an order shows in the Temporal UI (domain/orders/describe.ts)', () => {
  it('names lines, total, ship-to city and country and tenant in its summary and details', () => {
    expect(orderSummary(facts)).toBe('Order shopify:1001 · acme · 2 lines · 60.20 USD · to Portland, US');
    const details = orderDetails(facts, 'webhook');
    expect(details).toContain('- **Lines:** 2 × TEE-M, 1 × CAP');
    expect(details).toContain('- **Total:** 60.20 USD');
    expect(details).toContain('- **Ships to:** Portland, US');
    expect(details).toContain('- **Tenant:** acme');
    expectNoPersonalData(orderSummary(facts) + details);
  });

  it('takes an order the intake already validated as the same facts the candidate parses to', () => {
    expect(orderFactsOf('acme', 'shopify:1001', candidate, facts.order)).toEqual(facts);
    expect(orderFactsOf('acme', 'shopify:1001', candidate, facts.order).order).toBe(facts.order);
  });

  it('still names an order whose candidate is not valid, without its contents', () => {
    const invalid = orderFactsOf('acme', 'rest:9', { ...candidate, lines: [] });
    expect(orderSummary(invalid)).toBe('Order rest:9 · acme · not valid as received');
    expect(orderDetails(invalid, 'api')).not.toContain('Lines');
  });

  it('says what a bought label waits for and when it raises an exception', () => {
    expect(orderCurrentDetails(orderView('label_purchased'), waits, NOW)).toBe(
      'Label bought with acme-parcelhub (USPS Priority, 7.20 USD), waiting for the first carrier scan; raises an exception on 2026-12-08 10:00 UTC if none comes.',
    );
    expect(orderCurrentDetails(orderView('awaiting_payment'), waits, NOW)).toContain(
      'at 2026-12-03 10:30 UTC',
    );
  });

  it('has current details for every status, with no personal data, and flags only exceptions', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ORDER_STATUSES), fc.boolean(), (status, shippingStarted) => {
        const view = orderView(status, {
          exception: { reason: 'no carrier movement for 5 days', since: NOW },
          cancellation: { reason: 'customer asked', origin: 'api' },
          rejection: { type: 'InsufficientStock', reasons: ['TEE-M short by 1'] },
        });
        const text = orderCurrentDetails(view, { ...waits, shippingStarted }, NOW);
        expect(text.length).toBeGreaterThan(10);
        expectNoPersonalData(text);
        expect(orderNeedsAttention(view)).toBe(status === 'exception');
        expect(text.includes('Needs attention')).toBe(status === 'exception');
      }),
    );
  });

  it('waits on the carrier while parcels move and on the store while payment is pending', () => {
    expect(orderWaitsOn(orderView('shipped'), 'acme-shopify')).toBe('acme-parcelhub');
    expect(orderWaitsOn(orderView('awaiting_payment'), 'acme-shopify')).toBe('acme-shopify');
    expect(orderWaitsOn(orderView('delivered'), 'acme-shopify')).toBeUndefined();
  });
});

const stay = {
  propertyId: 'alpine-lodge',
  roomTypeId: 'DBL',
  ratePlanId: 'dbl-flex',
  arrival: '2026-12-10',
  departure: '2026-12-12',
  guests: { adults: 2, children: 1 },
  guest: { name: 'Jane Roe', email: 'jane@example.com' },
};
const stayView = (status: ReservationView['status']): ReservationView => ({
  id: 'ota:ABC-1',
  tenantId: 'alpine',
  channel: 'ota',
  externalId: 'ABC-1',
  status,
  stay,
  nightly: ['100.00', '100.00'],
  totals: { room: '200.00', tax: '20.00', total: '220.00', currency: 'EUR' },
  holdExpiresAt: '2026-12-03T14:30:00.000Z',
  room: '101',
  folio: { entries: [], charges: '0.00', tax: '0.00', payments: '0.00', balance: '0.00' },
  timeline: [],
});

describe('what a stay shows in the Temporal UI (domain/stays/describe.ts)', () => {
  it('names property, room type, dates and channel, and the guest by initials only', () => {
    const stayFacts = { id: 'ota:ABC-1', tenantId: 'alpine', stay };
    expect(staySummary(stayFacts)).toBe(
      'Stay ota:ABC-1 · alpine-lodge · DBL · 2026-12-10 → 2026-12-12 (2 nights) · guest J. R.',
    );
    expect(stayDetails(stayFacts)).toContain('- **Guests:** 2 adults, 1 child');
    expectNoPersonalData(staySummary(stayFacts) + stayDetails(stayFacts));
  });

  it('says until when a hold waits for its guarantee, and what ops do with an overbooked stay', () => {
    expect(stayCurrentDetails(stayView('held'), { awaitingPlacement: false })).toBe(
      'Held until 2026-12-03 14:30 UTC, waiting for a guarantee (Update `confirmReservation`); the nights are released then if none comes.',
    );
    expect(stayCurrentDetails(stayView('overbooked'), { awaitingPlacement: true })).toContain(
      'Waiting for re-accommodation by ops (Update `reaccommodateReservation`)',
    );
  });

  it('has current details for every status, with no personal data', () => {
    for (const status of RESERVATION_STATUSES)
      for (const awaitingPlacement of [true, false]) {
        const text = stayCurrentDetails(stayView(status), { awaitingPlacement });
        expect(text.length).toBeGreaterThan(10);
        expectNoPersonalData(text);
      }
  });
});

describe('what a return and a channel sync show in the Temporal UI', () => {
  const returnView = (status: ReturnView['status']): ReturnView => ({
    id: 'RMA-1',
    tenantId: 'acme',
    orderId: 'shopify:1001',
    status,
    origin: 'api',
    lines: [{ sku: 'TEE-M', quantity: 1, reason: 'too small' }],
    customerAddress: address,
    timeline: [],
  });

  it('names a return by RMA, order and lines, and flags a decision waiting for a person', () => {
    const summary = returnSummary({
      rmaId: 'RMA-1',
      tenantId: 'acme',
      orderId: 'shopify:1001',
      lines: [{ sku: 'TEE-M', quantity: 1 }],
      exchange: { lines: [{ sku: 'TEE-L', quantity: 1 }], ships: 'on_receipt' },
      origin: 'api',
    });
    expect(summary).toBe('Return RMA-1 · order shopify:1001 · acme · 1 × TEE-M · exchange 1 × TEE-L');
    const returnWaits = { approvalDeadlineHours: 48, scanTimeoutDays: 14, awaitingDecision: true };
    expect(returnCurrentDetails(returnView('requested'), returnWaits, NOW)).toContain(
      'until 2026-12-05 10:00 UTC',
    );
    for (const status of RETURN_STATUSES) {
      const text = returnCurrentDetails(returnView(status), returnWaits, NOW);
      expectNoPersonalData(text);
      expect(returnNeedsAttention({ status }, returnWaits)).toBe(
        status === 'requested' || status === 'failed',
      );
    }
    expect(returnNeedsAttention({ status: 'requested' }, { awaitingDecision: false })).toBe(false);
  });

  it('names a channel sync and says how many mappings wait for ops', () => {
    const input = { tenantId: 'acme', connectorId: 'acme-shopify', kind: 'stock' as const };
    expect(channelSyncSummary(input)).toBe('Channel sync · acme · acme-shopify · stock levels');
    expect(channelSyncCurrentDetails(input, { pushes: 3, setAside: 2 })).toContain(
      '**Needs attention**: 2 mappings set aside',
    );
    expect(channelSyncCurrentDetails(input, { pushes: 1, setAside: 0 })).not.toContain('Needs attention');
  });
});

describe('shared wording (domain/shared/describe.ts)', () => {
  it('writes times to the minute, shortens long line lists and keeps only initials', () => {
    expect(uiTime('2026-12-08T14:30:59.123Z')).toBe('2026-12-08 14:30 UTC');
    expect(linesText([1, 2, 3, 4, 5].map((n) => ({ sku: `S${n}`, quantity: n })))).toBe(
      '1 × S1, 2 × S2, 3 × S3 and 2 more',
    );
    expect(initials('Jane van Dyke')).toBe('J. v. D.');
    expect(initials('')).toBe('?');
  });
});
