/**
 * The GraphQL Admin API documents the Shopify connector sends. Page sizes are chosen so each
 * query stays well inside Shopify's single-query cost limit (1,000 points): a line item costs
 * about 6 points with its price and tax, an order about 340 with 50 lines.
 */

const MONEY = 'shopMoney { amount }';

export const ORDER_FIELDS = /* GraphQL */ `
  legacyResourceId name email currencyCode createdAt updatedAt cancelledAt displayFinancialStatus
  customer { firstName lastName email }
  shippingAddress { name firstName lastName address1 address2 city provinceCode zip countryCodeV2 phone latitude longitude }
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

/** Orders changed since a time, oldest change first: their ids only (each is then read whole). */
export const ORDERS_UPDATED = /* GraphQL */ `
  query OrdersUpdated($query: String!, $after: String) {
    orders(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        legacyResourceId
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const LOCATIONS = /* GraphQL */ `
  query Locations($after: String) {
    locations(first: 100, after: $after) {
      nodes {
        id
        legacyResourceId
        name
        isActive
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

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

export const SET_QUANTITIES = /* GraphQL */ `
  mutation SetQuantities($input: InventorySetQuantitiesInput!) {
    inventorySetQuantities(input: $input) {
      inventoryAdjustmentGroup {
        reason
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const ACTIVATE = /* GraphQL */ `
  mutation Activate($item: ID!, $location: ID!, $available: Int) {
    inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) {
      userErrors {
        field
        message
      }
    }
  }
`;

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

export const FULFIL = /* GraphQL */ `
  mutation Fulfil($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const REFUND_STATE = /* GraphQL */ `
  query RefundState($id: ID!) {
    order(id: $id) {
      refunds(first: 50) {
        id
        note
      }
      transactions(first: 50) {
        id
        kind
        status
        gateway
      }
    }
  }
`;

export const REFUND = /* GraphQL */ `
  mutation Refund($input: RefundInput!) {
    refundCreate(input: $input) {
      refund {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const CANCEL = /* GraphQL */ `
  mutation Cancel($id: ID!) {
    orderCancel(orderId: $id, reason: CUSTOMER, refund: true, restock: false, notifyCustomer: true) {
      job {
        id
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

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

export const BULK_RUN = /* GraphQL */ `
  mutation BulkRun($query: String!) {
    bulkOperationRunQuery(query: $query) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

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
