import { z } from 'zod';
import { itemSchema } from './items';

/**
 * A channel's catalogue (a Shopify store's variants, a Square seller's item variations) read into
 * the tenant's items. Only what can be told apart is taken: a SKU on several variants, or a
 * variant without a SKU, is reported and never guessed; nor is a weight made up for a new item.
 */
export interface ChannelVariant {
  variantId: string;
  productTitle: string;
  title: string;
  sku: string | null;
  tracked: boolean;
  weightGrams?: number;
}

/** The body of `POST /v1/channels/:id/import` (empty: take what the channel states). */
export const catalogueImportBodySchema = z
  .object({
    /** Grams for new items the channel states no weight for (a Square catalogue keeps none). */
    defaultWeightGrams: itemSchema.shape.weightGrams.optional(),
  })
  .strict()
  .meta({ description: 'Options of a catalogue import.' });

/** What an import is asked to do: whose catalogue, and the weight of new items the channel gives none. */
export interface CatalogueImportRequest {
  tenantId: string;
  connectorId: string;
  /** Grams for new items the channel states no weight for (Square keeps none); absent: they are not created. */
  defaultWeightGrams?: number;
}

export interface CatalogueImportPlan {
  /** What each SKU the channel sells is called and weighs there. */
  items: Array<{ sku: string; name: string; weightGrams?: number; tracked: boolean }>;
  duplicateSkus: Array<{ sku: string; variants: string[] }>;
  withoutSku: Array<{ variantId: string; name: string }>;
}

/** Shopify's name for the only variant of a product that has no options. */
const DEFAULT_VARIANT = 'Default Title';

export function variantName(variant: Pick<ChannelVariant, 'productTitle' | 'title'>): string {
  const title = variant.title.trim();
  return !title || title === DEFAULT_VARIANT || title === variant.productTitle
    ? variant.productTitle
    : `${variant.productTitle} – ${title}`;
}

export function planCatalogueImport(variants: ChannelVariant[]): CatalogueImportPlan {
  const bySku = new Map<string, ChannelVariant[]>();
  const withoutSku: CatalogueImportPlan['withoutSku'] = [];
  for (const variant of variants) {
    const sku = variant.sku?.trim();
    if (!sku) withoutSku.push({ variantId: variant.variantId, name: variantName(variant) });
    else bySku.set(sku, [...(bySku.get(sku) ?? []), variant]);
  }
  const items: CatalogueImportPlan['items'] = [];
  const duplicateSkus: CatalogueImportPlan['duplicateSkus'] = [];
  for (const [sku, list] of bySku) {
    if (list.length > 1) {
      duplicateSkus.push({ sku, variants: list.map((v) => v.variantId) });
      continue;
    }
    const variant = list[0]!;
    items.push({
      sku,
      name: variantName(variant).slice(0, 300),
      ...(variant.weightGrams && variant.weightGrams > 0 ? { weightGrams: variant.weightGrams } : {}),
      tracked: variant.tracked,
    });
  }
  return { items, duplicateSkus, withoutSku };
}

/**
 * Which store location each of the hub's locations most likely is: the one of the same name
 * (letters and digits compared, case aside). Only a proposal: the mapping is the integrator's.
 */
export function proposeLocationMapping(
  store: Array<{ id: number; name: string; active: boolean }>,
  hub: Array<{ id: string; name: string }>,
): {
  proposed: Record<string, number>;
  unmatchedStore: Array<{ id: number; name: string }>;
  unmatchedHub: string[];
} {
  const key = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const proposed: Record<string, number> = {};
  const taken = new Set<number>();
  for (const location of hub) {
    const match = store.find((s) => s.active && !taken.has(s.id) && key(s.name) === key(location.name));
    if (match) {
      proposed[location.id] = match.id;
      taken.add(match.id);
    }
  }
  return {
    proposed,
    unmatchedStore: store.filter((s) => !taken.has(s.id)).map(({ id, name }) => ({ id, name })),
    unmatchedHub: hub.filter((h) => proposed[h.id] === undefined).map((h) => h.id),
  };
}

const skus = z.array(z.string());
/** What an import of a channel's catalogue found and did. */
export const catalogueImportReportSchema = z.object({
  connectorId: z.string(),
  source: z.enum(['shopify', 'square']),
  finishedAt: z.iso.datetime({ offset: true }),
  variants: z.number().int(),
  items: z.object({ created: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
  /** SKUs on several variants: not imported, their stock could not be told apart. */
  duplicateSkus: z.array(z.object({ sku: z.string(), variants: z.array(z.string()) })),
  /** Variants without a SKU: not imported. */
  withoutSku: z.array(z.object({ variantId: z.string(), name: z.string() })),
  /** New SKUs the channel states no weight for and the request gave no default: not created (a weight is never made up). */
  withoutWeight: skus,
  /** New SKUs given the request's default weight. */
  defaultWeight: skus,
  /** SKUs the tenant's setup file declares: left as the file says. */
  keptByFile: skus,
  /** SKUs whose inventory the channel does not track: imported, but it takes no stock. */
  untracked: skus,
  /** Shopify: the store's locations and which of the hub's they most likely are (the config's to decide). */
  locations: z
    .object({
      proposed: z.record(z.string(), z.number()),
      unmatchedStore: z.array(z.object({ id: z.number(), name: z.string() })),
      unmatchedHub: z.array(z.string()),
      mapped: z.record(z.string(), z.number()),
    })
    .optional(),
});
export type CatalogueImportReport = z.infer<typeof catalogueImportReportSchema>;
