import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { CreditNoteDraft } from '../../domain/accounting/credit-note';
import type { Address } from '../../domain/orders/order';
import { chooseRate } from '../../domain/orders/rates';
import {
  closeReturn,
  receiveReturn,
  registerReturn,
  settleRefund,
  voidReturn,
  type ReturnReceipt,
  type ReturnRegistration,
} from '../../db/returns';
import type { DeliveredOrder, ReturnPolicy } from '../../domain/returns/policy';
import { idempotencyKey, postOnce, postToStoreOnce } from '../shared/postings';
import { buyOnce, claimCarrierShipment, createCarrierShipment, type BoughtLabel } from '../orders/labels';
import { refusingNonRetryably } from '../shared/failures';

/** Steps of a return on our own database; each is idempotent per RMA. */
export function createReturnCoreActivities(deps: { sequelize: Sequelize }) {
  return {
    registerReturn: (request: ReturnRegistration) => registerReturn(deps.sequelize, request),
    voidReturn: (ref: { tenantId: string; rmaId: string }) =>
      voidReturn(deps.sequelize, ref.tenantId, ref.rmaId),
    receiveReturnedGoods: (receipt: ReturnReceipt) =>
      refusingNonRetryably(() => receiveReturn(deps.sequelize, receipt)),
    settleReturnRefund: (request: {
      tenantId: string;
      rmaId: string;
      order: DeliveredOrder;
      policy: ReturnPolicy;
    }) => settleRefund(deps.sequelize, request),
    closeReturn: (ref: { tenantId: string; rmaId: string; status: 'refunded' | 'closed' }) =>
      closeReturn(deps.sequelize, ref.tenantId, ref.rmaId, ref.status),
  };
}

export interface ReturnLabelRequest {
  tenantId: string;
  /** Workflow id of the return: carrier scans of this label are signalled to it. */
  returnKey: string;
  shipmentKey: string;
  connectorId: string;
  /** Where the goods go back to. */
  locationId: string;
  customer: Address;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface ReturnRefundRequest {
  tenantId: string;
  connectorId: string;
  externalId: string;
  rmaId: string;
  note: string;
  lines: Array<{ channelLineId: string; quantity: number }>;
  shipping: string;
  amount: string;
}

/** A return's label, on its carrier's queue. */
export function createReturnLabelActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    /** One prepaid return label per RMA, the cheapest ground rate, never bought twice. */
    async buyReturnLabel(request: ReturnLabelRequest): Promise<BoughtLabel> {
      return refusingNonRetryably(async () => {
        const carrier = deps.connectors.carrier(request.connectorId);
        const key = { tenantId: request.tenantId, shipmentKey: request.shipmentKey };
        const carrierShipmentId = await claimCarrierShipment(
          deps.sequelize,
          key,
          { orderKey: request.returnKey, connectorId: request.connectorId, locationId: request.locationId },
          () =>
            createCarrierShipment(deps.sequelize, carrier, {
              tenantId: request.tenantId,
              shipmentKey: request.shipmentKey,
              fromLocationId: request.locationId,
              to: request.customer,
              lines: request.lines,
              isReturn: true,
            }),
        );
        const label = await buyOnce(
          deps.sequelize,
          carrier,
          key,
          carrierShipmentId,
          (rates) => chooseRate(rates, 'ground').id,
        );
        return { ...label, connectorId: request.connectorId };
      });
    },
  };
}

/** A return's refund on the channel it was sold through, on that store's queue. */
export function createReturnRefundActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async refundReturnOnChannel(request: ReturnRefundRequest): Promise<string> {
      return postToStoreOnce(deps, request, { kind: 'return-refund', reference: request.rmaId }, (store) =>
        store.refundReturn({
          orderId: request.externalId,
          reference: request.rmaId,
          note: request.note,
          lines: request.lines,
          shipping: request.shipping,
          amount: request.amount,
        }),
      );
    },
  };
}

/** A return's credit note, on the accounting connector's queue. */
export function createCreditNoteActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async postCreditNote(request: {
      tenantId: string;
      connectorId: string;
      note: CreditNoteDraft;
    }): Promise<string> {
      const connector = deps.connectors.accountingConnector(request.connectorId);
      return postOnce(
        deps.sequelize,
        {
          tenantId: request.tenantId,
          connectorId: request.connectorId,
          kind: 'credit-note',
          reference: request.note.reference,
        },
        async () =>
          (
            await connector.postCreditNote(
              request.note,
              idempotencyKey(request.note.reference, 'credit-note'),
            )
          ).id,
      );
    },
  };
}
