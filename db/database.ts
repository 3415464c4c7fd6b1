import { Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { MIGRATIONS } from './migrations';
import type { DatabaseTuning } from '../platform/infra/connection-security';
import { runUnprepared } from './statements';

export function createDatabase(url: string, options: DatabaseTuning = {}): Sequelize {
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    logging: false,
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000 },
    ...(options.ssl ? { dialectOptions: { ssl: options.ssl } } : {}),
  });
  if (options.preparedStatements === false) runUnprepared(sequelize);

  return sequelize;
}

/** Applies pending migrations; the schema is never created by `sync()`. */
/** Any number of processes may start together on one database: migrations run one migrator at a time. */
const MIGRATION_LOCK = 7_302_261_001;

export async function migrate(sequelize: Sequelize): Promise<string[]> {
  // The lock is the transaction's, so it is released however the migrator ends (a crash
  // included); the migrations run on other connections of the pool, and a process that waited
  // finds them applied.
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(:lock)', {
      replacements: { lock: MIGRATION_LOCK },
      transaction,
    });
    return applyMigrations(sequelize);
  });
}

async function applyMigrations(sequelize: Sequelize): Promise<string[]> {
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
