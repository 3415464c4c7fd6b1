import {
  Kind,
  buildSchema,
  graphql,
  parse,
  type DocumentNode,
  type FieldNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The slice of Shopify's GraphQL Admin API (2024-10) the hub uses, in Shopify's own shapes:
 * global ids (`gid://shopify/Order/1`), connections with `nodes` and `pageInfo`, money as
 * `MoneyBag`s, mutations answering `userErrors`.
 */
export const SHOPIFY_ADMIN_SDL = /* GraphQL */ `
  interface Node {
    id: ID!
  }
  type PageInfo {
    hasNextPage: Boolean!
    endCursor: String
  }
  type MoneyV2 {
    amount: String!
    currencyCode: String!
  }
  type MoneyBag {
    shopMoney: MoneyV2!
  }
  type TaxLine {
    priceSet: MoneyBag!
  }
  type Customer {
    firstName: String
    lastName: String
    email: String
  }
  type MailingAddress {
    name: String
    firstName: String
    lastName: String
    address1: String
    address2: String
    city: String
    provinceCode: String
    zip: String
    countryCodeV2: String
    phone: String
    latitude: Float
    longitude: Float
  }
  type LineItem implements Node {
    id: ID!
    sku: String
    title: String!
    name: String!
    quantity: Int!
    requiresShipping: Boolean!
    originalUnitPriceSet: MoneyBag!
    taxLines: [TaxLine!]!
  }
  type LineItemConnection {
    nodes: [LineItem!]!
    pageInfo: PageInfo!
  }
  type ShippingLine {
    title: String!
    code: String
    originalPriceSet: MoneyBag!
    taxLines: [TaxLine!]!
  }
  type ShippingLineConnection {
    nodes: [ShippingLine!]!
    pageInfo: PageInfo!
  }
  type FulfillmentOrderLineItem {
    id: ID!
    remainingQuantity: Int!
    totalQuantity: Int!
    lineItem: LineItem!
  }
  type FulfillmentOrderLineItemConnection {
    nodes: [FulfillmentOrderLineItem!]!
    pageInfo: PageInfo!
  }
  type FulfillmentOrder implements Node {
    id: ID!
    status: String!
    lineItems(first: Int, after: String): FulfillmentOrderLineItemConnection!
  }
  type FulfillmentOrderConnection {
    nodes: [FulfillmentOrder!]!
    pageInfo: PageInfo!
  }
  type FulfillmentTrackingInfo {
    number: String
    company: String
    url: String
  }
  type Fulfillment implements Node {
    id: ID!
    status: String!
    trackingInfo: [FulfillmentTrackingInfo!]!
  }
  type Refund implements Node {
    id: ID!
    note: String
    createdAt: String!
    totalRefundedSet: MoneyBag!
  }
  type OrderTransaction implements Node {
    id: ID!
    kind: String!
    status: String!
    gateway: String
    amountSet: MoneyBag!
  }
  type Order implements Node {
    id: ID!
    legacyResourceId: String!
    name: String!
    email: String
    currencyCode: String!
    createdAt: String!
    updatedAt: String!
    cancelledAt: String
    displayFinancialStatus: String
    customer: Customer
    shippingAddress: MailingAddress
    lineItems(first: Int, after: String): LineItemConnection!
    shippingLines(first: Int, after: String): ShippingLineConnection!
    fulfillmentOrders(first: Int, after: String): FulfillmentOrderConnection!
    fulfillments(first: Int): [Fulfillment!]!
    refunds(first: Int): [Refund!]!
    transactions(first: Int): [OrderTransaction!]!
    totalPriceSet: MoneyBag!
  }
  type OrderConnection {
    nodes: [Order!]!
    pageInfo: PageInfo!
  }
  type InventoryQuantity {
    name: String!
    quantity: Int!
  }
  type Location implements Node {
    id: ID!
    legacyResourceId: String!
    name: String!
    isActive: Boolean!
  }
  type LocationConnection {
    nodes: [Location!]!
    pageInfo: PageInfo!
  }
  type InventoryLevel {
    id: ID!
    location: Location!
    quantities(names: [String!]!): [InventoryQuantity!]!
  }
  type InventoryLevelEdge {
    node: InventoryLevel!
    cursor: String!
  }
  type InventoryLevelConnection {
    nodes: [InventoryLevel!]!
    edges: [InventoryLevelEdge!]!
    pageInfo: PageInfo!
  }
  type InventoryItem implements Node {
    id: ID!
    legacyResourceId: String!
    sku: String
    tracked: Boolean!
    measurement: InventoryItemMeasurement
    inventoryLevel(locationId: ID!): InventoryLevel
    inventoryLevels(first: Int, after: String): InventoryLevelConnection!
  }
  type Weight {
    value: Float!
    unit: String!
  }
  type InventoryItemMeasurement {
    weight: Weight
  }
  type ProductVariant implements Node {
    id: ID!
    legacyResourceId: String!
    sku: String
    title: String!
    displayName: String!
    product: Product!
    inventoryItem: InventoryItem!
  }
  type ProductVariantEdge {
    node: ProductVariant!
    cursor: String!
  }
  type ProductVariantConnection {
    nodes: [ProductVariant!]!
    edges: [ProductVariantEdge!]!
    pageInfo: PageInfo!
  }
  enum BulkOperationStatus {
    CREATED
    RUNNING
    COMPLETED
    FAILED
    CANCELED
    CANCELING
    EXPIRED
  }
  enum BulkOperationType {
    QUERY
    MUTATION
  }
  type BulkOperation implements Node {
    id: ID!
    status: BulkOperationStatus!
    errorCode: String
    query: String!
    type: BulkOperationType!
    createdAt: String!
    completedAt: String
    objectCount: String!
    rootObjectCount: String!
    fileSize: String
    url: String
    partialDataUrl: String
  }
  type BulkOperationUserError {
    field: [String!]
    message: String!
    code: String
  }
  type BulkOperationRunQueryPayload {
    bulkOperation: BulkOperation
    userErrors: [BulkOperationUserError!]!
  }
  type Product implements Node {
    id: ID!
    legacyResourceId: String!
    title: String!
    variantsCount: Count
    variants(first: Int, after: String): ProductVariantConnection!
  }
  type Count {
    count: Int!
  }
  type ProductConnection {
    nodes: [Product!]!
    pageInfo: PageInfo!
  }

  type UserError {
    field: [String!]
    message: String!
    code: String
  }
  type FulfillmentCreatePayload {
    fulfillment: Fulfillment
    userErrors: [UserError!]!
  }
  type OrderCancelPayload {
    job: Job
    orderCancelUserErrors: [UserError!]!
    userErrors: [UserError!]!
  }
  type Job {
    id: ID!
    done: Boolean!
  }
  type RefundCreatePayload {
    refund: Refund
    order: Order
    userErrors: [UserError!]!
  }
  type InventoryAdjustmentGroup {
    reason: String!
    changes: [InventoryChange!]!
  }
  type InventoryChange {
    name: String!
    delta: Int!
    quantityAfterChange: Int
    item: InventoryItem
    location: Location
  }
  type InventorySetQuantitiesPayload {
    inventoryAdjustmentGroup: InventoryAdjustmentGroup
    userErrors: [UserError!]!
  }
  type InventoryActivatePayload {
    inventoryLevel: InventoryLevelRef
    userErrors: [UserError!]!
  }
  type InventoryLevelRef {
    id: ID!
  }

  input FulfillmentOrderLineItemInput {
    id: ID!
    quantity: Int!
  }
  input FulfillmentOrderLineItemsInput {
    fulfillmentOrderId: ID!
    fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]
  }
  input FulfillmentTrackingInput {
    number: String
    company: String
    url: String
  }
  input FulfillmentInput {
    lineItemsByFulfillmentOrder: [FulfillmentOrderLineItemsInput!]!
    trackingInfo: FulfillmentTrackingInput
    notifyCustomer: Boolean
  }
  input RefundLineItemInput {
    lineItemId: ID!
    quantity: Int!
    restockType: String
    locationId: ID
  }
  input ShippingRefundInput {
    amount: String
    fullRefund: Boolean
  }
  input OrderTransactionInput {
    amount: String!
    gateway: String!
    kind: String!
    orderId: ID!
    parentId: ID
  }
  input RefundInput {
    orderId: ID!
    note: String
    notify: Boolean
    shipping: ShippingRefundInput
    refundLineItems: [RefundLineItemInput!]
    transactions: [OrderTransactionInput!]
  }
  input InventoryQuantityInput {
    inventoryItemId: ID!
    locationId: ID!
    quantity: Int!
    compareQuantity: Int
  }
  input InventorySetQuantitiesInput {
    name: String!
    reason: String!
    referenceDocumentUri: String
    ignoreCompareQuantity: Boolean
    quantities: [InventoryQuantityInput!]!
  }

  enum OrderSortKeys {
    CREATED_AT
    ID
    PROCESSED_AT
    UPDATED_AT
  }
  enum OrderCancelReason {
    CUSTOMER
    DECLINED
    FRAUD
    INVENTORY
    OTHER
    STAFF
  }

  type Query {
    order(id: ID!): Order
    orders(
      first: Int
      after: String
      query: String
      sortKey: OrderSortKeys
      reverse: Boolean
    ): OrderConnection!
    products(first: Int, after: String): ProductConnection!
    productVariants(first: Int, after: String, query: String): ProductVariantConnection!
    locations(first: Int, after: String, includeInactive: Boolean): LocationConnection!
    nodes(ids: [ID!]!): [Node]!
    currentBulkOperation(type: BulkOperationType): BulkOperation
  }
  type Mutation {
    fulfillmentCreate(fulfillment: FulfillmentInput!, message: String): FulfillmentCreatePayload
    orderCancel(
      orderId: ID!
      reason: OrderCancelReason!
      refund: Boolean!
      restock: Boolean!
      notifyCustomer: Boolean
      staffNote: String
    ): OrderCancelPayload
    refundCreate(input: RefundInput!): RefundCreatePayload
    inventorySetQuantities(input: InventorySetQuantitiesInput!): InventorySetQuantitiesPayload
    inventoryActivate(inventoryItemId: ID!, locationId: ID!, available: Int): InventoryActivatePayload
    bulkOperationRunQuery(query: String!, groupObjects: Boolean): BulkOperationRunQueryPayload
  }
`;

export const shopifySchema = buildSchema(SHOPIFY_ADMIN_SDL);

/** `gid://shopify/<Type>/<id>` → its numeric id, or undefined when it names another type. */
export function numericId(gid: unknown, type: string): number | undefined {
  const match = typeof gid === 'string' ? /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(gid) : null;
  return match && match[1] === type ? Number(match[2]) : undefined;
}

export const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

/** While a bulk operation runs, a connection answers every node (bulk queries do not page). */
let unbounded = false;
export function withUnboundedConnections<T>(run: () => T): T {
  unbounded = true;
  try {
    return run();
  } finally {
    unbounded = false;
  }
}

/** A page of a list: `first` (at most 250) after an opaque cursor, as Shopify's connections page. */
export function connection<T>(all: T[], args: { first?: number | null; after?: string | null }) {
  // A bulk operation reads every node; a query pages, 250 at the most.
  const first = unbounded ? all.length : Math.min(250, args.first ?? 50);
  const start = args.after ? Number(Buffer.from(args.after, 'base64url').toString()) : 0;
  const nodes = all.slice(start, start + first);
  const end = start + nodes.length;
  return {
    nodes,
    edges: nodes.map((node, index) => ({
      node,
      cursor: Buffer.from(String(start + index + 1)).toString('base64url'),
    })),
    pageInfo: {
      hasNextPage: end < all.length,
      endCursor: nodes.length ? Buffer.from(String(end)).toString('base64url') : null,
    },
  };
}

/**
 * What a query costs as Shopify counts it: a field of an object type 1 point, a connection 2 plus
 * `first` times the cost of what it selects of each node, a mutation 10; scalars are free.
 */
export function queryCost(document: DocumentNode, variables: Record<string, unknown> = {}): number {
  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name)?.value;
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) return variables[node.name.value];
    return undefined;
  };
  const selectionCost = (selection: SelectionSetNode | undefined): number =>
    (selection?.selections ?? []).reduce((sum, s) => {
      if (s.kind !== Kind.FIELD) return sum + selectionCost('selectionSet' in s ? s.selectionSet : undefined);
      if (!s.selectionSet) return sum;
      const ids = argument(s, 'ids');
      if (Array.isArray(ids)) return sum + ids.length * (1 + selectionCost(s.selectionSet));
      const first = argument(s, 'first');
      const isConnection = s.selectionSet.selections.some(
        (c) => c.kind === Kind.FIELD && ['nodes', 'edges'].includes(c.name.value),
      );
      if (isConnection) {
        const inner = s.selectionSet.selections.reduce(
          (n, c) =>
            n +
            (c.kind === Kind.FIELD && ['nodes', 'edges'].includes(c.name.value)
              ? selectionCost(c.selectionSet) + 1
              : 0),
          0,
        );
        return sum + 2 + Number(first ?? 50) * inner;
      }
      return sum + 1 + selectionCost(s.selectionSet);
    }, 0);
  return document.definitions.reduce((sum, definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION) return sum;
    return sum + (definition.operation === 'mutation' ? 10 : 0) + selectionCost(definition.selectionSet);
  }, 0);
}

/** No single query may cost more than this, whatever the plan. */
export const MAX_QUERY_COST = 1000;

/** Shopify's leaky bucket of query cost points. */
export class CostBucket {
  private available: number;
  private at = Date.now();

  constructor(
    public maximumAvailable = 2000,
    public restoreRate = 100,
  ) {
    this.available = maximumAvailable;
  }

  /** Points available now, restored since the last look. */
  now(): number {
    const elapsed = (Date.now() - this.at) / 1000;
    this.available = Math.min(this.maximumAvailable, this.available + elapsed * this.restoreRate);
    this.at = Date.now();
    return this.available;
  }

  take(points: number): boolean {
    if (this.now() < points) return false;
    this.available -= points;
    return true;
  }

  give(points: number): void {
    this.available = Math.min(this.maximumAvailable, this.available + points);
  }

  status() {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.now()),
      restoreRate: this.restoreRate,
    };
  }
}

/** Runs one GraphQL request against the schema with Shopify's cost extension and throttle. */
export async function runShopifyGraphql(
  body: { query?: unknown; variables?: unknown },
  rootValue: Record<string, unknown>,
  bucket: CostBucket,
): Promise<{ status: number; body: Record<string, unknown>; throttled: boolean }> {
  if (typeof body.query !== 'string')
    return { status: 400, body: { errors: [{ message: 'query is required' }] }, throttled: false };
  const variables = (body.variables ?? {}) as Record<string, unknown>;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return {
      status: 200,
      body: { errors: [{ message: (error as Error).message, extensions: { code: 'PARSE_ERROR' } }] },
      throttled: false,
    };
  }
  const requestedQueryCost = queryCost(document, variables);
  if (requestedQueryCost > Math.min(MAX_QUERY_COST, bucket.maximumAvailable))
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requestedQueryCost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
            extensions: {
              code: 'MAX_COST_EXCEEDED',
              cost: requestedQueryCost,
              maxCost: MAX_QUERY_COST,
            },
          },
        ],
      },
      throttled: false,
    };
  if (!bucket.take(requestedQueryCost))
    return {
      status: 200,
      body: {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: bucket.status() } },
      },
      throttled: true,
    };
  const result = await graphql({
    schema: shopifySchema,
    source: body.query,
    rootValue,
    variableValues: variables,
  });
  // What a query actually costs is what it returned; Shopify gives the difference back.
  const isMutation = document.definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation',
  );
  const actualQueryCost = Math.min(requestedQueryCost, (isMutation ? 10 : 0) + resultCost(result.data));
  bucket.give(requestedQueryCost - actualQueryCost);
  return {
    status: 200,
    body: {
      ...(result.errors
        ? { errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path })) }
        : {}),
      data: result.data ?? null,
      extensions: { cost: { requestedQueryCost, actualQueryCost, throttleStatus: bucket.status() } },
    },
    throttled: false,
  };
}

/** The cost of what came back: 1 an object, 2 a connection plus its nodes. */
function resultCost(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + resultCost(v), 0);
  if (!value || typeof value !== 'object') return 0;
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.nodes)) return 2 + resultCost(object.nodes);
  return 1 + Object.values(object).reduce((sum: number, v) => sum + resultCost(v), 0);
}
