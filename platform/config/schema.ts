import { z } from 'zod';
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

export const tenantSchema = z
  .object({
    id: z
      .string()
      .regex(TENANT_ID_PATTERN, 'must be 2-40 lower-case letters, digits and "-", starting with a letter'),
    name: z.string().min(1),
    kind: z.enum(['merchant', 'property']),
    apiKeys: z.array(secretRefSchema).min(1, 'a tenant needs at least one API key'),
    defaults: z.object({ carrier: idSchema.optional() }).strict().default({}),
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
    config.tenants.forEach((tenant, index) => {
      const carrierId = tenant.defaults.carrier;
      if (carrierId === undefined) return;
      const carrier = connectorIds.get(carrierId);
      if (!carrier || carrier.kind !== 'carrier' || carrier.tenant !== tenant.id) {
        ctx.addIssue({
          code: 'custom',
          path: ['tenants', index, 'defaults', 'carrier'],
          message: `"${carrierId}" is not a carrier connector of tenant "${tenant.id}"`,
        });
      }
    });
  });
export type HubConfig = z.infer<typeof hubConfigSchema>;
