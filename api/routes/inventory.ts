import { Router, type Response } from 'express';
import { type Sequelize, QueryTypes } from 'sequelize';
import { changeOnHand } from '../../db/inventory';
import { modelsOf } from '../../db/models';
import { SKU_PATTERN } from '../../domain/orders/order';
import { BusinessRuleViolation } from '../../domain/shared/errors';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';
import { stockChangeSchema } from '../schemas';
import { zodIssues } from '../validation';

type TenantResponse = Response<unknown, TenantLocals>;

/** Stock by SKU and location: on hand, reserved (promised to orders) and available to sell. */
export function inventoryRouter(deps: { sequelize: Sequelize }): Router {
  const router = Router();

  router.get('/v1/inventory/:sku', async (req, res: TenantResponse) => {
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
  });

  router.get('/v1/inventory/:sku/movements', async (req, res: TenantResponse) => {
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
  });

  /** A count (`set`) or a correction (`adjust`), with a reason that goes to the ledger. */
  router.put('/v1/inventory/:sku/:location', async (req, res: TenantResponse) => {
    const sku = String(req.params.sku);
    if (!SKU_PATTERN.test(sku)) return sendError(res, 400, 'invalid_sku', `"${sku}" is not a valid SKU`);
    const parsed = stockChangeSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return sendError(
        res,
        400,
        'invalid_stock_change',
        'send {set, reason} or {adjust, reason}',
        zodIssues(parsed.error),
      );
    try {
      const level = await changeOnHand(deps.sequelize, {
        tenantId: res.locals.tenant.id,
        sku,
        locationId: String(req.params.location),
        ...parsed.data,
      });
      res.json(level);
    } catch (error) {
      if (error instanceof BusinessRuleViolation) {
        const status = error.type === 'UnknownSkuOrLocation' ? 404 : 409;
        return sendError(res, status, error.type, error.reasons.join('; '));
      }
      throw error;
    }
  });

  return router;
}
