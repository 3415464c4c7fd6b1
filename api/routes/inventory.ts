import { QueryTypes } from 'sequelize';
import { changeOnHand } from '../../db/inventory';
import { modelsOf, MOVEMENT_KINDS } from '../../db/models';
import { SKU_PATTERN } from '../../domain/orders/order';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { z } from 'zod';
import { errorResponse, jsonResponse, pathParameter, viewSchema } from '../openapi-parts';
import { CODE_PATTERN } from '../../domain/master-data/common';
import { stockChangeSchema } from '../schemas';

const units = z.number().int();
const stock = { onHand: units, reserved: units, available: units };
/** One SKU's stock at one location, as a count or a correction leaves it. */
export const levelSchema = z.object({ sku: z.string(), locationId: z.string(), ...stock });
const LEVEL = viewSchema('StockLevel', levelSchema);
const SKU_STOCK = viewSchema(
  'SkuStock',
  z.object({
    sku: z.string(),
    name: z.string(),
    lowStockThreshold: units,
    low: z.boolean().describe('available over all locations is below the threshold'),
    totals: z.object(stock),
    locations: z.array(z.object({ locationId: z.string(), ...stock })),
  }),
);
const MOVEMENTS = viewSchema(
  'StockMovements',
  z.object({
    sku: z.string(),
    movements: z.array(
      z.object({
        id: z.string().regex(/^\d+$/),
        locationId: z.string(),
        kind: z.enum(MOVEMENT_KINDS),
        onHandDelta: units,
        reservedDelta: units,
        reference: z.string().nullable(),
        reason: z.string().nullable(),
        at: z.iso.datetime({ offset: true }),
      }),
    ),
  }),
);

/** Stock by SKU and location: on hand, reserved (promised to orders) and available to sell. */
export function inventoryRouter(deps: RouterServices<'sequelize'>): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  router.get(
    '/v1/inventory/:sku',
    {
      summary: 'On hand, reserved and available per location, with the low-stock flag',
      responses: { '200': jsonResponse('Stock levels', SKU_STOCK), '404': errorResponse('Unknown SKU') },
    },
    async (req, res: TenantResponse) => {
      const tenantId = res.locals.tenant.id;
      const sku = String(req.params.sku);
      const item = await modelsOf(deps.sequelize).Item.findOne({ where: { tenantId, sku } });
      if (!item) return sendError(res, 404, 'not_found', `no SKU ${sku}`);
      const levels = await modelsOf(deps.sequelize).InventoryLevel.findAll({
        where: { tenantId, sku },
        order: [['locationId', 'ASC']],
      });
      const rows = levels.map((l) => ({
        locationId: l.locationId,
        onHand: l.onHand,
        reserved: l.reserved,
        available: l.onHand - l.reserved,
      }));
      const totals = rows.reduce(
        (sum, l) => ({
          onHand: sum.onHand + l.onHand,
          reserved: sum.reserved + l.reserved,
          available: sum.available + l.available,
        }),
        { onHand: 0, reserved: 0, available: 0 },
      );
      res.json({
        sku,
        name: item.name,
        lowStockThreshold: item.lowStockThreshold,
        low: item.lowStockThreshold > 0 && totals.available < item.lowStockThreshold,
        totals,
        locations: rows,
      });
    },
  );

  router.get(
    '/v1/inventory/:sku/movements',
    {
      summary: 'The ledger of stock movements, newest first',
      responses: { '200': jsonResponse('Movements', MOVEMENTS) },
    },
    async (req, res: TenantResponse) => {
      const limit = Math.min(Number(req.query.limit ?? 100) || 100, 1000);
      const movements = await deps.sequelize.query(
        `SELECT id, location_id AS "locationId", kind, on_hand_delta AS "onHandDelta", reserved_delta AS "reservedDelta",
              reference, reason, created_at AS "at"
         FROM inventory_movements WHERE tenant_id = :tenantId AND sku = :sku ORDER BY id DESC LIMIT :limit`,
        {
          replacements: { tenantId: res.locals.tenant.id, sku: String(req.params.sku), limit },
          type: QueryTypes.SELECT,
        },
      );
      res.json({ sku: String(req.params.sku), movements });
    },
  );

  /** A count (`set`) or a correction (`adjust`), with a reason that goes to the ledger. */
  router.put(
    '/v1/inventory/:sku/:location',
    {
      summary: 'Set (count) or adjust on-hand stock, with a reason for the ledger',
      parameters: [
        pathParameter('sku', { schema: { type: 'string', pattern: SKU_PATTERN.source } }),
        pathParameter('location', { schema: { type: 'string', pattern: CODE_PATTERN.source } }),
      ],
      body: { schema: stockChangeSchema, name: 'StockChange', refused: 'invalid_stock_change' },
      responses: {
        '200': jsonResponse('The level after the change', LEVEL),
        '400': errorResponse('Neither a count nor an adjustment, with the fields named'),
        '404': errorResponse('Unknown SKU or location'),
        '409': errorResponse('Would fall below zero or below reserved units'),
      },
    },
    async (req, res) => {
      const sku = String(req.params.sku);
      if (!SKU_PATTERN.test(sku)) return sendError(res, 400, 'invalid_sku', `"${sku}" is not a valid SKU`);
      try {
        const level = await changeOnHand(deps.sequelize, {
          tenantId: res.locals.tenant.id,
          sku,
          locationId: String(req.params.location),
          ...res.locals.body,
        });
        res.json(level);
      } catch (error) {
        if (error instanceof BusinessRuleViolation) {
          const status = error.type === 'UnknownSkuOrLocation' ? 404 : 409;
          return sendError(res, status, error.type, error.reasons.join('; '));
        }
        throw error;
      }
    },
  );

  return router;
}
