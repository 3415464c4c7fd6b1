import fc from 'fast-check';
import {
  decisionRefusal,
  receiptLinesRefusal,
  receiptRefusal,
  type ReturnActivity,
} from '../../domain/returns/guards';
import {
  RECEIVABLE_RETURN_STATUSES,
  RETURN_CONDITIONS,
  RETURN_STATUSES,
  TERMINAL_RETURN_STATUSES,
} from '../../domain/returns/return';

const activity: fc.Arbitrary<ReturnActivity> = fc.record({
  id: fc.constantFrom('RMA-1', 'RMA-2'),
  status: fc.constantFrom(...RETURN_STATUSES),
  registered: fc.boolean(),
  decided: fc.boolean(),
  receiving: fc.boolean(),
});
const sku = fc.constantFrom('A', 'B', 'C');
const runs = { numRuns: 2000 };

describe('return guards (domain/returns/guards.ts), over generated process states', () => {
  it('take one decision, only on a registered return still requested', () => {
    fc.assert(
      fc.property(activity, (r) => {
        const allowed = r.registered && r.status === 'requested' && !r.decided;
        expect(decisionRefusal(r) === undefined).toBe(allowed);
        if (!allowed)
          expect(decisionRefusal(r)).toBe(
            `return ${r.id} is ${r.status}; only a requested return awaits a decision`,
          );
      }),
      runs,
    );
  });

  it('receive goods only while approved or in transit, one receipt at a time, never once ended', () => {
    fc.assert(
      fc.property(activity, (r) => {
        const refusal = receiptRefusal(r);
        expect(refusal === undefined).toBe(RECEIVABLE_RETURN_STATUSES.includes(r.status) && !r.receiving);
        if (TERMINAL_RETURN_STATUSES.includes(r.status)) {
          expect(refusal).toMatch(/goods are received only while it is approved or in transit/);
          expect(decisionRefusal(r)).toBeDefined();
        }
      }),
      runs,
    );
  });

  it('take receipt lines of the return only, each once, within the units asked, in a known condition', () => {
    const requested = fc.uniqueArray(fc.record({ sku, quantity: fc.integer({ min: 1, max: 3 }) }), {
      selector: (l) => l.sku,
      minLength: 1,
    });
    const received = fc.array(
      fc.record({
        sku,
        quantity: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constant(1.5)),
        condition: fc.constantFrom(...RETURN_CONDITIONS, 'lost'),
      }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(requested, received, (asked, lines) => {
        const refusal = receiptLinesRefusal('RMA-1', asked, lines);
        const fits =
          lines.length > 0 &&
          new Set(lines.map((l) => l.sku)).size === lines.length &&
          lines.every((l) => {
            const a = asked.find((x) => x.sku === l.sku);
            return (
              a &&
              Number.isInteger(l.quantity) &&
              l.quantity >= 0 &&
              l.quantity <= a.quantity &&
              (RETURN_CONDITIONS as readonly string[]).includes(l.condition)
            );
          });
        expect(refusal === undefined).toBe(fits);
        if (lines.length === 0) expect(refusal).toBe('a receipt needs at least one line');
      }),
      runs,
    );
  });
});
