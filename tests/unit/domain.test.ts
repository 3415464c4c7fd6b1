import { allocateStock } from '../../domain/orders/allocation';
import { labelObjectKey, parsePublicOrderId, publicOrderId } from '../../domain/orders/ids';
import { orderWorkflowId } from '../../workflows/orders/contract';
import { canonicalOrderSchema, orderSubtotal } from '../../domain/orders/order';
import { chooseRate, type CarrierRate } from '../../domain/orders/rates';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import { fromMinorUnits, toMinorUnits } from '../../domain/shared/money';
import { restOrder } from '../support/fixtures';

describe('money', () => {
  it('round-trips decimal strings through minor units without float error', () => {
    expect(toMinorUnits('19.99')).toBe(1999);
    expect(toMinorUnits('0.1')).toBe(10);
    expect(toMinorUnits('7')).toBe(700);
    expect(fromMinorUnits(toMinorUnits('0.1') + toMinorUnits('0.2'))).toBe('0.30');
    expect(() => toMinorUnits('1.999')).toThrow(RangeError);
    expect(() => toMinorUnits('-1')).toThrow(RangeError);
  });
});

describe('order ids', () => {
  it('derives one workflow id per tenant, channel and external id', () => {
    expect(orderWorkflowId('acme', 'shopify', '1001')).toBe('order:acme:shopify:1001');
    expect(orderWorkflowId('globex', 'shopify', '1001')).not.toBe(orderWorkflowId('acme', 'shopify', '1001'));
  });

  it('parses public ids back and refuses malformed ones', () => {
    expect(parsePublicOrderId(publicOrderId('pos', 'A-1.2'))).toEqual({
      channel: 'pos',
      externalId: 'A-1.2',
    });
    expect(parsePublicOrderId('fax:1')).toBeUndefined();
    expect(parsePublicOrderId('rest:has space')).toBeUndefined();
    expect(parsePublicOrderId('rest')).toBeUndefined();
  });

  it('keeps label keys under the tenant prefix', () => {
    expect(labelObjectKey('acme', 'acme:rest:1:reno')).toBe('tenants/acme/labels/acme_rest_1_reno.pdf');
  });
});

describe('canonical order', () => {
  it('accepts a complete order and fills defaults', () => {
    const order = canonicalOrderSchema().parse({
      ...restOrder('1001', [{ sku: 'A', quantity: 2 }]),
      shippingService: undefined,
    });
    expect(order.shippingService).toBe('ground');
    expect(orderSubtotal(order)).toBe('39.98');
  });

  it('names every problem of a bad order', () => {
    const result = canonicalOrderSchema().safeParse({
      channel: 'rest',
      externalId: '1001',
      currency: 'USD',
      shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: '1', country: 'USA' },
      lines: [
        { sku: 'A', quantity: 1.5, unitPrice: '1.00' },
        { sku: 'A', quantity: 1, unitPrice: '1.00' },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['shippingAddress.country', 'lines.0.quantity']));
  });

  it('refuses the same SKU on two lines', () => {
    const result = canonicalOrderSchema().safeParse(
      restOrder('1002', [
        { sku: 'A', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
    );
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['lines.1.sku', 'duplicate SKU A'],
    ]);
  });
});

describe('stock allocation', () => {
  const levels = [
    { sku: 'A', locationId: 'east', available: 5 },
    { sku: 'B', locationId: 'east', available: 0 },
    { sku: 'A', locationId: 'west', available: 2 },
    { sku: 'B', locationId: 'west', available: 4 },
  ];

  it('prefers one location that ships the whole order', () => {
    expect(
      allocateStock(
        [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
        ],
        levels,
      ),
    ).toEqual([
      { sku: 'A', locationId: 'west', quantity: 2 },
      { sku: 'B', locationId: 'west', quantity: 1 },
    ]);
  });

  it('splits across locations when no single one can ship everything', () => {
    expect(allocateStock([{ sku: 'A', quantity: 6 }], levels)).toEqual([
      { sku: 'A', locationId: 'east', quantity: 5 },
      { sku: 'A', locationId: 'west', quantity: 1 },
    ]);
  });

  it('refuses with the shortage per SKU when the total is not there', () => {
    expect(() =>
      allocateStock(
        [
          { sku: 'A', quantity: 8 },
          { sku: 'B', quantity: 1 },
        ],
        levels,
      ),
    ).toThrow(new BusinessRuleViolation('InsufficientStock', ['A: 8 requested, 7 available']));
  });
});

describe('rate choice', () => {
  const rates: CarrierRate[] = [
    { id: 'r1', carrier: 'UPS', service: 'NextDay', amount: '25.00', currency: 'USD', deliveryDays: 1 },
    { id: 'r2', carrier: 'USPS', service: 'Priority', amount: '8.10', currency: 'USD', deliveryDays: 2 },
    { id: 'r3', carrier: 'USPS', service: 'Ground', amount: '4.60', currency: 'USD', deliveryDays: 5 },
    { id: 'r4', carrier: 'X', service: 'Unknown', amount: '1.00', currency: 'USD', deliveryDays: null },
  ];

  it('picks the cheapest rate that meets the service level', () => {
    expect(chooseRate(rates, 'ground').id).toBe('r3');
    expect(chooseRate(rates, 'express').id).toBe('r2');
    expect(chooseRate(rates, 'overnight').id).toBe('r1');
  });

  it('refuses when no rate is fast enough', () => {
    expect(() => chooseRate(rates.slice(1), 'overnight')).toThrow(BusinessRuleViolation);
  });
});
