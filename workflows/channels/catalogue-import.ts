import type { CatalogueImportRequest } from '../../domain/master-data/catalogue-import';
import { partners } from '../shared/activities';

/**
 * Reads a store's or seller's catalogue into the tenant's items (`POST /v1/channels/:id/import`,
 * and the first start of a Shopify connection). A large catalogue takes many pages at the
 * partner's pace: the activity heartbeats as it goes, so a worker lost midway is noticed in
 * minutes and the import runs again (it is idempotent: items already there are unchanged).
 */
export async function catalogueImport(request: CatalogueImportRequest) {
  return partners.catalogue(request.connectorId).importCatalogue(request);
}
