import type { AddressInfo } from 'node:net';
import axios from 'axios';
import express from 'express';
import { Sequelize } from 'sequelize';
import { healthRouter } from '../../api/routes/health';
import { ObjectStorage } from '../../platform/storage';
import { connectClient } from '../../platform/temporal';
import { createDatabase, migrate } from '../../db/database';
import { MIGRATIONS } from '../../db/migrations';
import { uniqueId } from '../support/fixtures';
import { endpointsFromEnv } from '../support/hub';

/** What several API and worker processes do when they start together on an empty database. */
describe('migrations on real PostgreSQL', () => {
  const url = endpointsFromEnv().databaseUrl;
  const admin = new Sequelize(url, { dialect: 'postgres', logging: false });
  const databases: string[] = [];

  /** A database of its own, with nothing in it: what a first deployment starts on. */
  const emptyDatabase = async (prefix: string): Promise<string> => {
    const name = uniqueId(prefix)
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    await admin.query(`CREATE DATABASE "${name}"`);
    databases.push(name);
    const target = new URL(url);
    target.pathname = `/${name}`;
    return target.toString();
  };

  afterAll(async () => {
    for (const name of databases) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.close();
  });

  test('four processes migrating one empty database together: each schema change applied once, none fails', async () => {
    const target = await emptyDatabase('migrate');
    const processes = Array.from({ length: 4 }, () => createDatabase(target));
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

  test('a process is live at once, and ready only once its database is migrated', async () => {
    const endpoints = endpointsFromEnv();
    const sequelize = createDatabase(await emptyDatabase('ready'));
    const client = await connectClient({
      address: endpoints.temporalAddress,
      namespace: endpoints.temporalNamespace,
    });
    const storage = new ObjectStorage({
      endpoint: endpoints.s3Endpoint,
      region: 'us-east-1',
      bucket: endpoints.s3Bucket,
      credentials: endpoints.s3Credentials,
    });
    const app = express().use(healthRouter({ client, sequelize, storage, endpoints }).router);
    const server = app.listen(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = (path: string) => axios.get(`${base}${path}`, { validateStatus: () => true });
    try {
      expect((await get('/health/live')).status).toBe(200);
      const before = await get('/health/ready');
      expect(before.status).toBe(503);
      expect(before.data.checks.migrations).toMatchObject({ status: 'down' });
      expect(before.data.checks.database).toMatchObject({ status: 'up' });
      await migrate(sequelize);
      const after = await get('/health/ready');
      expect(after.status).toBe(200);
      expect(after.data.checks.migrations).toMatchObject({ status: 'up' });
    } finally {
      server.close();
      await sequelize.close();
      storage.close();
      await client.connection.close();
    }
  });
});
