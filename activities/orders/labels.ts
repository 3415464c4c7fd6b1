import { QueryTypes, type Sequelize } from 'sequelize';
import { modelsOf } from '../../db/models';
import type { Address, ShippingService } from '../../domain/orders/order';
import { chooseRate, type CarrierQuoteView } from '../../domain/orders/rates';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import type { ConnectorRegistry } from '../../connectors/registry';
import { refusingNonRetryably } from '../shared/failures';
import { buyOnce, createCarrierShipment, type PurchasedLabel } from './shipping';

export interface QuoteParcelRequest {
  tenantId: string;
  orderKey: string;
  shipmentKey: string;
  connectorId: string;
  fromLocationId: string;
  to: Address;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface BuyLabelRequest {
  tenantId: string;
  orderKey: string;
  shipmentKey: string;
  locationId: string;
  connectorId: string;
  carrierShipmentId: string;
  rateId: string;
  service: ShippingService;
}

export interface BoughtLabel extends PurchasedLabel {
  connectorId: string;
}

/**
 * Rate shopping and label purchase for one parcel. A quote is one carrier shipment per carrier
 * and parcel, kept, so a retry quotes nothing twice. The purchase claims the parcel's shipment
 * row for one carrier shipment (compare-and-set) before buying: one label per parcel, ever.
 */
export function createLabelActivities(deps: { sequelize: Sequelize; connectors: ConnectorRegistry }) {
  return {
    async quoteParcel(request: QuoteParcelRequest): Promise<CarrierQuoteView> {
      return refusingNonRetryably(async () => {
        const where = {
          tenantId: request.tenantId,
          shipmentKey: request.shipmentKey,
          connectorId: request.connectorId,
        };
        const existing = await modelsOf(deps.sequelize).CarrierQuote.findOne({ where });
        if (existing)
          return {
            connectorId: request.connectorId,
            carrierShipmentId: existing.carrierShipmentId,
            rates: existing.rates,
          };
        const shipment = await createCarrierShipment(
          deps.sequelize,
          deps.connectors.carrier(request.connectorId),
          request,
        );
        await deps.sequelize.query(
          `INSERT INTO carrier_quotes (tenant_id, shipment_key, connector_id, carrier_shipment_id, rates)
           VALUES (:tenantId, :shipmentKey, :connectorId, :carrierShipmentId, :rates) ON CONFLICT DO NOTHING`,
          {
            replacements: { ...where, carrierShipmentId: shipment.id, rates: JSON.stringify(shipment.rates) },
          },
        );
        const kept = (await modelsOf(deps.sequelize).CarrierQuote.findOne({ where }))!;
        return {
          connectorId: request.connectorId,
          carrierShipmentId: kept.carrierShipmentId,
          rates: kept.rates,
        };
      });
    },

    async buyLabel(request: BuyLabelRequest): Promise<BoughtLabel> {
      return refusingNonRetryably(async () => {
        const key = { tenantId: request.tenantId, shipmentKey: request.shipmentKey };
        await modelsOf(deps.sequelize).Shipment.findOrCreate({
          where: key,
          defaults: {
            ...key,
            orderKey: request.orderKey,
            connectorId: request.connectorId,
            locationId: request.locationId,
          },
        });
        await deps.sequelize.query(
          `UPDATE shipments SET carrier_shipment_id = :carrierShipmentId, connector_id = :connectorId,
                  location_id = :locationId, status = 'created', updated_at = now()
            WHERE tenant_id = :tenantId AND shipment_key = :shipmentKey AND carrier_shipment_id IS NULL`,
          {
            replacements: {
              ...key,
              carrierShipmentId: request.carrierShipmentId,
              connectorId: request.connectorId,
              locationId: request.locationId,
            },
            type: QueryTypes.UPDATE,
          },
        );
        const row = (await modelsOf(deps.sequelize).Shipment.findOne({ where: key }))!;
        if (row.status === 'voided')
          throw new BusinessRuleViolation('LabelVoided', [`the label of ${request.shipmentKey} was voided`]);
        // Whoever claimed the parcel first decides the carrier shipment; a later attempt follows it.
        const carrier = deps.connectors.carrier(row.connectorId);
        const label = await buyOnce(deps.sequelize, carrier, key, row.carrierShipmentId!, (rates) =>
          row.carrierShipmentId === request.carrierShipmentId
            ? request.rateId
            : chooseRate(rates, request.service).id,
        );
        return { ...label, connectorId: row.connectorId };
      });
    },

    /** Compensation for buyLabel: asks the carrier to refund the postage; voiding twice is a no-op. */
    async voidLabel(ref: { tenantId: string; shipmentKey: string }): Promise<'voided' | 'nothing_to_void'> {
      const row = await modelsOf(deps.sequelize).Shipment.findOne({ where: ref });
      if (!row?.carrierShipmentId || row.status === 'voided')
        return row?.status === 'voided' ? 'voided' : 'nothing_to_void';
      // A claimed parcel may have been bought even if the answer was lost: ask the carrier.
      const carrier = deps.connectors.carrier(row.connectorId);
      const shipment = await carrier.getShipment(row.carrierShipmentId);
      if (shipment.labelUrl) await carrier.refund(row.carrierShipmentId);
      await row.update({ status: 'voided' });
      return 'voided';
    },
  };
}
