import {
  checkReturnEligibility,
  computeRefund,
  paidMinor,
  type DeliveredOrder,
  type ReceivedLine,
  type RefundedUnits,
  type ReturnPolicy,
} from '../../domain/returns/policy';
import { fromMinorUnits, MAX_AMOUNT, toMinorUnits } from '../../domain/shared/money';
import { returnRequestSchema } from '../../workflows/returns/contract';
import { creditNoteFromRefund } from '../../domain/accounting/credit-note';
import { checkExchange, priceExchange, refundAfterExchange } from '../../domain/returns/exchange';
import {
  isHubRefund,
  refundFromShopify,
  returnRequestFromShopify,
} from '../../domain/returns/channels/shopify';

const policy: ReturnPolicy = {
  windowDays: 30,
  nonReturnableSkus: ['FINAL'],
  restockingFeePercent: 0,
  refundShipping: 'when_fully_returned',
  refundDamaged: true,
};

const order: DeliveredOrder = {
  deliveredAt: '2026-03-01T12:00:00Z',
  currency: 'USD',
  lines: [
    { sku: 'TENT', quantity: 3, unitPrice: '99.99', tax: '24.00' },
    { sku: 'MUG', quantity: 1, unitPrice: '12.50', tax: '1.00' },
    { sku: 'FINAL', quantity: 1, unitPrice: '5.00', tax: '0.00' },
  ],
  shippingPrice: '7.00',
  shippingTax: '0.56',
};

describe('return eligibility', () => {
  it('allows partial quantities inside the window and names every problem outside it', () => {
    expect(
      checkReturnEligibility(order, [], [{ sku: 'TENT', quantity: 2 }], '2026-03-20T00:00:00Z', policy),
    ).toEqual({ ok: true });
    const refused = checkReturnEligibility(
      order,
      [{ lines: [{ sku: 'TENT', quantity: 2 }] }],
      [
        { sku: 'TENT', quantity: 2 },
        { sku: 'FINAL', quantity: 1 },
        { sku: 'SOCKS', quantity: 1 },
        { sku: 'MUG', quantity: 0 },
      ],
      '2026-04-15T00:00:00Z',
      policy,
    );
    expect(refused).toEqual({
      ok: false,
      reasons: [
        'the return window of 30 days closed on 2026-03-31',
        'TENT: 2 requested, 1 of 3 delivered can still be returned',
        'FINAL: cannot be returned',
        'SOCKS: not part of this order',
        'MUG: quantity must be a whole number of at least 1',
      ],
    });
  });
});

describe('refunds', () => {
  it('pays price and tax per unit, shipping with the last unit, and keeps a restocking fee', () => {
    const first = computeRefund(
      order,
      [{ sku: 'TENT', quantity: 1, condition: 'sellable' }],
      {},
      { ...policy, restockingFeePercent: 10 },
    );
    expect(first).toMatchObject({
      lines: [{ sku: 'TENT', quantity: 1, amount: '99.99', tax: '8.00' }],
      shipping: '0.00',
      restockingFee: '10.00',
      total: '97.99',
    });
    const rest = computeRefund(
      order,
      [
        { sku: 'TENT', quantity: 2, condition: 'sellable' },
        { sku: 'MUG', quantity: 1, condition: 'damaged' },
        { sku: 'FINAL', quantity: 1, condition: 'sellable' },
      ],
      { TENT: 1 },
      policy,
    );
    expect(rest.shipping).toBe('7.56');
    expect(rest.total).toBe(fromMinorUnits(toMinorUnits('199.98') + 1600 + 1250 + 100 + 500 + 756));
    expect(
      computeRefund(
        order,
        [{ sku: 'MUG', quantity: 1, condition: 'damaged' }],
        {},
        { ...policy, refundDamaged: false },
      ).total,
    ).toBe('0.00');
  });

  /** A small deterministic generator, so a failing case can be replayed from its seed. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('never refunds more than was paid, nor takes back more than was delivered, over any sequence of returns', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const int = (max: number) => Math.floor(next() * max);
      const generated: DeliveredOrder = {
        deliveredAt: '2026-03-01T00:00:00Z',
        currency: 'USD',
        lines: Array.from({ length: 1 + int(4) }, (_, i) => ({
          sku: `S${i}`,
          quantity: 1 + int(7),
          unitPrice: fromMinorUnits(1 + int(50_000)),
          tax: fromMinorUnits(int(9_999)),
        })),
        shippingPrice: fromMinorUnits(int(2_000)),
        shippingTax: fromMinorUnits(int(300)),
      };
      const rules: ReturnPolicy = {
        ...policy,
        nonReturnableSkus: [],
        restockingFeePercent: int(3) * 5,
        refundDamaged: next() < 0.5,
      };
      const held: Array<{ lines: Array<{ sku: string; quantity: number }> }> = [];
      const refunded: RefundedUnits = {};
      let refundedTotal = 0;
      for (let attempt = 0; attempt < 8; attempt++) {
        const request = generated.lines
          .filter(() => next() < 0.6)
          .map((l) => ({ sku: l.sku, quantity: 1 + int(l.quantity) }));
        const eligible = checkReturnEligibility(generated, held, request, '2026-03-10T00:00:00Z', rules);
        if (!eligible.ok) continue;
        held.push({ lines: request });
        const received: ReceivedLine[] = request.map((l) => ({
          ...l,
          condition: next() < 0.2 ? 'damaged' : 'sellable',
        }));
        const refund = computeRefund(generated, received, refunded, rules);
        expect(toMinorUnits(refund.total)).toBeGreaterThanOrEqual(0);
        refundedTotal += toMinorUnits(refund.total);
        for (const line of refund.lines) refunded[line.sku] = (refunded[line.sku] ?? 0) + line.quantity;
      }
      for (const line of generated.lines) {
        const returned = held
          .flatMap((r) => r.lines)
          .filter((l) => l.sku === line.sku)
          .reduce((s, l) => s + l.quantity, 0);
        expect(returned).toBeLessThanOrEqual(line.quantity);
        expect(refunded[line.sku] ?? 0).toBeLessThanOrEqual(line.quantity);
      }
      expect(refundedTotal).toBeLessThanOrEqual(paidMinor(generated));
    }
  });

  it('refunds exactly what was paid when everything comes back in several returns without fees', () => {
    const parts: ReceivedLine[][] = [
      [{ sku: 'TENT', quantity: 1, condition: 'sellable' }],
      [
        { sku: 'TENT', quantity: 1, condition: 'sellable' },
        { sku: 'MUG', quantity: 1, condition: 'sellable' },
      ],
      [
        { sku: 'TENT', quantity: 1, condition: 'sellable' },
        { sku: 'FINAL', quantity: 1, condition: 'sellable' },
      ],
    ];
    const refunded: RefundedUnits = {};
    let total = 0;
    for (const received of parts) {
      const refund = computeRefund(order, received, refunded, policy);
      total += toMinorUnits(refund.total);
      for (const line of refund.lines) refunded[line.sku] = (refunded[line.sku] ?? 0) + line.quantity;
    }
    expect(total).toBe(paidMinor(order));
  });
});

describe('exchanges and credit notes', () => {
  it('prices a replacement at the order’s price and tax rate, and keeps its value from the refund', () => {
    const priced = priceExchange(order, [
      { sku: 'TENT', quantity: 1 },
      { sku: 'LANTERN', quantity: 2 },
      { sku: 'STOVE', quantity: 1, unitPrice: '30.00' },
    ]);
    expect(priced.reasons).toEqual(['exchange LANTERN: not on the order, so it needs a unitPrice']);
    expect(priced.lines).toEqual([
      { sku: 'TENT', quantity: 1, unitPrice: '99.99', tax: '8.00' },
      { sku: 'STOVE', quantity: 1, unitPrice: '30.00', tax: '0.00' },
    ]);
    expect(checkExchange(order, [{ sku: 'TENT', quantity: 1 }], priced.lines)).toEqual([
      'the replacement is worth 137.99 USD but the returned goods 107.99; place a new order for the difference',
    ]);
    const refund = computeRefund(order, [{ sku: 'TENT', quantity: 1, condition: 'sellable' }], {}, policy);
    expect(refundAfterExchange(refund, [priced.lines[0]!])).toEqual({
      exchangeCredit: '107.99',
      paid: '0.00',
    });
    expect(refundAfterExchange(refund, [priced.lines[1]!])).toEqual({
      exchangeCredit: '30.00',
      paid: '77.99',
    });
  });

  it('writes a credit note whose lines less deductions equal what goes back', () => {
    const fee = { ...policy, restockingFeePercent: 10 };
    const refund = computeRefund(
      order,
      [
        { sku: 'TENT', quantity: 3, condition: 'sellable' },
        { sku: 'MUG', quantity: 1, condition: 'sellable' },
        { sku: 'FINAL', quantity: 1, condition: 'sellable' },
      ],
      {},
      fee,
    );
    const settled = {
      ...refund,
      exchangeCredit: '12.00',
      paid: fromMinorUnits(toMinorUnits(refund.total) - 1200),
    };
    const note = creditNoteFromRefund(
      'return:acme:RMA-1',
      'RMA-1',
      'rest:o-1',
      { name: 'Ada' },
      settled,
      '2026-03-05T10:00:00Z',
    );
    const lines = note.lines.reduce((sum, l) => sum + toMinorUnits(l.amount) + toMinorUnits(l.taxAmount), 0);
    const deductions = note.deductions.reduce((sum, d) => sum + toMinorUnits(d.amount), 0);
    expect(fromMinorUnits(lines - deductions)).toBe(note.total);
    expect(note.deductions.map((d) => d.description)).toEqual([
      'Restocking fee',
      'Applied to the exchange order',
    ]);
    expect(note.issuedOn).toBe('2026-03-05');
  });
});

describe('Shopify return and refund webhooks', () => {
  it('maps a return request onto the order’s line ids, and tells the hub’s own refunds from the admin’s', () => {
    expect(
      returnRequestFromShopify({
        id: 77,
        order: { id: 4501 },
        return_line_items: [
          {
            id: 1,
            quantity: 2,
            return_reason: 'size_too_small',
            fulfillment_line_item: { line_item: { id: 9001 } },
          },
        ],
      }),
    ).toEqual({
      orderExternalId: '4501',
      reference: 'shopify-return-77',
      lines: [{ channelLineId: '9001', quantity: 2, reason: 'size_too_small' }],
    });
    expect(
      returnRequestFromShopify({ id: 78, order: { id: 4501 }, return_line_items: [{ id: 2, quantity: 1 }] }),
    ).toBeUndefined();
    const refund = {
      id: 5,
      order_id: 4501,
      refund_line_items: [{ line_item_id: 9001, quantity: 1 }],
      transactions: [
        { kind: 'refund', status: 'success', amount: '10.10' },
        { kind: 'refund', status: 'failure', amount: '99.00' },
      ],
    };
    expect(isHubRefund({ ...refund, note: 'RMA-0ABC12: return RMA-0ABC12' })).toBe(true);
    expect(isHubRefund({ ...refund, note: 'goodwill' })).toBe(false);
    expect(refundFromShopify(refund)).toEqual({
      orderExternalId: '4501',
      reference: 'shopify-refund-5',
      lines: [{ channelLineId: '9001', quantity: 1 }],
      amount: '10.10',
    });
  });
});

describe('money bounds at the returns door', () => {
  it('refuses an exchange price past the maximum, naming the field, instead of failing in arithmetic', () => {
    const request = (unitPrice: string) =>
      returnRequestSchema.safeParse({
        lines: [{ sku: 'MUG-TI', quantity: 1 }],
        exchange: { lines: [{ sku: 'MUG-TI', quantity: 10_000, unitPrice }] },
      });
    const refused = request('99999999999.99');
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((issue) => issue.path.join('.'))).toEqual([
      'exchange.lines.0.unitPrice',
    ]);
    expect(refused.error!.issues[0]!.message).toContain(MAX_AMOUNT);
    expect(request(MAX_AMOUNT).success).toBe(true);
    // At the bounds every sum stays exact: 250 lines of 10,000 units at the maximum.
    const total = 250 * 10_000 * toMinorUnits(MAX_AMOUNT);
    expect(Number.isSafeInteger(total)).toBe(true);
    expect(fromMinorUnits(total)).toBe('24999999975000.00');
  });
});

describe('text the returns door stores', () => {
  it('refuses a reason holding the NUL character (PostgreSQL stores it nowhere), naming the field', () => {
    const refused = returnRequestSchema.safeParse({
      lines: [{ sku: 'MUG-TI', quantity: 1, reason: 'chipped\u0000' }],
    });
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['lines.0.reason', 'must not contain the NUL character (U+0000)'],
    ]);
    expect(
      returnRequestSchema.safeParse({ lines: [{ sku: 'MUG-TI', quantity: 1, reason: 'chipped' }] }).success,
    ).toBe(true);
  });
});
