import { catalogueImportSummary } from '../domain/channels/describe';
import type { Client } from '@temporalio/client';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../connectors/registry';
import { loadStored } from '../db/master-data/store';
import {
  planCatalogueImport,
  proposeLocationMapping,
  type CatalogueImportReport,
  type CatalogueImportRequest,
  type ChannelVariant,
} from '../domain/master-data/catalogue-import';
import { recordId } from '../domain/master-data/plan';
import type { ConnectorConfig, HubConfig } from '../platform/config/schema';
import { masterDataService } from '../platform/services';
import { startOnce } from './start-once';
import { catalogueImportWorkflowId, type CatalogueImportWorkflow } from '../workflows/channels/contract';

const CHUNK = 5_000;

/**
 * Reads a Shopify store's or a Square seller's catalogue into the tenant's items, through the
 * master data service as REST would (managed by the API): new SKUs are created, names and weights
 * of known ones follow the channel, anything the setup file declares is left alone. A Shopify
 * import also proposes which store location each of the hub's is. The report is kept.
 */
export async function importCatalogue(
  deps: { sequelize: Sequelize; connectors: ConnectorRegistry },
  request: CatalogueImportRequest,
  onProgress: () => void = () => undefined,
): Promise<CatalogueImportReport> {
  const ref = { tenantId: request.tenantId, connectorId: request.connectorId };
  const config = deps.connectors.config;
  const connector = config.connectors.find((c) => c.id === ref.connectorId && c.tenant === ref.tenantId);
  if (!connector || !importsCatalogue(connector))
    throw new Error(`${ref.connectorId} is not a Shopify or Square connector of tenant ${ref.tenantId}`);
  await deps.sequelize.query(
    `INSERT INTO catalogue_imports (tenant_id, connector_id) VALUES (:tenantId, :connectorId)
     ON CONFLICT (tenant_id, connector_id) DO UPDATE SET started_at = now(), finished_at = NULL`,
    { replacements: ref },
  );
  const shopify = connector.type === 'shopify' ? deps.connectors.shopifyStore(connector.id) : undefined;
  const variants: ChannelVariant[] = shopify
    ? await shopify.variants(onProgress)
    : await deps.connectors.squareAccount(connector.id).catalogue(onProgress);
  const plan = planCatalogueImport(variants);
  const stored = await loadStored(deps.sequelize, ref.tenantId, { all: true });
  const report: CatalogueImportReport = {
    connectorId: connector.id,
    source: shopify ? 'shopify' : 'square',
    finishedAt: '',
    variants: variants.length,
    items: { created: 0, changed: 0, unchanged: 0 },
    duplicateSkus: plan.duplicateSkus,
    withoutSku: plan.withoutSku,
    withoutWeight: [],
    defaultWeight: [],
    keptByFile: [],
    untracked: plan.items.filter((i) => !i.tracked).map((i) => i.sku),
  };
  const entries: Array<{ kind: 'item'; ref: { key: string }; body: Record<string, unknown> }> = [];
  for (const item of plan.items) {
    const known = stored.get(recordId('item', item.sku));
    if (known?.managedBy === 'file' && !known.retired) {
      report.keptByFile.push(item.sku);
      continue;
    }
    let weightGrams = item.weightGrams ?? (known?.value.weightGrams as number | undefined);
    if (weightGrams === undefined && request.defaultWeightGrams !== undefined) {
      weightGrams = request.defaultWeightGrams;
      report.defaultWeight.push(item.sku);
    }
    if (weightGrams === undefined) {
      report.withoutWeight.push(item.sku);
      continue;
    }
    entries.push({
      kind: 'item',
      ref: { key: item.sku },
      body: { ...(known?.value ?? {}), sku: item.sku, name: item.name, weightGrams },
    });
  }
  const service = masterDataService(config, deps.sequelize);
  for (let i = 0; i < entries.length; i += CHUNK) {
    const changes = await service.declare(ref.tenantId, entries.slice(i, i + CHUNK));
    report.items.created += changes.filter((c) => c.action === 'create').length;
    report.items.changed += changes.filter((c) => c.action !== 'create').length;
    onProgress();
  }
  report.items.unchanged = entries.length - report.items.created - report.items.changed;
  if (shopify) {
    const hubLocations = [...stored.values()]
      .filter((r) => r.kind === 'location' && !r.retired)
      .map((r) => ({ id: r.key, name: String(r.value.name) }));
    report.locations = {
      ...proposeLocationMapping(await shopify.locations(), hubLocations),
      mapped: shopify.options.stockLocations,
    };
  }
  report.finishedAt = new Date().toISOString();
  await deps.sequelize.query(
    `UPDATE catalogue_imports SET finished_at = now(), report = CAST(:report AS jsonb)
      WHERE tenant_id = :tenantId AND connector_id = :connectorId`,
    { replacements: { ...ref, report: JSON.stringify(report) } },
  );
  return report;
}

/** The last import of a connection: when it ran, and its report once it finished. */
export async function lastImport(
  sequelize: Sequelize,
  ref: { tenantId: string; connectorId: string },
): Promise<
  { startedAt: string; finishedAt: string | null; report: CatalogueImportReport | null } | undefined
> {
  const [row] = await sequelize.query<{
    started_at: Date;
    finished_at: Date | null;
    report: CatalogueImportReport | null;
  }>(
    `SELECT started_at, finished_at, report FROM catalogue_imports WHERE tenant_id = :tenantId AND connector_id = :connectorId`,
    { replacements: ref, type: QueryTypes.SELECT },
  );
  return (
    row && {
      startedAt: new Date(row.started_at).toISOString(),
      finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
      report: row.report,
    }
  );
}

/** The connectors whose catalogue can be imported: Shopify stores and Square sellers. */
export function importsCatalogue(connector: ConnectorConfig): boolean {
  return connector.type === 'shopify' || connector.type === 'square';
}

/**
 * Starts an import of a connection's catalogue, or joins the one already running (a second
 * request while it runs does not read the catalogue twice). Its run id names it in the UI.
 */
export async function startCatalogueImport(
  client: Client,
  config: HubConfig,
  request: CatalogueImportRequest,
): Promise<{ workflowId: string; runId: string }> {
  const workflowId = catalogueImportWorkflowId(request.tenantId, request.connectorId);
  const handle = await client.workflow.start<CatalogueImportWorkflow>('catalogueImport', {
    workflowId,
    taskQueue: config.temporal.orchestrationTaskQueue,
    args: [request],
    staticSummary: catalogueImportSummary(request),
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}

/**
 * The first start of a Shopify connection reads its store's catalogue: every Shopify connector
 * the hub has never imported from gets one import (once: a later start finds its record).
 */
export async function importNewStores(
  client: Client,
  config: HubConfig,
  sequelize: Sequelize,
): Promise<string[]> {
  const started: string[] = [];
  for (const connector of config.connectors.filter((c) => c.type === 'shopify')) {
    const ref = { tenantId: connector.tenant, connectorId: connector.id };
    if (await lastImport(sequelize, ref)) continue;
    // Once: one may still be running, or have failed before it could record itself.
    const first = await startOnce<CatalogueImportWorkflow>(client, 'catalogueImport', {
      workflowId: catalogueImportWorkflowId(ref.tenantId, ref.connectorId),
      taskQueue: config.temporal.orchestrationTaskQueue,
      args: [ref],
      staticSummary: `${catalogueImportSummary(ref)} (first start of the store)`,
    });
    if (first) started.push(connector.id);
  }
  return started;
}
