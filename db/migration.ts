import type { QueryInterface } from 'sequelize';
import type { MigrationFn as UmzugMigrationFn } from 'umzug';

export type MigrationFn = UmzugMigrationFn<QueryInterface>;

/**
 * A migration that runs one SQL script as written. Databases record a migration by name only, so
 * the script of an applied migration must never change: keep it verbatim.
 */
export function sqlMigration(sql: string): MigrationFn {
  return async ({ context: query }) => {
    await query.sequelize.query(sql);
  };
}
