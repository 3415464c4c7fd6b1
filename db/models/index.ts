import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from 'sequelize';
import type { Address } from '../../domain/orders/order';
import type { CarrierRate } from '../../domain/orders/rates';

/**
 * Sequelize models over the migrated schema. Every model is keyed by tenant first.
 *
 * The classes below declare the rows' types only; they are never bound to a database. Queries go
 * through `modelsOf(sequelize)`, which binds a subclass of each to that handle, so two hubs (or a
 * test's hub and a benchmark's) in one process never share a connection pool through a model.
 */

export class Location extends Model<InferAttributes<Location>, InferCreationAttributes<Location>> {
  declare tenantId: string;
  declare id: string;
  declare name: string;
  declare address: Address;
  declare latitude: CreationOptional<number | null>;
  declare longitude: CreationOptional<number | null>;
}

export class Item extends Model<InferAttributes<Item>, InferCreationAttributes<Item>> {
  declare tenantId: string;
  declare sku: string;
  declare name: string;
  declare weightGrams: CreationOptional<number>;
  declare lowStockThreshold: CreationOptional<number>;
  declare reorderQuantity: CreationOptional<number>;
}

export class InventoryLevel extends Model<
  InferAttributes<InventoryLevel>,
  InferCreationAttributes<InventoryLevel>
> {
  declare tenantId: string;
  declare sku: string;
  declare locationId: string;
  declare onHand: number;
  declare reserved: CreationOptional<number>;
}

export class StockReservation extends Model<
  InferAttributes<StockReservation>,
  InferCreationAttributes<StockReservation>
> {
  declare tenantId: string;
  declare orderKey: string;
  declare sku: string;
  declare locationId: string;
  declare quantity: number;
  declare status: CreationOptional<'held' | 'released' | 'fulfilled'>;
}

/** Why stock moved: a count, a correction, an order's reservation and its fate, a return. */
export const MOVEMENT_KINDS = [
  'set',
  'adjust',
  'reserve',
  'release',
  'fulfil',
  'return_restock',
  'write_off',
] as const;

export class InventoryMovement extends Model<
  InferAttributes<InventoryMovement>,
  InferCreationAttributes<InventoryMovement>
> {
  declare id: CreationOptional<string>;
  declare tenantId: string;
  declare sku: string;
  declare locationId: string;
  declare kind: (typeof MOVEMENT_KINDS)[number];
  declare onHandDelta: CreationOptional<number>;
  declare reservedDelta: CreationOptional<number>;
  declare reference: CreationOptional<string | null>;
  declare reason: CreationOptional<string | null>;
  declare createdAt: CreationOptional<Date>;
}

export class Shipment extends Model<InferAttributes<Shipment>, InferCreationAttributes<Shipment>> {
  declare tenantId: string;
  declare shipmentKey: string;
  declare orderKey: string;
  declare connectorId: string;
  declare carrierShipmentId: CreationOptional<string | null>;
  declare status: CreationOptional<'pending' | 'created' | 'purchased' | 'voided'>;
  declare locationId: CreationOptional<string | null>;
  declare trackingStatus: CreationOptional<string | null>;
  declare trackingCode: CreationOptional<string | null>;
  declare labelUrl: CreationOptional<string | null>;
  declare labelKey: CreationOptional<string | null>;
  declare rate: CreationOptional<{
    service: string;
    amount: string;
    currency: string;
    carrier: string;
  } | null>;
  /** Last written: by a scan, or by the tracker reconcile asking the carrier. */
  declare updatedAt: CreationOptional<Date>;
}

export class CarrierQuote extends Model<
  InferAttributes<CarrierQuote>,
  InferCreationAttributes<CarrierQuote>
> {
  declare tenantId: string;
  declare shipmentKey: string;
  declare connectorId: string;
  declare carrierShipmentId: string;
  declare rates: CarrierRate[];
}

/**
 * One document or action posted to a partner (invoice, payment, fulfilment, refund), keyed by
 * our reference: written before the call with no remote id and completed after it, so a retry
 * first looks for what an earlier attempt may already have created.
 */
export class PartnerPosting extends Model<
  InferAttributes<PartnerPosting>,
  InferCreationAttributes<PartnerPosting>
> {
  declare tenantId: string;
  declare connectorId: string;
  declare kind: string;
  declare reference: string;
  declare remoteId: CreationOptional<string | null>;
  declare payload: CreationOptional<unknown>;
}

const tenantId = { type: DataTypes.TEXT, primaryKey: true, allowNull: false };

/** The models of one database handle. */
export interface Models {
  Location: typeof Location;
  Item: typeof Item;
  InventoryLevel: typeof InventoryLevel;
  StockReservation: typeof StockReservation;
  InventoryMovement: typeof InventoryMovement;
  Shipment: typeof Shipment;
  CarrierQuote: typeof CarrierQuote;
  PartnerPosting: typeof PartnerPosting;
}

const bound = new WeakMap<Sequelize, Models>();

/** The models bound to `sequelize`, defined on first use. */
export function modelsOf(sequelize: Sequelize): Models {
  let models = bound.get(sequelize);
  if (!models) {
    models = defineModels(sequelize);
    bound.set(sequelize, models);
  }
  return models;
}

function defineModels(sequelize: Sequelize): Models {
  const common = { sequelize, underscored: true, freezeTableName: true } as const;
  const models: Models = {
    Location: class extends Location {},
    Item: class extends Item {},
    InventoryLevel: class extends InventoryLevel {},
    StockReservation: class extends StockReservation {},
    InventoryMovement: class extends InventoryMovement {},
    Shipment: class extends Shipment {},
    CarrierQuote: class extends CarrierQuote {},
    PartnerPosting: class extends PartnerPosting {},
  };
  models.Location.init(
    {
      tenantId,
      id: { type: DataTypes.TEXT, primaryKey: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      address: { type: DataTypes.JSONB, allowNull: false },
      latitude: { type: DataTypes.DOUBLE },
      longitude: { type: DataTypes.DOUBLE },
    },
    { ...common, modelName: 'Location', tableName: 'locations', updatedAt: false },
  );
  models.Item.init(
    {
      tenantId,
      sku: { type: DataTypes.TEXT, primaryKey: true },
      name: { type: DataTypes.TEXT, allowNull: false },
      weightGrams: { type: DataTypes.INTEGER, defaultValue: 500 },
      lowStockThreshold: { type: DataTypes.INTEGER, defaultValue: 0 },
      reorderQuantity: { type: DataTypes.INTEGER, defaultValue: 0 },
    },
    { ...common, modelName: 'Item', tableName: 'items', updatedAt: false },
  );
  models.InventoryLevel.init(
    {
      tenantId,
      sku: { type: DataTypes.TEXT, primaryKey: true },
      locationId: { type: DataTypes.TEXT, primaryKey: true },
      onHand: { type: DataTypes.INTEGER, allowNull: false },
      reserved: { type: DataTypes.INTEGER, defaultValue: 0 },
    },
    { ...common, modelName: 'InventoryLevel', tableName: 'inventory_levels', createdAt: false },
  );
  models.StockReservation.init(
    {
      tenantId,
      orderKey: { type: DataTypes.TEXT, primaryKey: true },
      sku: { type: DataTypes.TEXT, primaryKey: true },
      locationId: { type: DataTypes.TEXT, primaryKey: true },
      quantity: { type: DataTypes.INTEGER, allowNull: false },
      status: { type: DataTypes.TEXT, defaultValue: 'held' },
    },
    { ...common, modelName: 'StockReservation', tableName: 'stock_reservations' },
  );
  models.InventoryMovement.init(
    {
      id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
      tenantId: { type: DataTypes.TEXT, allowNull: false },
      sku: { type: DataTypes.TEXT, allowNull: false },
      locationId: { type: DataTypes.TEXT, allowNull: false },
      kind: { type: DataTypes.TEXT, allowNull: false },
      onHandDelta: { type: DataTypes.INTEGER, defaultValue: 0 },
      reservedDelta: { type: DataTypes.INTEGER, defaultValue: 0 },
      reference: { type: DataTypes.TEXT },
      reason: { type: DataTypes.TEXT },
      createdAt: { type: DataTypes.DATE },
    },
    { ...common, modelName: 'InventoryMovement', tableName: 'inventory_movements', updatedAt: false },
  );
  models.Shipment.init(
    {
      tenantId,
      shipmentKey: { type: DataTypes.TEXT, primaryKey: true },
      orderKey: { type: DataTypes.TEXT, allowNull: false },
      connectorId: { type: DataTypes.TEXT, allowNull: false },
      carrierShipmentId: { type: DataTypes.TEXT },
      status: { type: DataTypes.TEXT, defaultValue: 'pending' },
      trackingCode: { type: DataTypes.TEXT },
      labelUrl: { type: DataTypes.TEXT },
      labelKey: { type: DataTypes.TEXT },
      rate: { type: DataTypes.JSONB },
      locationId: { type: DataTypes.TEXT },
      trackingStatus: { type: DataTypes.TEXT },
      updatedAt: { type: DataTypes.DATE },
    },
    { ...common, modelName: 'Shipment', tableName: 'shipments' },
  );
  models.CarrierQuote.init(
    {
      tenantId,
      shipmentKey: { type: DataTypes.TEXT, primaryKey: true },
      connectorId: { type: DataTypes.TEXT, primaryKey: true },
      carrierShipmentId: { type: DataTypes.TEXT, allowNull: false },
      rates: { type: DataTypes.JSONB, allowNull: false },
    },
    { ...common, modelName: 'CarrierQuote', tableName: 'carrier_quotes', updatedAt: false },
  );
  models.PartnerPosting.init(
    {
      tenantId,
      connectorId: { type: DataTypes.TEXT, primaryKey: true },
      kind: { type: DataTypes.TEXT, primaryKey: true },
      reference: { type: DataTypes.TEXT, primaryKey: true },
      remoteId: { type: DataTypes.TEXT },
      payload: { type: DataTypes.JSONB },
    },
    { ...common, modelName: 'PartnerPosting', tableName: 'partner_postings' },
  );
  return models;
}
