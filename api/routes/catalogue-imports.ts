import { WorkflowNotFoundError } from '@temporalio/client';
import {
  catalogueImportBodySchema,
  catalogueImportReportSchema,
} from '../../domain/master-data/catalogue-import';
import { importsCatalogue, lastImport, startCatalogueImport } from '../../intake/catalogue-import';
import { catalogueImportWorkflowId } from '../../workflows/channels/contract';
import type { TenantLocals, TenantResponse } from '../auth';
import { sendError } from '../errors';
import { ApiRoutes, type RouterServices } from '../route-registry';
import { z } from 'zod';
import { errorResponse, jsonResponse, viewSchema } from '../openapi-parts';

const IMPORT_STARTED = viewSchema(
  'CatalogueImportStarted',
  z.object({
    connectorId: z.string(),
    import: z.literal('started'),
    workflowId: z.string(),
    runId: z.string(),
  }),
);
const LAST_IMPORT = viewSchema(
  'LastCatalogueImport',
  z.object({
    connectorId: z.string(),
    workflowId: z.string(),
    status: z.string().describe("the import workflow's status (RUNNING, COMPLETED, FAILED…)"),
    startedAt: z.iso.datetime({ offset: true }).nullable(),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
    report: catalogueImportReportSchema.nullable(),
  }),
);

/**
 * Imports of a Shopify store's or a Square seller's catalogue into the tenant's items: started
 * here (202: it runs as a workflow at the partner's pace) and followed by its report.
 */
export function catalogueImportsRouter(
  deps: RouterServices<'client' | 'config' | 'sequelize'>,
): ApiRoutes<TenantLocals> {
  const router = new ApiRoutes<TenantLocals>();

  function connectorIn(id: string, res: TenantResponse) {
    const connector = deps.config.connectors.find((c) => c.id === id && c.tenant === res.locals.tenant.id);
    if (!connector) sendError(res, 404, 'not_found', `no connector ${id}`);
    else if (!importsCatalogue(connector))
      sendError(
        res,
        409,
        'not_importable',
        `${id} is a ${connector.type} connector; catalogues come from Shopify or Square`,
      );
    else return { tenantId: connector.tenant, connectorId: connector.id };
    return undefined;
  }

  /** The workflow's status: running, completed, failed… (undefined when none ran, or it is gone). */
  async function runStatus(ref: { tenantId: string; connectorId: string }) {
    try {
      const described = await deps.client.workflow
        .getHandle(catalogueImportWorkflowId(ref.tenantId, ref.connectorId))
        .describe();
      return { status: described.status.name, runId: described.runId };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  router.post(
    '/v1/channels/:id/import',
    {
      summary:
        "Read a Shopify store's or Square seller's catalogue into the tenant's items (joins an import already running)",
      body: {
        schema: catalogueImportBodySchema,
        name: 'CatalogueImport',
        refused: 'invalid_import',
        required: false,
      },
      responses: {
        '202': jsonResponse('Started; follow it with GET', IMPORT_STARTED),
        '400': errorResponse('Invalid options'),
        '404': errorResponse('No such connector of the tenant'),
        '409': errorResponse('Not a Shopify or Square connector'),
      },
    },
    async (req, res) => {
      const ref = connectorIn(String(req.params.id), res);
      if (!ref) return;
      const started = await startCatalogueImport(deps.client, deps.config, { ...ref, ...res.locals.body });
      res.status(202).json({ connectorId: ref.connectorId, import: 'started', ...started });
    },
  );

  router.get(
    '/v1/channels/:id/import',
    {
      summary:
        'The last import: its status and report (created, changed, duplicate SKUs, variants without SKU or weight, the proposed location mapping)',
      responses: {
        '200': jsonResponse('The last import', LAST_IMPORT),
        '404': errorResponse('No such connector, or no import yet'),
        '409': errorResponse('Not a Shopify or Square connector'),
      },
    },
    async (req, res: TenantResponse) => {
      const ref = connectorIn(String(req.params.id), res);
      if (!ref) return;
      const [last, run] = await Promise.all([lastImport(deps.sequelize, ref), runStatus(ref)]);
      if (!last && !run)
        return sendError(res, 404, 'not_found', `no catalogue import of ${ref.connectorId} yet`);
      res.json({
        connectorId: ref.connectorId,
        workflowId: catalogueImportWorkflowId(ref.tenantId, ref.connectorId),
        status: run?.status ?? (last?.finishedAt ? 'COMPLETED' : 'UNKNOWN'),
        startedAt: last?.startedAt ?? null,
        finishedAt: last?.finishedAt ?? null,
        report: last?.report ?? null,
      });
    },
  );

  return router;
}
