import fc from 'fast-check';
import * as guards from '../../domain/orders/guards';
import {
  CANCELLABLE_ORDER_STATUSES,
  EDITABLE_ORDER_STATUSES,
  ORDER_STATUSES,
  TERMINAL_ORDER_STATUSES,
} from '../../domain/orders/status';

const activity: fc.Arbitrary<guards.OrderActivity> = fc.record({
  id: fc.constantFrom('rest:1001', 'shopify:42'),
  status: fc.constantFrom(...ORDER_STATUSES),
  valid: fc.boolean(),
  cancelling: fc.boolean(),
  editing: fc.boolean(),
  shippingStarted: fc.boolean(),
  pickedUp: fc.nat({ max: 3 }),
});
const sku = fc.constantFrom('A', 'B', 'C', 'D');
const runs = { numRuns: 2000 };

describe('order guards (domain/orders/guards.ts), over generated process states', () => {
  it('allow a cancellation only before any parcel left, once, in a cancellable status', () => {
    fc.assert(
      fc.property(activity, (o) => {
        const refusal = guards.cancelRefusal(o);
        const allowed = !o.cancelling && CANCELLABLE_ORDER_STATUSES.includes(o.status) && o.pickedUp === 0;
        expect(refusal === undefined).toBe(allowed);
        if (o.cancelling) expect(refusal).toBe(`order ${o.id} is already being cancelled`);
        else if (!allowed) expect(refusal).toMatch(/start a return instead/);
      }),
      runs,
    );
  });

  it('allow an edit only on a valid order before labels, with no cancel or other edit under way', () => {
    fc.assert(
      fc.property(activity, (o) => {
        const refusal = guards.editRefusal(o);
        const window =
          o.valid && !o.shippingStarted && !o.cancelling && EDITABLE_ORDER_STATUSES.includes(o.status);
        expect(refusal === undefined).toBe(window && !o.editing);
        if (!window) expect(refusal).toMatch(/edits are possible only until labels are bought/);
        else if (o.editing) expect(refusal).toMatch(/has an edit in progress/);
        // Nothing ends an order and leaves it editable or cancellable.
        if (TERMINAL_ORDER_STATUSES.includes(o.status)) {
          expect(refusal).toBeDefined();
          expect(guards.cancelRefusal(o)).toBeDefined();
        }
      }),
      runs,
    );
  });

  it('apply a channel address change exactly while an edit window would be open', () => {
    fc.assert(
      fc.property(activity, (o) => {
        expect(guards.channelAddressApplies(o)).toBe(
          !o.shippingStarted && EDITABLE_ORDER_STATUSES.includes(o.status),
        );
      }),
      runs,
    );
  });

  it('take edited lines with each SKU once, a price for every SKU new to the order', () => {
    const line = fc.record({ sku, unitPrice: fc.option(fc.constant('9.99'), { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku }), { maxLength: 3 }),
        fc.array(line, { minLength: 1, maxLength: 4 }),
        (current, edited) => {
          const refusal = guards.editLinesRefusal(current, edited);
          const skus = edited.map((l) => l.sku);
          const duplicate = new Set(skus).size !== skus.length;
          const unpriced = edited.filter((l) => !l.unitPrice && !current.some((c) => c.sku === l.sku));
          if (duplicate) expect(refusal).toBe('lines: duplicate SKU');
          else if (unpriced.length > 0) {
            expect(refusal).toMatch(/need a unitPrice$/);
            for (const l of unpriced) expect(refusal).toContain(l.sku);
          } else expect(refusal).toBeUndefined();
        },
      ),
      runs,
    );
  });
});
