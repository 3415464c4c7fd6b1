import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import { postOnce } from '../shared/postings';

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
      return postOnce(
        deps.sequelize,
        {
          tenantId: request.tenantId,
          connectorId: request.connectorId,
          kind: 'fulfilment',
          reference: request.shipmentKey,
        },
        () =>
          deps.connectors.shopifyStore(request.connectorId).fulfil({
            orderId: request.externalId,
            trackingNumber: request.trackingNumber,
            trackingCompany: request.trackingCompany,
            lines: request.lines,
          }),
      );
    },

    async refundOnChannel(request: ChannelRefundRequest): Promise<string> {
      return postOnce(
        deps.sequelize,
        {
          tenantId: request.tenantId,
          connectorId: request.connectorId,
          kind: 'cancel-refund',
          reference: request.orderKey,
        },
        () =>
          deps.connectors
            .shopifyStore(request.connectorId)
            .cancelAndRefund(request.externalId, { amount: request.amount, currency: request.currency }),
      );
    },
  };
}
