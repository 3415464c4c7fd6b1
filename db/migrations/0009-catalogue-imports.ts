import { sqlMigration } from '../migration';

/**
 * Catalogues read from a channel (a Shopify store, a Square seller) into the tenant's items: the
 * last import of each connection, with what it found, created and could not take.
 */
export const up = sqlMigration(`
    CREATE TABLE catalogue_imports (
      tenant_id     text NOT NULL,
      connector_id  text NOT NULL,
      started_at    timestamptz NOT NULL DEFAULT now(),
      finished_at   timestamptz,
      report        jsonb,
      PRIMARY KEY (tenant_id, connector_id)
    );
  `);

export const down = sqlMigration(`DROP TABLE catalogue_imports;`);
