import {
  catalogueImportBodySchema,
  planCatalogueImport,
  proposeLocationMapping,
  variantName,
  type ChannelVariant,
} from '../../domain/master-data/catalogue-import';

const variant = (v: Partial<ChannelVariant> & { variantId: string }): ChannelVariant => ({
  productTitle: 'Tent',
  title: 'Default Title',
  sku: null,
  tracked: true,
  ...v,
});

describe('reading a channel catalogue', () => {
  it("names a variant after its product, and its options unless it is the product's only one", () => {
    expect(variantName({ productTitle: 'Tent', title: 'Default Title' })).toBe('Tent');
    expect(variantName({ productTitle: 'Tent', title: '' })).toBe('Tent');
    expect(variantName({ productTitle: 'Tent', title: 'Tent' })).toBe('Tent');
    expect(variantName({ productTitle: 'Tent', title: ' 2P / Green ' })).toBe('Tent – 2P / Green');
  });

  it('takes each SKU on one variant, and reports shared and missing SKUs without guessing', () => {
    const plan = planCatalogueImport([
      variant({ variantId: '1', sku: 'TENT-2P', title: '2P', weightGrams: 2100 }),
      variant({ variantId: '2', sku: ' DUP ' }),
      variant({ variantId: '3', sku: 'DUP' }),
      variant({ variantId: '4', sku: '   ', title: 'Custom' }),
      variant({ variantId: '5', sku: 'GIFT', tracked: false, weightGrams: 0 }),
    ]);
    expect(plan.items).toEqual([
      { sku: 'TENT-2P', name: 'Tent – 2P', weightGrams: 2100, tracked: true },
      // A weight of 0 is no weight stated.
      { sku: 'GIFT', name: 'Tent', tracked: false },
    ]);
    expect(plan.duplicateSkus).toEqual([{ sku: 'DUP', variants: ['2', '3'] }]);
    expect(plan.withoutSku).toEqual([{ variantId: '4', name: 'Tent – Custom' }]);
  });

  it('proposes store locations by name, each once, active ones only', () => {
    const proposal = proposeLocationMapping(
      [
        { id: 1, name: 'Reno DC', active: true },
        { id: 2, name: 'reno-dc', active: true },
        { id: 3, name: 'Newark DC', active: false },
        { id: 4, name: 'Pop-up', active: true },
      ],
      [
        { id: 'reno', name: 'RENO dc' },
        { id: 'reno-2', name: 'Reno DC' },
        { id: 'newark', name: 'Newark DC' },
      ],
    );
    expect(proposal).toEqual({
      proposed: { reno: 1, 'reno-2': 2 },
      unmatchedStore: [
        { id: 3, name: 'Newark DC' },
        { id: 4, name: 'Pop-up' },
      ],
      unmatchedHub: ['newark'],
    });
  });

  it('accepts a default weight an item could have, and nothing else', () => {
    expect(catalogueImportBodySchema.safeParse({}).success).toBe(true);
    expect(catalogueImportBodySchema.safeParse({ defaultWeightGrams: 250 }).success).toBe(true);
    for (const body of [{ defaultWeightGrams: 0 }, { defaultWeightGrams: 1.5 }, { weight: 3 }])
      expect(catalogueImportBodySchema.safeParse(body).success).toBe(false);
  });
});
