import type { Client } from '@temporalio/client';
import type { Request, Response } from 'express';
import { QueryTypes, type Sequelize } from 'sequelize';
import { RETURN_STATUSES } from '../../domain/returns/return';
import { addDays, calendarDateSchema, isCalendarDate } from '../../domain/stays/dates';
import { RESERVATION_STATUSES } from '../../domain/stays/reservation';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes } from '../route-registry';
import { z } from 'zod';
import { errorResponse, pageParameters, pageResponse, queryParameter, viewSchema } from '../openapi-parts';
import { pageOf } from '../pagination';
import { literal, visibilityPage } from '../visibility';

type TenantResponse = Response<unknown, TenantLocals>;

const units = z.number().int();
const started = { workflowId: z.string(), startTime: z.iso.datetime({ offset: true }) };
const LEVEL_ROW = viewSchema(
  'StockLevelRow',
  z.object({
    sku: z.string(),
    locationId: z.string(),
    onHand: units,
    reserved: units,
    available: units,
    lowStockThreshold: units,
    low: z.boolean(),
  }),
);
const RESERVATION_ROW = viewSchema(
  'ReservationRow',
  z.object({
    id: z.string(),
    status: z.enum(RESERVATION_STATUSES),
    propertyId: z.string(),
    arrival: calendarDateSchema.optional(),
    departure: calendarDateSchema.optional(),
    ...started,
  }),
);
const RETURN_ROW = viewSchema(
  'ReturnRow',
  z.object({ id: z.string(), orderId: z.string(), status: z.enum(RETURN_STATUSES), ...started }),
);

/** A query parameter that must be one of `allowed`, or undefined after answering 400. */
function oneOf(
  req: Request,
  res: TenantResponse,
  name: string,
  allowed: readonly string[],
): { value?: string } | undefined {
  const value = req.query[name];
  if (value === undefined) return {};
  if (typeof value !== 'string' || !allowed.includes(value)) {
    sendError(res, 400, `invalid_${name}`, `${name} must be one of ${allowed.join(', ')}`, [
      { path: name, message: `must be one of ${allowed.join(', ')}` },
    ]);
    return undefined;
  }
  return { value };
}

const isCursorKey = (key: unknown): key is [string, string] =>
  Array.isArray(key) && key.length === 2 && key.every((k) => typeof k === 'string');
const isToken = (key: unknown): key is string => typeof key === 'string';

/**
 * Listings of what tenants already had but could not list: stock levels (per location, or those
 * below their threshold), reservations and returns, each a page at a time with a cursor.
 */
export function listingsRouter(deps: { client: Client; sequelize: Sequelize }): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /** Stock levels in (SKU, location) order; `low=true` keeps SKUs whose available stock is below their threshold. */
  router.get(
    '/v1/inventory',
    {
      summary: 'Stock levels by SKU and location; low=true keeps SKUs below their low-stock threshold',
      parameters: [
        ...pageParameters,
        queryParameter('location', { type: 'string' }),
        queryParameter('low', { type: 'string', enum: ['true', 'false'] }),
      ],
      responses: {
        '200': pageResponse('levels', LEVEL_ROW),
        '400': errorResponse('Invalid parameter'),
      },
    },
    async (req, res: TenantResponse) => {
      const page = pageOf(req, res, isCursorKey);
      if (!page) return;
      const low = oneOf(req, res, 'low', ['true', 'false']);
      if (!low) return;
      const location = req.query.location === undefined ? undefined : String(req.query.location);
      const rows = await deps.sequelize.query<{
        sku: string;
        location_id: string;
        on_hand: number;
        reserved: number;
        threshold: number;
        total_available: number;
      }>(
        `WITH totals AS (
         SELECT sku, sum(on_hand - reserved) AS available FROM inventory_levels
          WHERE tenant_id = :tenantId GROUP BY sku)
       SELECT l.sku, l.location_id, l.on_hand, l.reserved, i.low_stock_threshold AS threshold,
              t.available AS total_available
         FROM inventory_levels l
         JOIN items i ON i.tenant_id = l.tenant_id AND i.sku = l.sku
         JOIN totals t ON t.sku = l.sku
        WHERE l.tenant_id = :tenantId AND i.retired_at IS NULL
          ${location ? 'AND l.location_id = :location' : ''}
          ${page.after ? 'AND (l.sku, l.location_id) > (:afterSku, :afterLocation)' : ''}
          ${low.value === 'true' ? 'AND i.low_stock_threshold > 0 AND t.available < i.low_stock_threshold' : ''}
        ORDER BY l.sku, l.location_id LIMIT :limit`,
        {
          replacements: {
            tenantId: res.locals.tenant.id,
            location,
            afterSku: page.after?.[0],
            afterLocation: page.after?.[1],
            limit: page.limit + 1,
          },
          type: QueryTypes.SELECT,
        },
      );
      const levels = rows.slice(0, page.limit).map((r) => ({
        sku: r.sku,
        locationId: r.location_id,
        onHand: Number(r.on_hand),
        reserved: Number(r.reserved),
        available: Number(r.on_hand) - Number(r.reserved),
        lowStockThreshold: Number(r.threshold),
        low: Number(r.threshold) > 0 && Number(r.total_available) < Number(r.threshold),
      }));
      const last = rows.length > page.limit ? levels[levels.length - 1] : undefined;
      res.json({ levels, nextCursor: page.cursorAfter(last ? [last.sku, last.locationId] : undefined) });
    },
  );

  /** Reservations, newest first: by status, property and arrival dates. */
  router.get(
    '/v1/reservations',
    {
      summary: 'Reservations, newest first, by status, property and arrival',
      parameters: [
        ...pageParameters,
        queryParameter('status', { type: 'string', enum: [...RESERVATION_STATUSES] }),
        queryParameter('propertyId', { type: 'string' }),
        queryParameter('arrivalFrom', { type: 'string', format: 'date' }),
        queryParameter('arrivalTo', { type: 'string', format: 'date' }),
      ],
      responses: {
        '200': pageResponse('reservations', RESERVATION_ROW),
        '400': errorResponse('Invalid parameter'),
      },
    },
    async (req, res: TenantResponse) => {
      const page = pageOf(req, res, isToken);
      if (!page) return;
      const status = oneOf(req, res, 'status', RESERVATION_STATUSES);
      if (!status) return;
      const query = [
        `CrossdockTenant = ${literal(res.locals.tenant.id)}`,
        'CrossdockReservationId IS NOT NULL',
      ];
      if (status.value) query.push(`CrossdockStatus = ${literal(status.value)}`);
      if (req.query.propertyId !== undefined)
        query.push(`CrossdockPropertyId = ${literal(String(req.query.propertyId))}`);
      // Arrivals on or after arrivalFrom, and before the day after arrivalTo (a day is a range of instants).
      for (const [name, bound] of [
        ['arrivalFrom', (date: string) => `CrossdockArrival >= "${date}T00:00:00Z"`],
        ['arrivalTo', (date: string) => `CrossdockArrival < "${addDays(date, 1)}T00:00:00Z"`],
      ] as const) {
        const date = req.query[name];
        if (date === undefined) continue;
        if (typeof date !== 'string' || !isCalendarDate(date))
          return sendError(res, 400, `invalid_${name}`, `${name} must be a calendar date YYYY-MM-DD`, [
            { path: name, message: 'must be a calendar date YYYY-MM-DD' },
          ]);
        query.push(bound(date));
      }
      const listed = await visibilityPage(deps.client, query.join(' AND '), {
        limit: page.limit,
        token: page.after,
      });
      res.json({
        reservations: listed.executions.map((e) => ({
          id: e.attributes.CrossdockReservationId,
          status: e.attributes.CrossdockStatus,
          propertyId: e.attributes.CrossdockPropertyId,
          ...(e.attributes.CrossdockArrival
            ? {
                arrival: new Date(String(e.attributes.CrossdockArrival)).toISOString().slice(0, 10),
                departure: new Date(String(e.attributes.CrossdockDeparture)).toISOString().slice(0, 10),
              }
            : {}),
          workflowId: e.workflowId,
          startTime: e.startTime,
        })),
        nextCursor: page.cursorAfter(listed.nextToken),
      });
    },
  );

  /** Returns, newest first, by status. */
  router.get(
    '/v1/returns',
    {
      summary: 'Returns, newest first, by status',
      parameters: [
        ...pageParameters,
        queryParameter('status', { type: 'string', enum: [...RETURN_STATUSES] }),
      ],
      responses: {
        '200': pageResponse('returns', RETURN_ROW),
        '400': errorResponse('Invalid parameter'),
      },
    },
    async (req, res: TenantResponse) => {
      const page = pageOf(req, res, isToken);
      if (!page) return;
      const status = oneOf(req, res, 'status', RETURN_STATUSES);
      if (!status) return;
      const query = [`CrossdockTenant = ${literal(res.locals.tenant.id)}`, 'CrossdockRmaId IS NOT NULL'];
      if (status.value) query.push(`CrossdockStatus = ${literal(status.value)}`);
      const listed = await visibilityPage(deps.client, query.join(' AND '), {
        limit: page.limit,
        token: page.after,
      });
      res.json({
        returns: listed.executions.map((e) => ({
          id: e.attributes.CrossdockRmaId,
          orderId: e.attributes.CrossdockOrderId,
          status: e.attributes.CrossdockStatus,
          workflowId: e.workflowId,
          startTime: e.startTime,
        })),
        nextCursor: page.cursorAfter(listed.nextToken),
      });
    },
  );

  return router;
}
