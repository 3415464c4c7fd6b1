import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { postToStoreOnce } from '../shared/postings';

export interface ChannelFulfilmentRequest {
  tenantId: string;
  connectorId: string;
  externalId: string;
  shipmentKey: string;
  trackingNumber: string;
  trackingCompany: string;
  lines: Array<{ channelLineId: string; quantity: number }>;
}

export interface ChannelRefundRequest {
  tenantId: string;
  connectorId: string;
  externalId: string;
  orderKey: string;
  amount: string;
  currency: string;
}

/** What the order's sales channel is told: parcels with tracking, and refunds of cancelled orders. */
export function createChannelActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async pushChannelFulfilment(request: ChannelFulfilmentRequest): Promise<string> {
      return postToStoreOnce(deps, request, { kind: 'fulfilment', reference: request.shipmentKey }, (store) =>
        store.fulfil({
          orderId: request.externalId,
          trackingNumber: request.trackingNumber,
          trackingCompany: request.trackingCompany,
          lines: request.lines,
        }),
      );
    },

    async refundOnChannel(request: ChannelRefundRequest): Promise<string> {
      return postToStoreOnce(deps, request, { kind: 'cancel-refund', reference: request.orderKey }, (store) =>
        store.cancelAndRefund(request.externalId, { amount: request.amount, currency: request.currency }),
      );
    },
  };
}
