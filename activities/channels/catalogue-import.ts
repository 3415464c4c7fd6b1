import { Context } from '@temporalio/activity';
import type { Sequelize } from 'sequelize';
import type { ConnectorRegistry } from '../../connectors/registry';
import type {
  CatalogueImportReport,
  CatalogueImportRequest,
} from '../../domain/master-data/catalogue-import';
import { importCatalogue } from '../../intake/catalogue-import';

/** A channel's catalogue read into the tenant's items, on the connector's own queue (its rate limit). */
export function createCatalogueImportActivities(deps: {
  sequelize: Sequelize;
  connectors: ConnectorRegistry;
}) {
  return {
    async importCatalogue(request: CatalogueImportRequest): Promise<CatalogueImportReport> {
      return importCatalogue(deps, request, () => Context.current().heartbeat());
    },
  };
}
