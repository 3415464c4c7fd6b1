import { QueryTypes } from 'sequelize';
import { receiveReturn, registerReturn, settleRefund } from '../../db/returns';
import { paidMinor, type DeliveredOrder, type ReturnPolicy } from '../../domain/returns/policy';
import { toMinorUnits } from '../../domain/shared/money';
import { seedStock, uniqueId } from '../support/fixtures';
import { databaseForTests } from '../support/database';

const policy: ReturnPolicy = {
  windowDays: 30,
  nonReturnableSkus: [],
  restockingFeePercent: 0,
  refundShipping: 'when_fully_returned',
  refundDamaged: true,
};

/** The returns table under the order's lock, racing in real PostgreSQL. */
describe('returns ledger', () => {
  const sequelize = databaseForTests();

  function orderOf(sku: string): DeliveredOrder {
    return {
      deliveredAt: new Date().toISOString(),
      currency: 'USD',
      lines: [{ sku, quantity: 7, unitPrice: '10.01', tax: '5.00' }],
      shippingPrice: '4.99',
      shippingTax: '0.40',
    };
  }

  it('admits racing returns of one order only up to what was delivered, and refunds no more than was paid', async () => {
    const sku = uniqueId('LDG');
    await seedStock(sequelize(), 'acme', { [sku]: { 'ldg-a': 0 } });
    const order = orderOf(sku);
    const orderKey = `order:acme:rest:${uniqueId('ldg')}`;
    // 30 requests of one unit each race for the 7 delivered units.
    const rmaIds = Array.from(
      { length: 30 },
      (_, i) => `RMA-LDG${String(i).padStart(4, '0')}${uniqueId('X').slice(2, 8).toUpperCase()}`,
    );
    const outcomes = await Promise.all(
      rmaIds.map((rmaId) =>
        registerReturn(sequelize(), {
          tenantId: 'acme',
          rmaId,
          orderKey,
          orderId: 'rest:ldg',
          origin: 'api',
          order,
          lines: [{ sku, quantity: 1 }],
          now: new Date().toISOString(),
          policy,
        }),
      ),
    );
    const admitted = rmaIds.filter((_, i) => outcomes[i]!.ok);
    expect(admitted).toHaveLength(7);

    // Each admitted return is received and refunded, concurrently: the shares add up to the cent.
    await Promise.all(
      admitted.map((rmaId) =>
        receiveReturn(sequelize(), {
          tenantId: 'acme',
          rmaId,
          locationId: 'ldg-a',
          lines: [{ sku, quantity: 1, condition: 'sellable' }],
        }),
      ),
    );
    const refunds = await Promise.all(
      admitted.map((rmaId) => settleRefund(sequelize(), { tenantId: 'acme', rmaId, order, policy })),
    );
    const total = refunds.reduce((sum, r) => sum + toMinorUnits(r.total), 0);
    expect(total).toBe(paidMinor(order));
    expect(refunds.filter((r) => r.shipping !== '0.00')).toHaveLength(1);
    // A retry answers with the refund already computed.
    expect(await settleRefund(sequelize(), { tenantId: 'acme', rmaId: admitted[0]!, order, policy })).toEqual(
      refunds[0],
    );
    // A receipt retried after it committed does not restock twice.
    await receiveReturn(sequelize(), {
      tenantId: 'acme',
      rmaId: admitted[0]!,
      locationId: 'ldg-a',
      lines: [{ sku, quantity: 1, condition: 'sellable' }],
    });
    const [level] = await sequelize().query<{ on_hand: number }>(
      `SELECT on_hand FROM inventory_levels WHERE tenant_id = 'acme' AND sku = :sku AND location_id = 'ldg-a'`,
      { replacements: { sku }, type: QueryTypes.SELECT },
    );
    expect(Number(level!.on_hand)).toBe(7);
  });
});
