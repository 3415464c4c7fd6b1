import {
  DataTypes,
  Model,
  type DataType,
  type ModelAttributes,
  type ModelStatic,
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

/**
 * Column declarations, named for what the schema enforces. Most columns are text, so a builder
 * without a type declares text.
 */
const key = (type: DataType = DataTypes.TEXT) => ({ type, primaryKey: true });
const required = (type: DataType = DataTypes.TEXT) => ({ type, allowNull: false });
const optional = (type: DataType = DataTypes.TEXT) => ({ type });
const defaulting = (type: DataType, defaultValue: unknown) => ({ type, defaultValue });
const tenantId = { ...key(), allowNull: false };

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
  /** Binds one model to its table; `timestamps` turns off what the table does not have. */
  const define = (
    modelName: keyof Models,
    tableName: string,
    attributes: ModelAttributes,
    timestamps: { createdAt?: false; updatedAt?: false } = {},
  ) =>
    (models[modelName] as ModelStatic<Model>).init(attributes, {
      sequelize,
      underscored: true,
      freezeTableName: true,
      modelName,
      tableName,
      ...timestamps,
    });

  define(
    'Location',
    'locations',
    {
      tenantId,
      id: key(),
      name: required(),
      address: required(DataTypes.JSONB),
      latitude: optional(DataTypes.DOUBLE),
      longitude: optional(DataTypes.DOUBLE),
    },
    { updatedAt: false },
  );
  define(
    'Item',
    'items',
    {
      tenantId,
      sku: key(),
      name: required(),
      weightGrams: defaulting(DataTypes.INTEGER, 500),
      lowStockThreshold: defaulting(DataTypes.INTEGER, 0),
      reorderQuantity: defaulting(DataTypes.INTEGER, 0),
    },
    { updatedAt: false },
  );
  define(
    'InventoryLevel',
    'inventory_levels',
    {
      tenantId,
      sku: key(),
      locationId: key(),
      onHand: required(DataTypes.INTEGER),
      reserved: defaulting(DataTypes.INTEGER, 0),
    },
    { createdAt: false },
  );
  define('StockReservation', 'stock_reservations', {
    tenantId,
    orderKey: key(),
    sku: key(),
    locationId: key(),
    quantity: required(DataTypes.INTEGER),
    status: defaulting(DataTypes.TEXT, 'held'),
  });
  define(
    'InventoryMovement',
    'inventory_movements',
    {
      id: { ...key(DataTypes.BIGINT), autoIncrement: true },
      tenantId: required(),
      sku: required(),
      locationId: required(),
      kind: required(),
      onHandDelta: defaulting(DataTypes.INTEGER, 0),
      reservedDelta: defaulting(DataTypes.INTEGER, 0),
      reference: optional(),
      reason: optional(),
      createdAt: optional(DataTypes.DATE),
    },
    { updatedAt: false },
  );
  define('Shipment', 'shipments', {
    tenantId,
    shipmentKey: key(),
    orderKey: required(),
    connectorId: required(),
    carrierShipmentId: optional(),
    status: defaulting(DataTypes.TEXT, 'pending'),
    trackingCode: optional(),
    labelUrl: optional(),
    labelKey: optional(),
    rate: optional(DataTypes.JSONB),
    locationId: optional(),
    trackingStatus: optional(),
    updatedAt: optional(DataTypes.DATE),
  });
  define(
    'CarrierQuote',
    'carrier_quotes',
    {
      tenantId,
      shipmentKey: key(),
      connectorId: key(),
      carrierShipmentId: required(),
      rates: required(DataTypes.JSONB),
    },
    { updatedAt: false },
  );
  define('PartnerPosting', 'partner_postings', {
    tenantId,
    connectorId: key(),
    kind: key(),
    reference: key(),
    remoteId: optional(),
    payload: optional(DataTypes.JSONB),
  });
  return models;
}
