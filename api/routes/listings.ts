import type { Request } from 'express';
import { QueryTypes } from 'sequelize';
import { RETURN_STATUSES } from '../../domain/returns/return';
import { addDays, calendarDateSchema, isCalendarDate } from '../../domain/stays/dates';
import { RESERVATION_STATUSES } from '../../domain/stays/reservation';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { z } from 'zod';
import {
  errorResponse,
  pageParameters,
  pageResponse,
  queryParameter,
  viewSchema,
  type SchemaRef,
} from '../openapi-parts';
import { pageOf } from '../pagination';
import { literal, visibilityPage, type ListedExecution } from '../visibility';

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
export function listingsRouter(deps: RouterServices<'client' | 'sequelize'>): ApiRoutes<TenantLocals> {
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

  /**
   * A listing of one kind of process from Temporal's visibility store, newest first, a page at a
   * time: the tenant's workflows carrying `idAttribute`, by `status` and what `narrow` adds to the
   * query (false once it answered 400), each row ending with its workflow id and start time.
   */
  function processListing(listing: {
    path: string;
    summary: string;
    listKey: string;
    row: SchemaRef;
    idAttribute: string;
    statuses: readonly string[];
    /** The parameters `narrow` reads, after `status`. */
    parameters?: unknown[];
    narrow?: (req: Request, res: TenantResponse, query: string[]) => boolean;
    item: (attributes: ListedExecution['attributes']) => Record<string, unknown>;
  }): void {
    router.get(
      listing.path,
      {
        summary: listing.summary,
        parameters: [
          ...pageParameters,
          queryParameter('status', { type: 'string', enum: [...listing.statuses] }),
          ...(listing.parameters ?? []),
        ],
        responses: {
          '200': pageResponse(listing.listKey, listing.row),
          '400': errorResponse('Invalid parameter'),
        },
      },
      async (req, res: TenantResponse) => {
        const page = pageOf(req, res, isToken);
        if (!page) return;
        const status = oneOf(req, res, 'status', listing.statuses);
        if (!status) return;
        const query = [
          `CrossdockTenant = ${literal(res.locals.tenant.id)}`,
          `${listing.idAttribute} IS NOT NULL`,
        ];
        if (status.value) query.push(`CrossdockStatus = ${literal(status.value)}`);
        if (listing.narrow && !listing.narrow(req, res, query)) return;
        const listed = await visibilityPage(deps.client, query.join(' AND '), {
          limit: page.limit,
          token: page.after,
        });
        res.json({
          [listing.listKey]: listed.executions.map((e) => ({
            ...listing.item(e.attributes),
            workflowId: e.workflowId,
            startTime: e.startTime,
          })),
          nextCursor: page.cursorAfter(listed.nextToken),
        });
      },
    );
  }

  /** Reservations, newest first: by status, property and arrival dates. */
  processListing({
    path: '/v1/reservations',
    summary: 'Reservations, newest first, by status, property and arrival',
    listKey: 'reservations',
    row: RESERVATION_ROW,
    idAttribute: 'CrossdockReservationId',
    statuses: RESERVATION_STATUSES,
    parameters: [
      queryParameter('propertyId', { type: 'string' }),
      queryParameter('arrivalFrom', { type: 'string', format: 'date' }),
      queryParameter('arrivalTo', { type: 'string', format: 'date' }),
    ],
    narrow: (req, res, query) => {
      if (req.query.propertyId !== undefined)
        query.push(`CrossdockPropertyId = ${literal(String(req.query.propertyId))}`);
      // Arrivals on or after arrivalFrom, and before the day after arrivalTo (a day is a range of instants).
      for (const [name, bound] of [
        ['arrivalFrom', (date: string) => `CrossdockArrival >= "${date}T00:00:00Z"`],
        ['arrivalTo', (date: string) => `CrossdockArrival < "${addDays(date, 1)}T00:00:00Z"`],
      ] as const) {
        const date = req.query[name];
        if (date === undefined) continue;
        if (typeof date !== 'string' || !isCalendarDate(date)) {
          sendError(res, 400, `invalid_${name}`, `${name} must be a calendar date YYYY-MM-DD`, [
            { path: name, message: 'must be a calendar date YYYY-MM-DD' },
          ]);
          return false;
        }
        query.push(bound(date));
      }
      return true;
    },
    item: (attributes) => ({
      id: attributes.CrossdockReservationId,
      status: attributes.CrossdockStatus,
      propertyId: attributes.CrossdockPropertyId,
      ...(attributes.CrossdockArrival
        ? {
            arrival: new Date(String(attributes.CrossdockArrival)).toISOString().slice(0, 10),
            departure: new Date(String(attributes.CrossdockDeparture)).toISOString().slice(0, 10),
          }
        : {}),
    }),
  });

  /** Returns, newest first, by status. */
  processListing({
    path: '/v1/returns',
    summary: 'Returns, newest first, by status',
    listKey: 'returns',
    row: RETURN_ROW,
    idAttribute: 'CrossdockRmaId',
    statuses: RETURN_STATUSES,
    item: (attributes) => ({
      id: attributes.CrossdockRmaId,
      orderId: attributes.CrossdockOrderId,
      status: attributes.CrossdockStatus,
    }),
  });

  return router;
}
