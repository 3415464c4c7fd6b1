import { z } from 'zod';
import { EVENT_TYPES } from '../../domain/events';
import { ROUTING_STRATEGIES } from '../../domain/orders/routing';
import { TENANT_ID_PATTERN } from '../../domain/shared/tenant';

/** A secret is never written into the config: it names the environment variable that holds it. */
export const secretRefSchema = z
  .object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name an environment variable') })
  .strict();
export type SecretRef = z.infer<typeof secretRefSchema>;

/** Connector kinds and the partner types each kind speaks. */
export const CONNECTOR_TYPES = {
  carrier: ['easypost'],
  marketplace: ['shopify'],
  accounting: ['quickbooks', 'xero'],
  pos: ['square'],
  ota: ['alpinebits'],
  lock: ['sandbox-lock'],
} as const;
export type ConnectorKind = keyof typeof CONNECTOR_TYPES;
const CONNECTOR_KINDS = Object.keys(CONNECTOR_TYPES) as [ConnectorKind, ...ConnectorKind[]];

const idSchema = z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'must be lower-case letters, digits and "-"');

export const connectorSchema = z
  .object({
    id: idSchema,
    tenant: z.string(),
    kind: z.enum(CONNECTOR_KINDS),
    type: z.string(),
    baseUrl: z.url(),
    credentials: z.record(z.string(), secretRefSchema).default({}),
    rateLimit: z
      .object({ requestsPerSecond: z.number().positive().max(10_000) })
      .strict()
      .default({ requestsPerSecond: 10 }),
    timeouts: z
      .object({ requestMs: z.number().int().min(100).max(120_000) })
      .strict()
      .default({ requestMs: 10_000 }),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((connector, ctx) => {
    const types: readonly string[] = CONNECTOR_TYPES[connector.kind];
    if (!types.includes(connector.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `unknown ${connector.kind} type "${connector.type}" (expected one of: ${types.join(', ')})`,
      });
    }
  });
export type ConnectorConfig = z.infer<typeof connectorSchema>;

/** How a merchant's orders are fulfilled; every field has a default a small shop can live with. */
export const orderPolicySchema = z
  .object({
    /** Carrier connectors whose rates are compared for every parcel (defaults.carrier if empty). */
    carriers: z.array(idSchema).default([]),
    /** Accounting connector that receives the invoice and payment of every shipped order. */
    accounting: idSchema.optional(),
    routing: z.enum(ROUTING_STRATEGIES).default('ship-complete'),
    /** Time after intake during which an order may still be edited before labels are bought. */
    editWindowSeconds: z.number().int().min(0).max(86_400).default(0),
    /** An unpaid order holds its stock this long, then expires and gives the stock back. */
    paymentTimeoutMinutes: z.number().int().min(1).max(43_200).default(1440),
    /** No carrier movement for this long puts the order in `exception` for ops. */
    stuckAfterDays: z.number().positive().max(60).default(5),
    /** Countries the merchant ships to; empty means anywhere. */
    shipsTo: z.array(z.string().regex(/^[A-Z]{2}$/)).default([]),
  })
  .strict();
export type OrderPolicy = z.infer<typeof orderPolicySchema>;

/** What a merchant takes back and pays for; every field has a default a small shop can live with. */
export const returnPolicySchema = z
  .object({
    /** Days after delivery during which a return may be requested. */
    windowDays: z.number().int().min(0).max(365).default(30),
    /** SKUs that never come back (hygiene, final sale). */
    nonReturnableSkus: z.array(z.string().min(1)).default([]),
    /** Percentage of returned merchandise kept as a restocking fee. */
    restockingFeePercent: z.number().min(0).max(100).default(0),
    /** Shipping is refunded when the last delivered unit comes back, or never. */
    refundShipping: z.enum(['when_fully_returned', 'never']).default('when_fully_returned'),
    /** Goods received damaged are refunded too (true), or only written off (false). */
    refundDamaged: z.boolean().default(false),
    /** `auto` approves every eligible request; `manual` waits for a person until the deadline. */
    approval: z.enum(['auto', 'manual']).default('auto'),
    approvalDeadlineHours: z.number().positive().max(720).default(72),
    /** Days the customer has to hand the parcel to the carrier before the return expires. */
    scanTimeoutDays: z.number().positive().max(90).default(14),
    /** Carrier that sells return labels (defaults to the tenant's first order carrier). */
    carrier: idSchema.optional(),
    /** Location that receives returns (defaults to the one that shipped the first returned line). */
    receivingLocation: z.string().min(1).max(64).optional(),
    /** An exchange's replacement ships once the return is received, or at once. */
    exchangeShips: z.enum(['on_receipt', 'immediately']).default('on_receipt'),
  })
  .strict();
export type ReturnPolicyConfig = z.infer<typeof returnPolicySchema>;

/** How a property's reservations behave; the property model itself lives in PostgreSQL. */
export const stayPolicySchema = z
  .object({
    /** A hold without a deposit or guarantee gives its rooms back after this long. */
    holdMinutes: z.number().int().min(1).max(10_080).default(30),
    /** Lock connector that issues and revokes room keys. */
    lock: idSchema.optional(),
    /** Accounting connector that receives each folio's invoice (check-out, cancellation or no-show fee) and its payments. */
    accounting: idSchema.optional(),
    /** A folio left with a balance takes payments this long after the stay closed; then it stays open in accounting. */
    settlementDays: z.number().int().min(0).max(365).default(30),
    /** Nights every room type's calendar is kept ahead of the property's business date (a daily schedule). */
    horizonDays: z.number().int().min(30).max(1_100).default(400),
  })
  .strict();

/** A URL that receives signed event notifications. */
export const subscriberSchema = z
  .object({
    id: idSchema,
    url: z.url(),
    events: z.array(z.enum(EVENT_TYPES)).min(1),
    secret: secretRefSchema,
  })
  .strict();
export type SubscriberConfig = z.infer<typeof subscriberSchema>;

/**
 * What an API key may do: `read` every GET; `orders` (orders and stock counts), `returns`,
 * `stays` (reservations, rooms, rates, night audit), `channels` (resyncs, mappings, catalogue
 * imports) their writes; `admin` everything, master data included.
 */
export const API_SCOPES = ['read', 'orders', 'returns', 'stays', 'channels', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A tenant's API key: the variable holding it, and its scopes (all of them unless listed). */
export const apiKeySchema = z
  .object({
    env: secretRefSchema.shape.env,
    scopes: z
      .array(z.enum(API_SCOPES))
      .min(1)
      .default(['admin'])
      .describe('what the key may do; a key without a scope a request needs gets 403 naming it'),
  })
  .strict();
export type ApiKeyConfig = z.infer<typeof apiKeySchema>;

export const tenantSchema = z
  .object({
    id: z
      .string()
      .regex(TENANT_ID_PATTERN, 'must be 2-40 lower-case letters, digits and "-", starting with a letter'),
    name: z.string().min(1),
    kind: z.enum(['merchant', 'property']),
    /** Several keys let a key be rotated: add the new one, move callers, remove the old one. */
    apiKeys: z.array(apiKeySchema).min(1, 'a tenant needs at least one API key'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code')
      .default('USD'),
    defaults: z.object({ carrier: idSchema.optional() }).strict().default({}),
    orders: orderPolicySchema.default(orderPolicySchema.parse({})),
    returns: returnPolicySchema.default(returnPolicySchema.parse({})),
    stays: stayPolicySchema.default(stayPolicySchema.parse({})),
    subscribers: z.array(subscriberSchema).default([]),
    /**
     * The tenant's setup file (YAML, relative to this config file): its locations, catalogue and
     * properties, applied at start and by `npm run setup -- apply`.
     */
    setup: z.string().min(1).optional(),
  })
  .strict();
export type TenantConfig = z.infer<typeof tenantSchema>;

export const hubConfigSchema = z
  .object({
    temporal: z
      .object({ orchestrationTaskQueue: z.string().min(1).default('crossdock-orchestration') })
      .strict()
      .default({ orchestrationTaskQueue: 'crossdock-orchestration' }),
    tenants: z.array(tenantSchema).min(1),
    connectors: z.array(connectorSchema).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const tenantIds = new Set<string>();
    config.tenants.forEach((tenant, index) => {
      if (tenantIds.has(tenant.id))
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'id'],
          message: `duplicate tenant id "${tenant.id}"`,
        });
      tenantIds.add(tenant.id);
    });
    const connectorIds = new Map<string, ConnectorConfig>();
    config.connectors.forEach((connector, index) => {
      if (connectorIds.has(connector.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['connectors', index, 'id'],
          message: `duplicate connector id "${connector.id}"`,
        });
      }
      connectorIds.set(connector.id, connector);
      if (!tenantIds.has(connector.tenant)) {
        ctx.addIssue({
          code: 'custom',
          path: ['connectors', index, 'tenant'],
          message: `unknown tenant "${connector.tenant}"`,
        });
      }
    });
    const expectConnector = (
      tenant: TenantConfig,
      id: string,
      kind: ConnectorKind,
      path: Array<string | number>,
    ): void => {
      const connector = connectorIds.get(id);
      if (!connector || connector.kind !== kind || connector.tenant !== tenant.id) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${id}" is not a ${kind} connector of tenant "${tenant.id}"`,
        });
      }
    };
    config.tenants.forEach((tenant, index) => {
      const carrierId = tenant.defaults.carrier;
      if (carrierId !== undefined)
        expectConnector(tenant, carrierId, 'carrier', ['tenants', index, 'defaults', 'carrier']);
      tenant.orders.carriers.forEach((id, i) =>
        expectConnector(tenant, id, 'carrier', ['tenants', index, 'orders', 'carriers', i]),
      );
      if (tenant.stays.lock !== undefined)
        expectConnector(tenant, tenant.stays.lock, 'lock', ['tenants', index, 'stays', 'lock']);
      if (tenant.stays.accounting !== undefined)
        expectConnector(tenant, tenant.stays.accounting, 'accounting', [
          'tenants',
          index,
          'stays',
          'accounting',
        ]);
      if (tenant.returns.carrier !== undefined)
        expectConnector(tenant, tenant.returns.carrier, 'carrier', ['tenants', index, 'returns', 'carrier']);
      if (tenant.orders.accounting !== undefined) {
        expectConnector(tenant, tenant.orders.accounting, 'accounting', [
          'tenants',
          index,
          'orders',
          'accounting',
        ]);
      }
    });
  });
export type HubConfig = z.infer<typeof hubConfigSchema>;

/** Carriers whose rates an order of this tenant is shopped across. */
export function tenantCarriers(tenant: TenantConfig): string[] {
  if (tenant.orders.carriers.length > 0) return tenant.orders.carriers;
  return tenant.defaults.carrier ? [tenant.defaults.carrier] : [];
}
