import type { Request, Response, Router } from 'express';

interface Variant {
  id: number;
  product_id: number;
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
 * A Shopify store's catalogue and stock (products with variants, locations, inventory levels) at
 * the Admin REST paths shopify-api-node calls. Levels are kept per inventory item and location;
 * `inventory_levels/set` connects the location as Shopify does. Every set is counted, per
 * item and location, so a test can see how many calls a burst of changes cost.
 */
export class ShopifyInventory {
  readonly products = new Map<number, Product>();
  readonly locations = new Map<number, Location>(SANDBOX_SHOPIFY_LOCATIONS.map((l) => [l.id, { ...l }]));
  /** `<inventory item> <location>` → available. */
  readonly levels = new Map<string, number>();
  sets = 0;

  constructor(private readonly id: () => number) {
    for (const product of SANDBOX_CATALOGUE)
      this.createProduct({ title: product.title, variants: product.skus.map((sku) => ({ sku })) });
  }

  /** A product as the admin creates it; variants track inventory unless told otherwise. */
  createProduct(input: {
    title: string;
    variants: Array<{ sku: string | null; tracked?: boolean }>;
  }): Product {
    const id = this.id();
    const product: Product = {
      id,
      title: input.title,
      variants: input.variants.map((v) => ({
        id: this.id(),
        product_id: id,
        sku: v.sku,
        inventory_item_id: this.id(),
        inventory_management: v.tracked === false ? null : 'shopify',
      })),
    };
    this.products.set(id, product);
    return product;
  }

  private variantOfItem(itemId: number): Variant | undefined {
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

  mount(router: Router): void {
    router.get('/products.json', (req, res) =>
      paged(req, res, 'products', () => [...this.products.values()].sort((a, b) => a.id - b.id)),
    );
    router.get('/locations.json', (_req, res) => res.json({ locations: [...this.locations.values()] }));
    router.get('/inventory_levels.json', (req, res) =>
      paged(req, res, 'inventory_levels', (query) => {
        const items = ids(query.inventory_item_ids);
        const locations = ids(query.location_ids);
        if (!items && !locations) return 'inventory_item_ids or location_ids is required';
        if ((items?.length ?? 0) > 50) return 'inventory_item_ids: at most 50 ids';
        return [...this.levels]
          .map(([key, available]) => {
            const [item, location] = key.split(' ').map(Number) as [number, number];
            return { inventory_item_id: item, location_id: location, available };
          })
          .filter((l) => !items || items.includes(l.inventory_item_id))
          .filter((l) => !locations || locations.includes(l.location_id))
          .map((l) => ({ ...l, updated_at: new Date().toISOString() }));
      }),
    );
    router.post('/inventory_levels/set.json', (req, res) => this.set(req, res));
  }

  private set(req: Request, res: Response): void {
    const body = (req.body ?? {}) as {
      inventory_item_id?: unknown;
      location_id?: unknown;
      available?: unknown;
    };
    const itemId = Number(body.inventory_item_id);
    const locationId = Number(body.location_id);
    if (!Number.isInteger(body.available))
      return void res.status(422).json({ errors: { available: ['must be an integer'] } });
    const variant = this.variantOfItem(itemId);
    if (!variant) return void res.status(404).json({ errors: 'Not Found' });
    if (!this.locations.has(locationId))
      return void res.status(422).json({ errors: ['Location does not exist'] });
    if (variant.inventory_management !== 'shopify')
      return void res
        .status(422)
        .json({ errors: ['Inventory item does not have inventory tracking enabled'] });
    this.sets += 1;
    this.levels.set(`${itemId} ${locationId}`, body.available as number);
    res.json({
      inventory_level: {
        inventory_item_id: itemId,
        location_id: locationId,
        available: body.available,
        updated_at: new Date().toISOString(),
      },
    });
  }
}

function ids(list: string | undefined): number[] | undefined {
  return list ? list.split(',').map(Number) : undefined;
}

/**
 * Shopify's cursor paging: `limit` (max 250) and a `page_info` cursor in the Link header that
 * carries the first request's filters (a next-page request sends nothing else).
 */
function paged(
  req: Request,
  res: Response,
  key: string,
  list: (query: Record<string, string | undefined>) => unknown[] | string,
): void {
  let query = req.query as Record<string, string | undefined>;
  let offset = 0;
  if (query.page_info) {
    const cursor = JSON.parse(Buffer.from(query.page_info, 'base64url').toString()) as {
      offset: number;
      query: Record<string, string | undefined>;
    };
    ({ offset, query } = cursor);
  }
  const all = list(query);
  if (typeof all === 'string') return void res.status(422).json({ errors: all });
  const limit = Math.min(250, Number(query.limit ?? 50));
  if (offset + limit < all.length) {
    const next = Buffer.from(JSON.stringify({ offset: offset + limit, query })).toString('base64url');
    const url = `${req.protocol}://${req.get('host')}${req.baseUrl}${req.path}?limit=${limit}&page_info=${next}`;
    res.setHeader('Link', `<${url}>; rel="next"`);
  }
  res.json({ [key]: all.slice(offset, offset + limit) });
}
