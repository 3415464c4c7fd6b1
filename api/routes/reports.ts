import type { Response } from 'express';
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { inventoryFacts, orderFacts } from '../../db/reports/orders';
import {
  inventoryReport,
  inventoryReportCsv,
  inventoryReportRowSchema,
  ORDER_REPORT_GROUPS,
  orderReport,
  orderReportRowSchema,
  orderReportCsv,
} from '../../domain/orders/report';
import { calendarDateSchema, isDayRange } from '../../domain/stays/dates';
import type { ObjectStorage } from '../../platform/storage';
import type { TenantLocals } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes } from '../route-registry';
import {
  dateRangeParameters,
  errorResponse,
  EXPORTED,
  inputSchema,
  jsonResponse,
  queryParameter,
  viewSchema,
} from '../openapi-parts';
import { validationStatus, zodIssues } from '../validation';

type TenantResponse = Response<unknown, TenantLocals>;

/** The order report's query: a range of days (UTC, inclusive, at most 366) and how to group. */
export const orderReportQuerySchema = z
  .object({
    from: calendarDateSchema,
    to: calendarDateSchema,
    groupBy: z.enum(ORDER_REPORT_GROUPS).default('day'),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine((q) => isDayRange(q.from, q.to), {
    message: 'to must be on or after from, at most 366 days',
    path: ['to'],
  });
export const inventoryReportQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });

const ORDER_REPORT_RANGE = [
  ...dateRangeParameters(inputSchema(calendarDateSchema)),
  queryParameter('groupBy', { type: 'string', enum: [...ORDER_REPORT_GROUPS], default: 'day' }),
];
const ORDER_REPORT = viewSchema(
  'OrderReport',
  z.object({
    from: calendarDateSchema,
    to: calendarDateSchema,
    groupBy: z.enum(ORDER_REPORT_GROUPS),
    groups: z.array(orderReportRowSchema),
  }),
);
const INVENTORY_REPORT = viewSchema(
  'InventoryReport',
  z.object({ levels: z.array(inventoryReportRowSchema) }),
);
const FORMAT = queryParameter('format', { type: 'string', enum: ['json', 'csv'], default: 'json' });

/**
 * Order and inventory reports for the tenant: JSON or CSV, or exported to storage as CSV under
 * the tenant's prefix, as the occupancy report is.
 */
export function reportsRouter(deps: {
  sequelize: Sequelize;
  storage: ObjectStorage;
}): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  const ordersOf = async (query: unknown, res: TenantResponse) => {
    const parsed = orderReportQuerySchema.safeParse(query);
    if (!parsed.success) {
      sendError(
        res,
        validationStatus(parsed.error),
        'invalid_query',
        'the report query failed validation',
        zodIssues(parsed.error),
      );
      return undefined;
    }
    const { from, to, groupBy, format } = parsed.data;
    const rows = orderReport(await orderFacts(deps.sequelize, res.locals.tenant.id, { from, to }), groupBy);
    return { from, to, groupBy, format, rows };
  };
  const inventoryOf = async (query: unknown, res: TenantResponse) => {
    const parsed = inventoryReportQuerySchema.safeParse(query);
    if (!parsed.success) {
      sendError(res, 400, 'invalid_query', 'the report query failed validation', zodIssues(parsed.error));
      return undefined;
    }
    return {
      format: parsed.data.format,
      rows: inventoryReport(await inventoryFacts(deps.sequelize, res.locals.tenant.id)),
    };
  };

  router.get(
    '/v1/reports/orders',
    {
      summary:
        'Orders received in a range of days: volume, net revenue, order-to-ship and ship-to-deliver p50/p90 (seconds), split rate, rejections by reason, cancellations, return rate, exceptions; per day, channel or location',
      parameters: [...ORDER_REPORT_RANGE, FORMAT],
      responses: {
        '200': {
          description: 'One row per group (CSV with format=csv)',
          content: {
            'application/json': { schema: ORDER_REPORT },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        '422': errorResponse('to before from, or more than 366 days'),
      },
    },
    async (req, res: TenantResponse) => {
      const report = await ordersOf(req.query, res);
      if (!report) return;
      if (report.format === 'csv') return res.type('text/csv').send(orderReportCsv(report.rows));
      res.json({ from: report.from, to: report.to, groupBy: report.groupBy, groups: report.rows });
    },
  );

  router.post(
    '/v1/reports/orders/export',
    {
      summary: 'The order report as CSV in storage, under the tenant’s prefix',
      parameters: ORDER_REPORT_RANGE,
      responses: {
        '201': jsonResponse('The object key and the number of rows', EXPORTED),
        '422': errorResponse('to before from, or more than 366 days'),
      },
    },
    async (req, res: TenantResponse) => {
      const report = await ordersOf(req.query, res);
      if (!report) return;
      const key = `tenants/${res.locals.tenant.id}/reports/orders-${report.from}-${report.to}-by-${report.groupBy}.csv`;
      const csv = orderReportCsv(report.rows);
      await deps.storage.put(key, csv, 'text/csv', Buffer.byteLength(csv));
      res.status(201).json({ key, rows: report.rows.length });
    },
  );

  router.get(
    '/v1/reports/inventory',
    {
      summary:
        'On hand, reserved and available per SKU and location, with units shipped in the last 30 days and the days of cover at that pace',
      parameters: [FORMAT],
      responses: {
        '200': {
          description: 'One row per SKU and location (CSV with format=csv)',
          content: {
            'application/json': { schema: INVENTORY_REPORT },
            'text/csv': { schema: { type: 'string' } },
          },
        },
      },
    },
    async (req, res: TenantResponse) => {
      const report = await inventoryOf(req.query, res);
      if (!report) return;
      if (report.format === 'csv') return res.type('text/csv').send(inventoryReportCsv(report.rows));
      res.json({ levels: report.rows });
    },
  );

  router.post(
    '/v1/reports/inventory/export',
    {
      summary: 'The inventory report as CSV in storage, under the tenant’s prefix',
      responses: { '201': jsonResponse('The object key and the number of rows', EXPORTED) },
    },
    async (req, res: TenantResponse) => {
      const report = await inventoryOf(req.query, res);
      if (!report) return;
      const key = `tenants/${res.locals.tenant.id}/reports/inventory-${new Date().toISOString().slice(0, 10)}.csv`;
      const csv = inventoryReportCsv(report.rows);
      await deps.storage.put(key, csv, 'text/csv', Buffer.byteLength(csv));
      res.status(201).json({ key, rows: report.rows.length });
    },
  );

  return router;
}
