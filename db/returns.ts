import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import {
  checkReturnEligibility,
  computeRefund,
  type DeliveredOrder,
  type Eligibility,
  type ReceivedLine,
  type RefundBreakdown,
  type RefundedUnits,
  type ReturnLineRequest,
  type ReturnPolicy,
} from '../domain/returns/policy';
import { BusinessRuleViolation } from '../domain/shared/errors';
import { changeOnHandWithin } from './inventory';

type Units = Array<{ sku: string; quantity: number }>;

interface ReturnRow {
  rma_id: string;
  order_key: string;
  order_id: string;
  status: 'open' | 'received' | 'refunded' | 'closed' | 'void';
  origin: string;
  lines: Units;
  received: Array<ReceivedLine & { note?: string }> | null;
  refunded_units: RefundedUnits;
  refund: RefundBreakdown | null;
  created_at: Date;
}

export interface ReturnSummary {
  id: string;
  status: ReturnRow['status'];
  lines: Units;
  refunded?: string;
  createdAt: string;
}

/** Every return of one order takes this lock, so two of them never both claim the same units. */
async function lockOrder(sequelize: Sequelize, transaction: Transaction, tenantId: string, orderKey: string) {
  await sequelize.query(`SELECT pg_advisory_xact_lock(hashtext(:key))`, {
    replacements: { key: `returns:${tenantId}:${orderKey}` },
    transaction,
  });
}

async function rowsOfOrder(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  transaction?: Transaction,
): Promise<ReturnRow[]> {
  return sequelize.query<ReturnRow>(
    `SELECT * FROM returns WHERE tenant_id = :tenantId AND order_key = :orderKey ORDER BY created_at, rma_id`,
    { replacements: { tenantId, orderKey }, type: QueryTypes.SELECT, transaction },
  );
}

async function rowOf(
  sequelize: Sequelize,
  tenantId: string,
  rmaId: string,
  transaction?: Transaction,
): Promise<ReturnRow | undefined> {
  const [row] = await sequelize.query<ReturnRow>(
    `SELECT * FROM returns WHERE tenant_id = :tenantId AND rma_id = :rmaId ${transaction ? 'FOR UPDATE' : ''}`,
    { replacements: { tenantId, rmaId }, type: QueryTypes.SELECT, transaction },
  );
  return row;
}

/** Units that other returns of the order still hold: everything but voided returns. */
export async function heldByReturns(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
  exceptRmaId?: string,
  transaction?: Transaction,
): Promise<Array<{ lines: Units }>> {
  const rows = await rowsOfOrder(sequelize, tenantId, orderKey, transaction);
  return rows.filter((r) => r.status !== 'void' && r.rma_id !== exceptRmaId).map((r) => ({ lines: r.lines }));
}

export interface ReturnRegistration {
  tenantId: string;
  rmaId: string;
  orderKey: string;
  orderId: string;
  origin: string;
  order: DeliveredOrder;
  lines: ReturnLineRequest[];
  now: string;
  policy: ReturnPolicy;
}

/**
 * Admits a return if the order's rules allow it, under the order's lock: the eligibility check
 * and the claim on the units are one step. A retry of an admitted return is admitted again.
 */
export async function registerReturn(
  sequelize: Sequelize,
  request: ReturnRegistration,
): Promise<Eligibility> {
  return sequelize.transaction(async (transaction) => {
    await lockOrder(sequelize, transaction, request.tenantId, request.orderKey);
    const existing = await rowOf(sequelize, request.tenantId, request.rmaId, transaction);
    if (existing)
      return existing.status === 'void'
        ? { ok: false, reasons: [`return ${request.rmaId} was already closed`] }
        : { ok: true };
    const others = await heldByReturns(sequelize, request.tenantId, request.orderKey, undefined, transaction);
    const eligibility = checkReturnEligibility(
      request.order,
      others,
      request.lines,
      request.now,
      request.policy,
    );
    if (!eligibility.ok) return eligibility;
    await sequelize.query(
      `INSERT INTO returns (tenant_id, rma_id, order_key, order_id, origin, lines)
       VALUES (:tenantId, :rmaId, :orderKey, :orderId, :origin, :lines)`,
      {
        replacements: {
          ...request,
          lines: JSON.stringify(request.lines.map(({ sku, quantity }) => ({ sku, quantity }))),
        },
        transaction,
      },
    );
    return eligibility;
  });
}

/** A rejected or expired return gives its units back to the order. */
export async function voidReturn(sequelize: Sequelize, tenantId: string, rmaId: string): Promise<void> {
  await sequelize.query(
    `UPDATE returns SET status = 'void', updated_at = now()
      WHERE tenant_id = :tenantId AND rma_id = :rmaId AND status = 'open'`,
    { replacements: { tenantId, rmaId } },
  );
}

export interface ReturnReceipt {
  tenantId: string;
  rmaId: string;
  locationId: string;
  lines: Array<ReceivedLine & { note?: string }>;
}

/**
 * Goods in, once: sellable units go back on hand at the receiving location, damaged ones are
 * written off with their reason; the return then holds what arrived, not what was asked for.
 */
export async function receiveReturn(sequelize: Sequelize, receipt: ReturnReceipt): Promise<void> {
  const location = await sequelize.query(
    `SELECT 1 FROM locations WHERE tenant_id = :tenantId AND id = :locationId`,
    {
      replacements: { tenantId: receipt.tenantId, locationId: receipt.locationId },
      type: QueryTypes.SELECT,
    },
  );
  if (location.length === 0)
    throw new BusinessRuleViolation('UnknownLocation', [
      `location ${receipt.locationId} does not exist for tenant ${receipt.tenantId}`,
    ]);
  await sequelize.transaction(async (transaction) => {
    const row = await rowOf(sequelize, receipt.tenantId, receipt.rmaId, transaction);
    if (!row) throw new Error(`return ${receipt.rmaId} is not registered`);
    if (row.status !== 'open') return; // a retry after the receipt committed
    const reason = `returned on ${receipt.rmaId}`;
    for (const line of receipt.lines.filter((l) => l.quantity > 0)) {
      if (line.condition === 'sellable') {
        await changeOnHandWithin(sequelize, transaction, {
          tenantId: receipt.tenantId,
          sku: line.sku,
          locationId: receipt.locationId,
          adjust: line.quantity,
          reason,
          reference: receipt.rmaId,
          kind: 'return_restock',
        });
      } else {
        await sequelize.query(
          `INSERT INTO inventory_movements (tenant_id, sku, location_id, kind, on_hand_delta, reference, reason)
           VALUES (:tenantId, :sku, :locationId, 'write_off', 0, :rmaId, :reason)`,
          {
            replacements: {
              ...receipt,
              sku: line.sku,
              reason: `damaged, ${line.quantity} written off on ${receipt.rmaId}${line.note ? `: ${line.note}` : ''}`,
            },
            transaction,
          },
        );
      }
    }
    const held = new Map<string, number>();
    for (const line of receipt.lines) held.set(line.sku, (held.get(line.sku) ?? 0) + line.quantity);
    await sequelize.query(
      `UPDATE returns SET status = 'received', received = :received, lines = :lines, updated_at = now()
        WHERE tenant_id = :tenantId AND rma_id = :rmaId`,
      {
        replacements: {
          ...receipt,
          received: JSON.stringify(receipt.lines),
          lines: JSON.stringify(
            [...held].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity })),
          ),
        },
        transaction,
      },
    );
  });
}

/**
 * The refund of a received return, computed once under the order's lock from the units earlier
 * returns already refunded, and kept: a retry answers with the refund already computed.
 */
export async function settleRefund(
  sequelize: Sequelize,
  request: { tenantId: string; rmaId: string; order: DeliveredOrder; policy: ReturnPolicy },
): Promise<RefundBreakdown> {
  const first = await rowOf(sequelize, request.tenantId, request.rmaId);
  if (!first) throw new Error(`return ${request.rmaId} is not registered`);
  return sequelize.transaction(async (transaction) => {
    await lockOrder(sequelize, transaction, request.tenantId, first.order_key);
    const row = (await rowOf(sequelize, request.tenantId, request.rmaId, transaction))!;
    if (row.refund) return row.refund;
    if (!row.received) throw new Error(`return ${request.rmaId} has not been received`);
    const refunded: RefundedUnits = {};
    for (const other of await rowsOfOrder(sequelize, request.tenantId, row.order_key, transaction)) {
      if (other.rma_id === row.rma_id) continue;
      for (const [sku, units] of Object.entries(other.refunded_units))
        refunded[sku] = (refunded[sku] ?? 0) + units;
    }
    const refund = computeRefund(request.order, row.received, refunded, request.policy);
    const units = Object.fromEntries(refund.lines.map((l) => [l.sku, l.quantity]));
    await sequelize.query(
      `UPDATE returns SET refund = :refund, refunded_units = :units, updated_at = now()
        WHERE tenant_id = :tenantId AND rma_id = :rmaId`,
      {
        replacements: { ...request, refund: JSON.stringify(refund), units: JSON.stringify(units) },
        transaction,
      },
    );
    return refund;
  });
}

/** The end of a settled return: `refunded` when money went back, `closed` when there was none to pay. */
export async function closeReturn(
  sequelize: Sequelize,
  tenantId: string,
  rmaId: string,
  status: 'refunded' | 'closed',
): Promise<void> {
  await sequelize.query(
    `UPDATE returns SET status = :status, updated_at = now() WHERE tenant_id = :tenantId AND rma_id = :rmaId`,
    { replacements: { tenantId, rmaId, status } },
  );
}

/** Returns of an order, oldest first, for the order's own view. */
export async function returnsOfOrder(
  sequelize: Sequelize,
  tenantId: string,
  orderKey: string,
): Promise<ReturnSummary[]> {
  return (await rowsOfOrder(sequelize, tenantId, orderKey)).map((row) => ({
    id: row.rma_id,
    status: row.status,
    lines: row.lines,
    ...(row.refund ? { refunded: row.refund.total } : {}),
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

/**
 * A refund the channel made without the hub (in Shopify's admin): kept as a settled return so
 * its units are never returned or refunded a second time. Recording it twice changes nothing.
 */
export async function recordChannelRefund(
  sequelize: Sequelize,
  refund: {
    tenantId: string;
    rmaId: string;
    orderKey: string;
    orderId: string;
    lines: Units;
    amount: string;
    currency: string;
  },
): Promise<boolean> {
  return sequelize.transaction(async (transaction) => {
    await lockOrder(sequelize, transaction, refund.tenantId, refund.orderKey);
    const units = Object.fromEntries(refund.lines.map((l) => [l.sku, l.quantity]));
    const breakdown: RefundBreakdown = {
      currency: refund.currency,
      lines: [],
      shipping: '0.00',
      restockingFee: '0.00',
      total: refund.amount,
    };
    const inserted = await sequelize.query(
      `INSERT INTO returns (tenant_id, rma_id, order_key, order_id, status, origin, lines, refunded_units, refund)
       VALUES (:tenantId, :rmaId, :orderKey, :orderId, 'refunded', 'channel', :lines, :units, :refund)
       ON CONFLICT DO NOTHING RETURNING rma_id`,
      {
        replacements: {
          ...refund,
          lines: JSON.stringify(refund.lines),
          units: JSON.stringify(units),
          refund: JSON.stringify(breakdown),
        },
        type: QueryTypes.SELECT,
        transaction,
      },
    );
    return inserted.length > 0;
  });
}
