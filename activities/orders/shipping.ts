import type { Sequelize } from 'sequelize';
import { getLocation, parcelFor } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import { labelObjectKey } from '../../domain/orders/ids';
import type { Address, ShippingService } from '../../domain/orders/order';
import { chooseRate, type CarrierRate } from '../../domain/orders/rates';
import type { CarrierConnector, CarrierShipment } from '../../connectors/carriers/carrier';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import type { ConnectorRegistry } from '../../connectors/registry';
import type { ObjectStorage } from '../../platform/storage';
import { refusingNonRetryably } from '../shared/failures';

export interface PurchaseLabelRequest {
  tenantId: string;
  orderKey: string;
  shipmentKey: string;
  connectorId: string;
  fromLocationId: string;
  to: Address;
  service: ShippingService;
  lines: Array<{ sku: string; quantity: number }>;
}

export interface PurchasedLabel {
  carrierShipmentId: string;
  carrier: string;
  trackingCode: string;
  labelUrl: string;
  rate: { service: string; amount: string; currency: string };
}

export interface ArchiveLabelRequest {
  tenantId: string;
  shipmentKey: string;
  connectorId: string;
}

/**
 * A carrier shipment for one parcel, from its location to the customer (or, for a return, from
 * the customer back to the location): the carrier quotes it.
 */
export async function createCarrierShipment(
  sequelize: Sequelize,
  carrier: CarrierConnector,
  parcel: {
    tenantId: string;
    shipmentKey: string;
    fromLocationId: string;
    to: Address;
    lines: Array<{ sku: string; quantity: number }>;
    isReturn?: boolean;
  },
): Promise<CarrierShipment> {
  const location = await getLocation(sequelize, parcel.tenantId, parcel.fromLocationId);
  if (!location) {
    throw new BusinessRuleViolation('UnknownLocation', [`location ${parcel.fromLocationId} does not exist`]);
  }
  return carrier.createShipment({
    reference: parcel.shipmentKey,
    from: parcel.isReturn ? parcel.to : location.address,
    to: parcel.isReturn ? location.address : parcel.to,
    ...(await parcelFor(sequelize, parcel.tenantId, parcel.lines)),
    ...(parcel.isReturn ? { isReturn: true } : {}),
  });
}

/**
 * The one carrier shipment of a parcel: the first attempt to record one (compare-and-set on the
 * parcel's row) wins, and every later or racing attempt follows it.
 */
export async function claimCarrierShipment(
  sequelize: Sequelize,
  key: { tenantId: string; shipmentKey: string },
  row: { orderKey: string; connectorId: string; locationId?: string },
  create: () => Promise<CarrierShipment>,
): Promise<string> {
  const [existing] = await modelsOf(sequelize).Shipment.findOrCreate({
    where: key,
    defaults: { ...key, ...row },
  });
  if (existing.carrierShipmentId) return existing.carrierShipmentId;
  const created = await create();
  await modelsOf(sequelize).Shipment.update(
    { carrierShipmentId: created.id, status: 'created' },
    { where: { ...key, carrierShipmentId: null } },
  );
  const winner = await modelsOf(sequelize).Shipment.findOne({ where: key });
  return winner!.carrierShipmentId!;
}

/**
 * Buys a carrier shipment unless it already has postage (a retry after a lost answer), records
 * the label on the parcel's row and returns it. A bought shipment is never bought again.
 */
export async function buyOnce(
  sequelize: Sequelize,
  carrier: CarrierConnector,
  parcel: { tenantId: string; shipmentKey: string },
  carrierShipmentId: string,
  pickRateId: (rates: CarrierRate[]) => string,
): Promise<PurchasedLabel> {
  let shipment = await carrier.getShipment(carrierShipmentId);
  if (!shipment.labelUrl) shipment = await carrier.buy(carrierShipmentId, pickRateId(shipment.rates));
  const rate = shipment.selectedRate;
  if (!shipment.labelUrl || !shipment.trackingCode || !rate) {
    throw new Error(`carrier shipment ${carrierShipmentId} was bought but has no label yet`);
  }
  await modelsOf(sequelize).Shipment.update(
    {
      status: 'purchased',
      trackingCode: shipment.trackingCode,
      labelUrl: shipment.labelUrl,
      rate: { carrier: rate.carrier, service: rate.service, amount: rate.amount, currency: rate.currency },
    },
    { where: parcel },
  );
  return {
    carrierShipmentId,
    carrier: rate.carrier,
    trackingCode: shipment.trackingCode,
    labelUrl: shipment.labelUrl,
    rate: { service: rate.service, amount: rate.amount, currency: rate.currency },
  };
}

/**
 * Label purchase that can be retried and raced without buying twice: every attempt converges on
 * the one carrier shipment recorded for the shipment key (compare-and-set), and a carrier
 * shipment can only be bought once.
 */
export function createShippingActivities(deps: {
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
}) {
  return {
    async purchaseLabel(request: PurchaseLabelRequest): Promise<PurchasedLabel> {
      return refusingNonRetryably(async () => {
        const carrier = deps.connectors.carrier(request.connectorId);
        const carrierShipmentId = await claimCarrierShipment(
          deps.sequelize,
          { tenantId: request.tenantId, shipmentKey: request.shipmentKey },
          { orderKey: request.orderKey, connectorId: request.connectorId },
          () => createCarrierShipment(deps.sequelize, carrier, request),
        );
        return buyOnce(
          deps.sequelize,
          carrier,
          { tenantId: request.tenantId, shipmentKey: request.shipmentKey },
          carrierShipmentId,
          (rates) => chooseRate(rates, request.service).id,
        );
      });
    },

    /** Copies the label document into our storage under a key derived from the shipment. */
    async archiveLabel(request: ArchiveLabelRequest): Promise<string> {
      const row = await modelsOf(deps.sequelize).Shipment.findOne({
        where: { tenantId: request.tenantId, shipmentKey: request.shipmentKey },
      });
      if (!row?.labelUrl) throw new Error(`shipment ${request.shipmentKey} has no purchased label`);
      const key = labelObjectKey(request.tenantId, request.shipmentKey);
      if (!(row.labelKey === key && (await deps.storage.exists(key)))) {
        const pdf = await deps.connectors.carrier(request.connectorId).fetchLabel(row.labelUrl);
        await deps.storage.put(key, pdf, 'application/pdf', pdf.length);
        await row.update({ labelKey: key });
      }
      return key;
    },
  };
}
