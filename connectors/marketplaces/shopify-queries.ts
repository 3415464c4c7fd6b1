/**
 * The GraphQL Admin API documents the Shopify connector sends. Page sizes are chosen so each
 * query stays well inside Shopify's single-query cost limit (1,000 points): a line item costs
 * about 6 points with its price and tax, an order about 340 with 50 lines.
 */
import type { ShopifyAddress } from '../../domain/orders/channels/shopify';

const MONEY = 'shopMoney { amount }';

/** Each field of a Shopify MailingAddress, with the name its REST shape (the webhooks') gives it. */
export const MAILING_ADDRESS_FIELDS = {
  name: 'name',
  firstName: 'first_name',
  lastName: 'last_name',
  address1: 'address1',
  address2: 'address2',
  city: 'city',
  provinceCode: 'province_code',
  zip: 'zip',
  countryCodeV2: 'country_code',
  phone: 'phone',
  latitude: 'latitude',
  longitude: 'longitude',
} as const satisfies Record<string, keyof ShopifyAddress>;

export const ORDER_FIELDS = /* GraphQL */ `
  legacyResourceId name email currencyCode createdAt updatedAt cancelledAt displayFinancialStatus
  customer { firstName lastName email }
  shippingAddress { ${Object.keys(MAILING_ADDRESS_FIELDS).join(' ')} }
  shippingLines(first: 5) { nodes { title code originalPriceSet { ${MONEY} } taxLines { priceSet { ${MONEY} } } } }
`;

export const LINE_ITEMS = /* GraphQL */ `
  nodes { id sku title name quantity requiresShipping originalUnitPriceSet { ${MONEY} } taxLines { priceSet { ${MONEY} } } }
  pageInfo { hasNextPage endCursor }
`;

export const ORDER = /* GraphQL */ `
  query Order($id: ID!, $after: String) {
    order(id: $id) { ${ORDER_FIELDS} lineItems(first: 50, after: $after) { ${LINE_ITEMS} } }
  }
`;

/** An operation on one root field; `answer` names each selection set of its result with the fields read. */
function operation(
  kind: 'query' | 'mutation',
  signature: string,
  rootField: string,
  answer: Record<string, string[]>,
): string {
  const selections = Object.entries(answer).map(
    ([selection, fields]) => `${selection} {\n        ${fields.join('\n        ')}\n      }`,
  );
  return `
  ${kind} ${signature} {
    ${rootField} {
      ${selections.join('\n      ')}
    }
  }
`;
}

/** A page of a connection: its nodes' fields, and where the next page starts. */
const pageQuery = (signature: string, connection: string, fields: string[]) =>
  operation('query', signature, connection, { nodes: fields, pageInfo: ['hasNextPage', 'endCursor'] });

/** What a refused mutation answers, for the refusal's message; `code` where the connector reads one. */
const USER_ERROR = ['field', 'message'];
const USER_ERROR_WITH_CODE = [...USER_ERROR, 'code'];

/** Orders changed since a time, oldest change first: their ids only (each is then read whole). */
export const ORDERS_UPDATED = pageQuery(
  'OrdersUpdated($query: String!, $after: String)',
  'orders(first: 100, after: $after, query: $query, sortKey: UPDATED_AT)',
  ['legacyResourceId', 'updatedAt'],
);

export const LOCATIONS = pageQuery('Locations($after: String)', 'locations(first: 100, after: $after)', [
  'id',
  'legacyResourceId',
  'name',
  'isActive',
]);

/** What the store shows available of each item at each location (aliases per location). */
export function levelsQuery(locationIds: string[]): string {
  const perLocation = locationIds
    .map(
      (id, i) =>
        `l${i}: inventoryLevel(locationId: "${id}") { quantities(names: ["available"]) { name quantity } }`,
    )
    .join(' ');
  return /* GraphQL */ `
    query Levels($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryItem { id ${perLocation} } } }
  `;
}

export const SET_QUANTITIES = operation(
  'mutation',
  'SetQuantities($input: InventorySetQuantitiesInput!)',
  'inventorySetQuantities(input: $input)',
  { inventoryAdjustmentGroup: ['reason'], userErrors: USER_ERROR_WITH_CODE },
);

export const ACTIVATE = operation(
  'mutation',
  'Activate($item: ID!, $location: ID!, $available: Int)',
  'inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available)',
  { userErrors: USER_ERROR },
);

export const FULFILMENT_STATE = /* GraphQL */ `
  query FulfilmentState($id: ID!) {
    order(id: $id) {
      fulfillments(first: 50) {
        id
        trackingInfo {
          number
        }
      }
      fulfillmentOrders(first: 5) {
        nodes {
          id
          status
          lineItems(first: 50) {
            nodes {
              id
              remainingQuantity
              lineItem {
                id
              }
            }
          }
        }
      }
    }
  }
`;

export const FULFIL = operation(
  'mutation',
  'Fulfil($fulfillment: FulfillmentInput!)',
  'fulfillmentCreate(fulfillment: $fulfillment)',
  { fulfillment: ['id'], userErrors: USER_ERROR },
);

export const REFUND_STATE = operation('query', 'RefundState($id: ID!)', 'order(id: $id)', {
  'refunds(first: 50)': ['id', 'note'],
  'transactions(first: 50)': ['id', 'kind', 'status', 'gateway'],
});

export const REFUND = operation('mutation', 'Refund($input: RefundInput!)', 'refundCreate(input: $input)', {
  refund: ['id'],
  userErrors: USER_ERROR,
});

export const CANCEL = operation(
  'mutation',
  'Cancel($id: ID!)',
  'orderCancel(orderId: $id, reason: CUSTOMER, refund: true, restock: false, notifyCustomer: true)',
  { job: ['id'], orderCancelUserErrors: USER_ERROR_WITH_CODE },
);

/**
 * The whole catalogue with each item's levels, for a bulk operation: no pagination arguments (a
 * bulk query reads every node), two connections, two levels deep.
 */
export const BULK_CATALOGUE = /* GraphQL */ `
  {
    productVariants {
      edges {
        node {
          id
          legacyResourceId
          sku
          title
          product {
            legacyResourceId
            title
          }
          inventoryItem {
            id
            tracked
            measurement {
              weight {
                value
                unit
              }
            }
            inventoryLevels {
              edges {
                node {
                  location {
                    legacyResourceId
                  }
                  quantities(names: ["available"]) {
                    name
                    quantity
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const BULK_RUN = operation(
  'mutation',
  'BulkRun($query: String!)',
  'bulkOperationRunQuery(query: $query)',
  {
    bulkOperation: ['id', 'status'],
    userErrors: USER_ERROR_WITH_CODE,
  },
);

/** One bulk operation by its id (not `currentBulkOperation`: another may have started since). */
export const BULK_STATUS = /* GraphQL */ `
  query BulkStatus($id: ID!) {
    nodes(ids: [$id]) {
      ... on BulkOperation {
        id
        status
        errorCode
        objectCount
        url
      }
    }
  }
`;
