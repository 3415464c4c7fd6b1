import { Sequelize } from 'sequelize';
import { createDatabase, migrate } from '../../db/database';
import { MIGRATIONS } from '../../db/migrations';
import { uniqueId } from '../support/fixtures';
import { endpointsFromEnv } from '../support/hub';

/** What several API and worker processes do when they start together on an empty database. */
describe('migrations on real PostgreSQL', () => {
  const url = endpointsFromEnv().databaseUrl;
  const admin = new Sequelize(url, { dialect: 'postgres', logging: false });
  const databases: string[] = [];

  afterAll(async () => {
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.close();
  });

  test('four processes migrating one empty database together: each schema change applied once, none fails', async () => {
    const name = uniqueId('migrate')
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    await admin.query(`CREATE DATABASE "${name}"`);
    databases.push(name);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const processes = Array.from({ length: 4 }, () => createDatabase(target.toString()));
    try {
      const applied = await Promise.all(processes.map((sequelize) => migrate(sequelize)));
      // One of them applied everything; the others waited for it and found nothing left to do.
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
      expect(applied.filter((names) => names.length > 0)).toHaveLength(1);
      const [rows] = await processes[0]!.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      await Promise.all(processes.map((sequelize) => sequelize.close()));
    }
  });
});
