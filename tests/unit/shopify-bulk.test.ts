import { BULK_CATALOGUE } from '../../connectors/marketplaces/shopify-queries';
import { bulkQueryRefusal, jsonLines } from '../../sandbox/marketplace/shopify-bulk';

describe("the sandbox store's bulk operations (sandbox/marketplace/shopify-bulk.ts)", () => {
  it("takes the connector's catalogue query, and refuses what Shopify refuses", () => {
    expect(bulkQueryRefusal(BULK_CATALOGUE)).toBeUndefined();
    expect(bulkQueryRefusal('{ productVariants(first: 10) { edges { node { id } } } }')).toMatch(
      /pagination arguments/,
    );
    expect(bulkQueryRefusal('{ shop { name } }')).toMatch(/exactly one top-level connection/);
    expect(
      bulkQueryRefusal(
        '{ products { edges { node { id variants { edges { node { id inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }',
      ),
    ).toMatch(/nested more than 2 levels/);
    expect(bulkQueryRefusal('mutation { x }')).toMatch(/one query/);
  });

  it("writes each node on a line, a nested connection's nodes after their parent with __parentId", () => {
    const lines = jsonLines({
      productVariants: {
        edges: [
          {
            node: {
              id: 'gid://shopify/ProductVariant/1',
              sku: 'A',
              inventoryItem: {
                id: 'gid://shopify/InventoryItem/11',
                inventoryLevels: { edges: [{ node: { location: { legacyResourceId: '7' } } }] },
              },
            },
          },
          {
            node: {
              id: 'gid://shopify/ProductVariant/2',
              sku: 'B',
              inventoryItem: { id: 'x', inventoryLevels: { edges: [] } },
            },
          },
        ],
        pageInfo: { hasNextPage: false },
      },
    });
    expect(lines).toEqual([
      {
        id: 'gid://shopify/ProductVariant/1',
        sku: 'A',
        inventoryItem: { id: 'gid://shopify/InventoryItem/11' },
      },
      { location: { legacyResourceId: '7' }, __parentId: 'gid://shopify/ProductVariant/1' },
      { id: 'gid://shopify/ProductVariant/2', sku: 'B', inventoryItem: { id: 'x' } },
    ]);
  });
});
