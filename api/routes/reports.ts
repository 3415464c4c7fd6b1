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
import type { TenantLocals } from '../auth';
import { ApiRoutes, type RouterServices } from '../route-registry';
import {
  dateRangeParameters,
  errorResponse,
  inputSchema,
  queryParameter,
  viewSchema,
} from '../openapi-parts';
import { reportQuery, reportRoutes, type ReportDeclaration } from '../report-routes';

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
export function reportsRouter(deps: RouterServices<'sequelize' | 'storage'>): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  /**
   * A report of the tenant's own figures: its query (a `format` among the rest) parsed by `query`,
   * the report itself the JSON answer, and its export described alike.
   */
  function tenantReport<Q extends { format: 'json' | 'csv' }, R>(
    declaration: Pick<
      ReportDeclaration<R>,
      'path' | 'summary' | 'parameters' | 'answer' | 'refusals' | 'csv' | 'file'
    > & {
      query: z.ZodType<Q>;
      exportSummary: string;
      figures: (query: Q, tenantId: string) => Promise<R>;
    },
  ): void {
    const { query: schema, exportSummary, figures, ...report } = declaration;
    reportRoutes(router, deps, {
      ...report,
      format: FORMAT,
      export: { summary: exportSummary, description: 'The object key and the number of rows' },
      read: async (req, res) => {
        const query = reportQuery(schema, req, res);
        if (!query) return undefined;
        return { report: await figures(query, res.locals.tenant.id), csv: query.format === 'csv' };
      },
      json: (report) => report,
    });
  }

  tenantReport({
    path: '/v1/reports/orders',
    summary:
      'Orders received in a range of days: volume, net revenue, order-to-ship and ship-to-deliver p50/p90 (seconds), split rate, rejections by reason, cancellations, return rate, exceptions; per day, channel or location',
    parameters: ORDER_REPORT_RANGE,
    answer: { description: 'One row per group (CSV with format=csv)', schema: ORDER_REPORT },
    refusals: { '422': errorResponse('to before from, or more than 366 days') },
    exportSummary: 'The order report as CSV in storage, under the tenant’s prefix',
    query: orderReportQuerySchema,
    figures: async ({ from, to, groupBy }, tenantId) => ({
      from,
      to,
      groupBy,
      groups: orderReport(await orderFacts(deps.sequelize, tenantId, { from, to }), groupBy),
    }),
    csv: (report) => orderReportCsv(report.groups),
    file: (report) => ({
      name: `orders-${report.from}-${report.to}-by-${report.groupBy}.csv`,
      rows: report.groups.length,
    }),
  });

  tenantReport({
    path: '/v1/reports/inventory',
    summary:
      'On hand, reserved and available per SKU and location, with units shipped in the last 30 days and the days of cover at that pace',
    answer: { description: 'One row per SKU and location (CSV with format=csv)', schema: INVENTORY_REPORT },
    refusals: {},
    exportSummary: 'The inventory report as CSV in storage, under the tenant’s prefix',
    query: inventoryReportQuerySchema,
    figures: async (_query, tenantId) => ({
      levels: inventoryReport(await inventoryFacts(deps.sequelize, tenantId)),
    }),
    csv: (report) => inventoryReportCsv(report.levels),
    file: (report) => ({
      name: `inventory-${new Date().toISOString().slice(0, 10)}.csv`,
      rows: report.levels.length,
    }),
  });

  return router;
}
