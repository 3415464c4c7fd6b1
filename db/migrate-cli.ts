import { readSettings } from '../platform/settings';
import { createDatabase, migrate } from './database';

/** `npm run migrate`: applies migrations to DATABASE_URL. */
async function main(): Promise<void> {
  const { databaseUrl } = readSettings();
  if (!databaseUrl)
    throw new Error('DATABASE_URL is not set (npm start runs migrations on its embedded database)');
  const sequelize = createDatabase(databaseUrl);
  const applied = await migrate(sequelize);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
  await sequelize.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
