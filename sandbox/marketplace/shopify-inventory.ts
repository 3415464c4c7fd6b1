import { gid, numericId } from './shopify-graphql';

interface Variant {
  id: number;
  product_id: number;
  title?: string;
  grams?: number;
  sku: string | null;
  inventory_item_id: number;
  inventory_management: 'shopify' | null;
}
interface Product {
  id: number;
  title: string;
  variants: Variant[];
}
interface Location {
  id: number;
  name: string;
  active: boolean;
}

/** The sandbox store's locations; the default config maps the acme warehouses to them. */
export const SANDBOX_SHOPIFY_LOCATIONS: Location[] = [
  { id: 71_000_000_001, name: 'Reno DC', active: true },
  { id: 71_000_000_002, name: 'Newark DC', active: true },
];

/** The sandbox store's catalogue: the acme SKUs, tracked by Shopify. */
const SANDBOX_CATALOGUE = [
  { title: 'Two-person tent', skus: ['TENT-2P'] },
  { title: 'Camping stove', skus: ['STOVE-1'] },
  { title: 'Titanium mug', skus: ['MUG-TI'] },
];

/**
 * A Shopify store's catalogue and stock (products with variants, locations, inventory levels),
 * as its GraphQL Admin API reads and sets them. Levels are kept per inventory item and location;
 * every set is counted, calls and levels, so a test can see what a burst of changes cost.
 */
export class ShopifyInventory {
  readonly products = new Map<number, Product>();
  readonly locations = new Map<number, Location>(SANDBOX_SHOPIFY_LOCATIONS.map((l) => [l.id, { ...l }]));
  /** `<inventory item> <location>` → available. */
  readonly levels = new Map<string, number>();
  /** Calls that set stock (inventorySetQuantities, inventoryActivate), and the quantities they set. */
  sets = 0;
  quantitiesSet = 0;

  constructor(private readonly id: () => number) {
    for (const product of SANDBOX_CATALOGUE)
      this.createProduct({
        title: product.title,
        variants: product.skus.map((sku) => ({ sku })),
        stockedAt: [],
      });
  }

  /**
   * A product as the admin creates it: variants track inventory unless told otherwise, and tracked
   * ones are stocked (at 0) at every active location, as Shopify's admin offers, unless
   * `stockedAt` names the locations (none: the hub has to activate each level it sets).
   */
  createProduct(input: {
    title: string;
    variants: Array<{ sku: string | null; tracked?: boolean; title?: string; weightGrams?: number }>;
    stockedAt?: number[];
  }): Product {
    const id = this.id();
    const product: Product = {
      id,
      title: input.title,
      variants: input.variants.map((v) => ({
        id: this.id(),
        product_id: id,
        sku: v.sku,
        ...(v.title ? { title: v.title } : {}),
        ...(v.weightGrams !== undefined ? { grams: v.weightGrams } : {}),
        inventory_item_id: this.id(),
        inventory_management: v.tracked === false ? null : 'shopify',
      })),
    };
    this.products.set(id, product);
    const stockedAt =
      input.stockedAt ?? [...this.locations.values()].filter((l) => l.active).map((l) => l.id);
    for (const variant of product.variants.filter((v) => v.inventory_management === 'shopify'))
      for (const location of stockedAt) this.levels.set(`${variant.inventory_item_id} ${location}`, 0);
    return product;
  }

  variantOfItem(itemId: number): Variant | undefined {
    for (const product of this.products.values()) {
      const variant = product.variants.find((v) => v.inventory_item_id === itemId);
      if (variant) return variant;
    }
    return undefined;
  }

  /** What the store shows for a SKU at each location (stocked ones only). */
  stockOf(sku: string): Record<string, number> {
    const shown: Record<string, number> = {};
    for (const product of this.products.values())
      for (const variant of product.variants.filter((v) => v.sku === sku))
        for (const location of this.locations.values()) {
          const level = this.levels.get(`${variant.inventory_item_id} ${location.id}`);
          if (level !== undefined) shown[String(location.id)] = level;
        }
    return shown;
  }

  /** A change made in the store's admin (drift the hub's complete set has to put right). */
  adminSet(sku: string, locationId: number, available: number): boolean {
    const variant = [...this.products.values()].flatMap((p) => p.variants).find((v) => v.sku === sku);
    if (!variant) return false;
    this.levels.set(`${variant.inventory_item_id} ${locationId}`, available);
    return true;
  }

  /**
   * `inventorySetQuantities` as Shopify checks it, all or nothing: at most 250 quantities, known
   * and tracked items, locations that exist and stock the item, and each `compareQuantity` equal to
   * what the store holds now (unless told to ignore it), so a set never overwrites a sale it did
   * not see. Each call is counted.
   */
  setQuantities(input: {
    name: string;
    reason: string;
    ignoreCompareQuantity?: boolean | null;
    quantities: Array<{
      inventoryItemId: string;
      locationId: string;
      quantity: number;
      compareQuantity?: number | null;
    }>;
  }) {
    const errors: Array<{ field: string[]; message: string; code: string }> = [];
    const at = (i: number, field: string) => ['input', 'quantities', String(i), field];
    if (input.name !== 'available' && input.name !== 'on_hand')
      errors.push({
        field: ['input', 'name'],
        message: 'The quantity name must be available or on_hand.',
        code: 'INVALID_NAME',
      });
    if (input.quantities.length > 250)
      errors.push({
        field: ['input', 'quantities'],
        message: 'The quantities may not exceed 250 items.',
        code: 'INVALID_QUANTITY_ARGUMENT',
      });
    input.quantities.forEach((q, i) => {
      const item = numericId(q.inventoryItemId, 'InventoryItem');
      const location = numericId(q.locationId, 'Location');
      const variant = item === undefined ? undefined : this.variantOfItem(item);
      if (!variant)
        return errors.push({
          field: at(i, 'inventoryItemId'),
          message: 'The specified inventory item could not be found.',
          code: 'INVALID_INVENTORY_ITEM',
        });
      if (location === undefined || !this.locations.has(location))
        return errors.push({
          field: at(i, 'locationId'),
          message: 'The specified location could not be found.',
          code: 'INVALID_LOCATION',
        });
      if (variant.inventory_management !== 'shopify')
        return errors.push({
          field: at(i, 'inventoryItemId'),
          message: 'The inventory item does not track inventory.',
          code: 'NON_MUTABLE_INVENTORY_ITEM',
        });
      const current = this.levels.get(`${item} ${location}`);
      if (current === undefined)
        return errors.push({
          field: at(i, 'locationId'),
          message: 'The item is not stocked at the location.',
          code: 'ITEM_NOT_STOCKED_AT_LOCATION',
        });
      if (!input.ignoreCompareQuantity && q.compareQuantity !== current)
        return errors.push({
          field: at(i, 'compareQuantity'),
          message: 'The compareQuantity argument no longer matches the persisted quantity.',
          code: 'COMPARE_QUANTITY_STALE',
        });
      if (!Number.isInteger(q.quantity))
        errors.push({
          field: at(i, 'quantity'),
          message: 'The quantity must be a whole number.',
          code: 'INVALID_QUANTITY_ARGUMENT',
        });
      return undefined;
    });
    this.sets += 1;
    if (errors.length) return { inventoryAdjustmentGroup: null, userErrors: errors };
    const changes = input.quantities.map((q) => {
      const key = `${numericId(q.inventoryItemId, 'InventoryItem')} ${numericId(q.locationId, 'Location')}`;
      const before = this.levels.get(key)!;
      this.levels.set(key, q.quantity);
      return { name: input.name, delta: q.quantity - before, quantityAfterChange: q.quantity };
    });
    this.quantitiesSet += changes.length;
    return { inventoryAdjustmentGroup: { reason: input.reason, changes }, userErrors: [] };
  }

  /** `inventoryActivate`: stocks an item at a location, with its first available quantity. */
  activate(args: { inventoryItemId: string; locationId: string; available?: number | null }) {
    const item = numericId(args.inventoryItemId, 'InventoryItem');
    const location = numericId(args.locationId, 'Location');
    const variant = item === undefined ? undefined : this.variantOfItem(item);
    if (!variant)
      return {
        inventoryLevel: null,
        userErrors: [{ field: ['inventoryItemId'], message: 'Inventory item does not exist' }],
      };
    if (location === undefined || !this.locations.has(location))
      return {
        inventoryLevel: null,
        userErrors: [{ field: ['locationId'], message: 'Location does not exist' }],
      };
    if (variant.inventory_management !== 'shopify')
      return {
        inventoryLevel: null,
        userErrors: [{ field: ['inventoryItemId'], message: 'Inventory item does not track inventory' }],
      };
    const key = `${item} ${location}`;
    if (!this.levels.has(key)) this.levels.set(key, args.available ?? 0);
    this.sets += 1;
    return {
      inventoryLevel: { id: gid('InventoryLevel', `${item}?inventory_item_id=${location}`) },
      userErrors: [],
    };
  }
}
