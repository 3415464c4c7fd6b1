import type { Request } from 'express';
import type { z } from 'zod';
import type { TenantLocals, TenantResponse } from './auth';
import { EXPORTED, jsonOrCsvResponse, jsonResponse, type SchemaRef } from './openapi-parts';
import type { ApiRoutes, RouterServices } from './route-registry';
import { sendError } from './errors';
import { validationStatus, zodIssues } from './validation';

/**
 * A report's query as `schema` parses it, or undefined after answering `invalid_query`: 400 for a
 * malformed parameter, 422 when only a rule across them refused it (a range too long).
 */
export function reportQuery<S extends z.ZodType>(
  schema: S,
  req: Request,
  res: TenantResponse,
): z.output<S> | undefined {
  const parsed = schema.safeParse(req.query);
  if (parsed.success) return parsed.data;
  sendError(
    res,
    validationStatus(parsed.error),
    'invalid_query',
    'the report query failed validation',
    zodIssues(parsed.error),
  );
  return undefined;
}

/** A report as the request asks for it, or undefined after answering why not (400, 404, 422). */
type ReadReport<R> = (req: Request, res: TenantResponse) => Promise<{ report: R; csv: boolean } | undefined>;

/** A report of the tenant's: how the request reads it, and how it is answered and exported. */
export interface ReportDeclaration<R> {
  /** `GET <path>` answers it; `POST <path>/export` writes it to storage. */
  path: string;
  summary: string;
  /** The query parameters that pick the report (a range, a grouping), if any; both routes take them. */
  parameters?: unknown[];
  /** The `format` parameter, which only the answer takes (an export is always CSV). */
  format: unknown;
  /** The answer's description and its JSON schema. */
  answer: { description: string; schema: SchemaRef };
  /** The refusals both routes answer, as the document lists them. */
  refusals: Record<string, unknown>;
  export: { summary: string; description: string };
  read: ReadReport<R>;
  json: (report: R) => unknown;
  csv: (report: R) => string;
  /** The CSV object's name under the tenant's reports prefix, and how many rows it holds. */
  file: (report: R) => { name: string; rows: number };
}

/**
 * A report's two routes: `GET <path>` answers it as JSON, or CSV with `format=csv`, and
 * `POST <path>/export` writes the CSV to storage under the tenant's prefix
 * (`tenants/<id>/reports/<name>`), where only that tenant's exports live, and answers 201 with the
 * object's key and its number of rows.
 */
export function reportRoutes<R>(
  router: ApiRoutes<TenantLocals>,
  deps: RouterServices<'storage'>,
  report: ReportDeclaration<R>,
): void {
  router.get(
    report.path,
    {
      summary: report.summary,
      parameters: [...(report.parameters ?? []), report.format],
      responses: {
        '200': jsonOrCsvResponse(report.answer.description, report.answer.schema),
        ...report.refusals,
      },
    },
    async (req, res: TenantResponse) => {
      const read = await report.read(req, res);
      if (!read) return;
      if (read.csv) return res.type('text/csv').send(report.csv(read.report));
      res.json(report.json(read.report));
    },
  );
  router.post(
    `${report.path}/export`,
    {
      summary: report.export.summary,
      ...(report.parameters && { parameters: report.parameters }),
      responses: { '201': jsonResponse(report.export.description, EXPORTED), ...report.refusals },
    },
    async (req, res: TenantResponse) => {
      const read = await report.read(req, res);
      if (!read) return;
      const csv = report.csv(read.report);
      const { name, rows } = report.file(read.report);
      const key = `tenants/${res.locals.tenant.id}/reports/${name}`;
      await deps.storage.put(key, csv, 'text/csv', Buffer.byteLength(csv));
      res.status(201).json({ key, rows });
    },
  );
}
