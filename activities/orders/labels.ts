import { QueryTypes, type Sequelize } from 'sequelize';
import { parcelFrom, parcelItemsColumn, parcelOfItems, type ParcelItem } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import { labelObjectKey } from '../../domain/orders/ids';
import type { Address, ShippingService } from '../../domain/orders/order';
import { chooseRate, type CarrierQuoteView, type CarrierRate } from '../../domain/orders/rates';
import type { CarrierConnector, CarrierShipment } from '../../connectors/carriers/carrier';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import type { ConnectorRegistry } from '../../connectors/registry';
import { labelsBought } from '../../platform/metrics';
import type { ObjectStorage } from '../../platform/storage';
import { refusingNonRetryably } from '../shared/failures';
import { rowsOf } from '../../db/statements';

/** One parcel to quote: its order and shipment, the carrier asked, from where to whom, and what. */
export interface QuoteParcelRequest {
  tenantId: string;
  orderKey: string;
  shipmentKey: string;
  connectorId: string;
  fromLocationId: string;
  to: Address;
  lines: Array<{ sku: string; quantity: number }>;
}

/** The first order workflow's quote-and-buy names the service up front. */
export interface PurchaseLabelRequest extends QuoteParcelRequest {
  service: ShippingService;
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
  /** The location's address and the parcel (null: no such location), when the caller has read them. */
  origin?: ParcelOrigin | null,
): Promise<CarrierShipment> {
  const from =
    origin === undefined
      ? await parcelFrom(sequelize, parcel.tenantId, parcel.fromLocationId, parcel.lines)
      : origin;
  if (!from) {
    throw new BusinessRuleViolation('UnknownLocation', [`location ${parcel.fromLocationId} does not exist`]);
  }
  return carrier.createShipment({
    reference: parcel.shipmentKey,
    from: parcel.isReturn ? parcel.to : from.address,
    to: parcel.isReturn ? from.address : parcel.to,
    ...from.parcel,
    ...(parcel.isReturn ? { isReturn: true } : {}),
  });
}

/**
 * The parcel's shipment row, unless it is there already: one statement. (Sequelize's findOrCreate
 * took five, a transaction and a temporary function among them, on every order's path.)
 */
async function insertShipmentRow(
  sequelize: Sequelize,
  row: { tenantId: string; shipmentKey: string; orderKey: string; connectorId: string; locationId?: string },
): Promise<void> {
  await sequelize.query(
    `INSERT INTO shipments (tenant_id, shipment_key, order_key, connector_id, location_id)
     VALUES (:tenantId, :shipmentKey, :orderKey, :connectorId, :locationId) ON CONFLICT DO NOTHING`,
    { replacements: { locationId: null, ...row }, type: QueryTypes.INSERT },
  );
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
  await insertShipmentRow(sequelize, { ...key, ...row });
  const existing = (await modelsOf(sequelize).Shipment.findOne({ where: key }))!;
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
  /** The rate to buy, or how to pick it from the shipment's rates when it is not known yet. */
  rateToBuy: string | ((rates: CarrierRate[]) => string),
): Promise<PurchasedLabel> {
  // A known rate is bought at once: buying a shipment that already has postage reads it back.
  let shipment =
    typeof rateToBuy === 'string'
      ? await carrier.buy(carrierShipmentId, rateToBuy)
      : await carrier.getShipment(carrierShipmentId);
  if (!shipment.labelUrl && typeof rateToBuy !== 'string')
    shipment = await carrier.buy(carrierShipmentId, rateToBuy(shipment.rates));
  const rate = shipment.selectedRate;
  if (!shipment.labelUrl || !shipment.trackingCode || !rate) {
    throw new Error(`carrier shipment ${carrierShipmentId} was bought but has no label yet`);
  }
  // Counted when the parcel turns `purchased`: once per label, however often this step runs.
  const recorded = await rowsOf(
    sequelize,
    `UPDATE shipments SET status = 'purchased', tracking_code = $3, label_url = $4, rate = $5, updated_at = now()
      WHERE tenant_id = $1 AND shipment_key = $2 AND status != 'purchased' RETURNING 1`,
    [
      parcel.tenantId,
      parcel.shipmentKey,
      shipment.trackingCode,
      shipment.labelUrl,
      JSON.stringify({
        carrier: rate.carrier,
        service: rate.service,
        amount: rate.amount,
        currency: rate.currency,
      }),
    ],
  );
  if (recorded.length > 0) labelsBought.inc({ tenant: parcel.tenantId, connector: carrier.connectorId });
  return {
    carrierShipmentId,
    carrier: rate.carrier,
    trackingCode: shipment.trackingCode,
    labelUrl: shipment.labelUrl,
    rate: { service: rate.service, amount: rate.amount, currency: rate.currency },
  };
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

/** The parcel's row as the label steps read it. */
interface ParcelRow {
  status: string;
  connectorId: string;
  carrierShipmentId: string | null;
  labelUrl: string | null;
  labelKey: string | null;
}

/** ParcelRow's columns, as a read or a write's RETURNING names them. */
const PARCEL_ROW_COLUMNS = `status, connector_id AS "connectorId", carrier_shipment_id AS "carrierShipmentId",
            label_url AS "labelUrl", label_key AS "labelKey"`;

/**
 * Reads the parcel's row. Plain reads here and in `keptQuote`, not model instances: each order
 * makes several, and a model read costs about three times the CPU (docs/benchmarks.md).
 */
async function parcelRow(
  sequelize: Sequelize,
  key: { tenantId: string; shipmentKey: string },
): Promise<ParcelRow | undefined> {
  const [row] = await rowsOf<ParcelRow>(
    sequelize,
    `SELECT ${PARCEL_ROW_COLUMNS} FROM shipments WHERE tenant_id = $1 AND shipment_key = $2`,
    [key.tenantId, key.shipmentKey],
  );
  return row;
}

/** The quote kept for a parcel and carrier connector: the carrier shipment and its rates. */
interface KeptQuote {
  carrierShipmentId: string;
  rates: CarrierRate[];
}

/** KeptQuote's columns, as a read or a write's RETURNING names them. */
const KEPT_QUOTE_COLUMNS = `carrier_shipment_id AS "carrierShipmentId", rates`;

/** The kept quote of the tenant in $1, the parcel in $2 and the carrier connector in $3. */
const KEPT_QUOTE = `SELECT ${KEPT_QUOTE_COLUMNS} FROM carrier_quotes
      WHERE tenant_id = $1 AND shipment_key = $2 AND connector_id = $3`;

/**
 * What quoting a parcel with one carrier needs, in one read: the quote kept for it, if one was
 * (a retry quotes nothing twice), else the location's address and the parcel (null when there is
 * no such location).
 */
async function quoteInputs(
  sequelize: Sequelize,
  request: QuoteParcelRequest,
): Promise<{ kept: KeptQuote } | { kept?: undefined; origin: ParcelOrigin | null }> {
  const [row] = await rowsOf<{
    kept: KeptQuote | null;
    address: Address | null;
    items: ParcelItem[];
  }>(
    sequelize,
    `SELECT (SELECT row_to_json(q) FROM (${KEPT_QUOTE}) q) AS kept, l.address, ${parcelItemsColumn('$1', '$5')}
       FROM (SELECT 1) AS one LEFT JOIN locations l ON l.tenant_id = $1 AND l.id = $4`,
    [
      request.tenantId,
      request.shipmentKey,
      request.connectorId,
      request.fromLocationId,
      request.lines.map((line) => line.sku),
    ],
  );
  const { kept, address, items } = row!;
  if (kept) return { kept };
  return { origin: address ? { address, parcel: parcelOfItems(request.lines, items) } : null };
}

/** Where a parcel leaves from and what it is, as a carrier is asked to quote it. */
type ParcelOrigin = NonNullable<Awaited<ReturnType<typeof parcelFrom>>>;

/** The quote kept for a parcel and carrier connector, if one was. */
async function keptQuote(
  sequelize: Sequelize,
  key: { tenantId: string; shipmentKey: string; connectorId: string },
): Promise<KeptQuote | undefined> {
  const [quote] = await rowsOf<KeptQuote>(sequelize, KEPT_QUOTE, [
    key.tenantId,
    key.shipmentKey,
    key.connectorId,
  ]);
  return quote;
}

/**
 * Rate shopping and label purchase for one parcel. A quote is one carrier shipment per carrier
 * and parcel, kept, so a retry quotes nothing twice. The purchase claims the parcel's shipment
 * row for one carrier shipment (compare-and-set) before buying: one label per parcel, ever. The
 * bought label's PDF is then archived in our storage. `purchaseLabel` is the first order
 * workflow's quote-and-buy in one step, kept for runs still open.
 */
export function createLabelActivities(deps: {
  sequelize: Sequelize;
  storage: ObjectStorage;
  connectors: ConnectorRegistry;
}) {
  /**
   * Copies the label document into our storage under a key derived from the shipment. The
   * parcel's row is read unless the caller has just read it (the label steps in one).
   */
  async function archive(
    request: ArchiveLabelRequest,
    known?: Pick<ParcelRow, 'labelUrl' | 'labelKey'>,
  ): Promise<string> {
    const row = known ?? (await parcelRow(deps.sequelize, request));
    if (!row?.labelUrl) throw new Error(`shipment ${request.shipmentKey} has no purchased label`);
    const key = labelObjectKey(request.tenantId, request.shipmentKey);
    if (!(row.labelKey === key && (await deps.storage.exists(key)))) {
      const pdf = await deps.connectors.carrier(request.connectorId).fetchLabel(row.labelUrl);
      await deps.storage.put(key, pdf, 'application/pdf', pdf.length);
      await rowsOf(
        deps.sequelize,
        `UPDATE shipments SET label_key = $3, updated_at = now() WHERE tenant_id = $1 AND shipment_key = $2`,
        [request.tenantId, request.shipmentKey, key],
      );
    }
    return key;
  }

  /**
   * Claims the parcel's row for one carrier shipment and buys that shipment's label once. The row
   * is created claimed, or claimed if no carrier shipment holds it yet; whoever claimed it first
   * decides the carrier shipment, and a later attempt follows it. Answers the label and the row
   * as it stood before the purchase (its archive key with it).
   */
  async function buy(request: BuyLabelRequest): Promise<{ label: BoughtLabel; row: ParcelRow }> {
    return refusingNonRetryably(async () => {
      const key = { tenantId: request.tenantId, shipmentKey: request.shipmentKey };
      // Claimed by this statement, it answers the row; claimed before (a retry, a racing attempt), it is read.
      const [claimed] = await rowsOf<ParcelRow>(
        deps.sequelize,
        `INSERT INTO shipments AS s (tenant_id, shipment_key, order_key, connector_id, location_id,
                carrier_shipment_id, status)
         VALUES ($1, $2, $3, $4, $5, $6, 'created')
         ON CONFLICT (tenant_id, shipment_key) DO UPDATE
            SET carrier_shipment_id = EXCLUDED.carrier_shipment_id, connector_id = EXCLUDED.connector_id,
                location_id = EXCLUDED.location_id, status = 'created', updated_at = now()
          WHERE s.carrier_shipment_id IS NULL
         RETURNING ${PARCEL_ROW_COLUMNS}`,
        [
          key.tenantId,
          key.shipmentKey,
          request.orderKey,
          request.connectorId,
          request.locationId,
          request.carrierShipmentId,
        ],
      );
      const row = claimed ?? (await parcelRow(deps.sequelize, key))!;
      if (row.status === 'voided')
        throw new BusinessRuleViolation('LabelVoided', [`the label of ${request.shipmentKey} was voided`]);
      const carrier = deps.connectors.carrier(row.connectorId);
      const label = await buyOnce(
        deps.sequelize,
        carrier,
        key,
        row.carrierShipmentId!,
        row.carrierShipmentId === request.carrierShipmentId
          ? request.rateId
          : (rates) => chooseRate(rates, request.service).id,
      );
      return { label: { ...label, connectorId: row.connectorId }, row };
    });
  }

  return {
    async quoteParcel(request: QuoteParcelRequest): Promise<CarrierQuoteView> {
      return refusingNonRetryably(async () => {
        const where = {
          tenantId: request.tenantId,
          shipmentKey: request.shipmentKey,
          connectorId: request.connectorId,
        };
        const inputs = await quoteInputs(deps.sequelize, request);
        if (inputs.kept)
          return {
            connectorId: request.connectorId,
            carrierShipmentId: inputs.kept.carrierShipmentId,
            rates: inputs.kept.rates,
          };
        const shipment = await createCarrierShipment(
          deps.sequelize,
          deps.connectors.carrier(request.connectorId),
          request,
          inputs.origin,
        );
        // The first quote kept wins: a racing attempt's is read back instead of its own.
        const [inserted] = await rowsOf<KeptQuote>(
          deps.sequelize,
          `INSERT INTO carrier_quotes (tenant_id, shipment_key, connector_id, carrier_shipment_id, rates)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${KEPT_QUOTE_COLUMNS}`,
          [where.tenantId, where.shipmentKey, where.connectorId, shipment.id, JSON.stringify(shipment.rates)],
        );
        const kept = inserted ?? (await keptQuote(deps.sequelize, where))!;
        return {
          connectorId: request.connectorId,
          carrierShipmentId: kept.carrierShipmentId,
          rates: kept.rates,
        };
      });
    },

    async buyLabel(request: BuyLabelRequest): Promise<BoughtLabel> {
      return (await buy(request)).label;
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

    async archiveLabel(request: ArchiveLabelRequest): Promise<string> {
      return archive(request);
    },

    /**
     * `buyLabel`, then `archiveLabel` of the label it bought, in one step: a retry buys nothing
     * twice (see `buyOnce`) and archives what is not archived yet.
     */
    async buyAndArchiveLabel(request: BuyLabelRequest): Promise<BoughtLabel & { labelKey: string }> {
      const { label, row } = await buy(request);
      const labelKey = await archive(
        { tenantId: request.tenantId, shipmentKey: request.shipmentKey, connectorId: label.connectorId },
        { labelUrl: label.labelUrl, labelKey: row.labelKey },
      );
      return { ...label, labelKey };
    },
  };
}
