import { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { MIGRATIONS } from './migrations';
import { initModels } from './models';

export function createDatabase(url: string, options: { poolMax?: number } = {}): Sequelize {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: false,
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000 },
  });
  initModels(sequelize);
  return sequelize;
}

/** Applies pending migrations; the schema is never created by `sync()`. */
export async function migrate(sequelize: Sequelize): Promise<string[]> {
  const umzug = new Umzug({
    migrations: MIGRATIONS.map(({ name, up, down }) => ({ name, up, down })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  const applied = await umzug.up();
  return applied.map((m) => m.name);
}

/** The rows a raw UPDATE or DELETE touched: sequelize hands back PostgreSQL's result as its metadata. */
export function affectedRows(metadata: unknown): number {
  if (typeof metadata === 'number') return metadata;
  return Number((metadata as { rowCount?: number } | undefined)?.rowCount ?? 0);
}
